#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>

#include "render/output.hpp"
#include "support.hpp"

using mlserve::core::Json;
using mlserve::render::ManifestSet;
using mlserve::render::out_dir_path;
using mlserve::render::OutputFile;
using mlserve::render::write_out_dir;
using mlserve::test::slurp;
using mlserve::test::TempDir;

namespace {

ManifestSet two_objects() {
    return {
        {Json::parse(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"iris","namespace":"ml"}})"),
         "svc.yaml"},
        {Json::parse(R"({"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService",
                         "metadata":{"name":"iris","namespace":"ml"},"spec":{"predictor":{"minReplicas":1}}})"),
         "isvc.yaml"},
    };
}

Json object(const std::string& kind, const std::string& name, const std::string& ns) {
    Json metadata = {{"name", name}};
    if (!ns.empty()) metadata["namespace"] = ns;
    return Json{{"apiVersion", "v1"}, {"kind", kind}, {"metadata", metadata}};
}

} // namespace

TEST_CASE("to_yaml_output writes one document per object") {
    CHECK(mlserve::render::to_yaml_output(two_objects()) == "---\n"
                                                            "apiVersion: v1\n"
                                                            "kind: Service\n"
                                                            "metadata:\n"
                                                            "  name: iris\n"
                                                            "  namespace: ml\n"
                                                            "---\n"
                                                            "apiVersion: serving.kserve.io/v1beta1\n"
                                                            "kind: InferenceService\n"
                                                            "metadata:\n"
                                                            "  name: iris\n"
                                                            "  namespace: ml\n"
                                                            "spec:\n"
                                                            "  predictor:\n"
                                                            "    minReplicas: 1\n");
    CHECK(mlserve::render::to_yaml_output({}).empty());
}

TEST_CASE("to_json_list prints a v1 List the way kubectl indents it") {
    ManifestSet one = {two_objects()[0]};
    CHECK(mlserve::render::to_json_list(one) == "{\n"
                                                "    \"apiVersion\": \"v1\",\n"
                                                "    \"kind\": \"List\",\n"
                                                "    \"items\": [\n"
                                                "        {\n"
                                                "            \"apiVersion\": \"v1\",\n"
                                                "            \"kind\": \"Service\",\n"
                                                "            \"metadata\": {\n"
                                                "                \"name\": \"iris\",\n"
                                                "                \"namespace\": \"ml\"\n"
                                                "            }\n"
                                                "        }\n"
                                                "    ]\n"
                                                "}\n");
    CHECK(mlserve::render::to_json_list({}) ==
          "{\n    \"apiVersion\": \"v1\",\n    \"kind\": \"List\",\n    \"items\": []\n}\n");
}

TEST_CASE("to_names prints kind.group/name like kubectl -o name") {
    CHECK(mlserve::render::to_names(two_objects()) == "service/iris\ninferenceservice.serving.kserve.io/iris\n");
}

TEST_CASE("out_dir_path keeps names that are safe and sanitises the rest") {
    CHECK(out_dir_path(object("InferenceService", "fraud-v2.1", "ml-prod")) ==
          "ml-prod/inferenceservice-fraud-v2.1.yaml");
    CHECK(out_dir_path(object("Namespace", "ml-prod", "")) == "namespace-ml-prod.yaml");
    CHECK(out_dir_path(object("Service", "../../etc/passwd", "..")) == "-./service-..-..-etc-passwd.yaml");
    CHECK(out_dir_path(object("Service", "a", "/abs")) == "-abs/service-a.yaml");
    CHECK(out_dir_path(object("Service", "x\ny${z}", "Ns_1")) == "ns-1/service-x-y--z-.yaml");
    CHECK(out_dir_path(object("Service", "a", ".")) == "-/service-a.yaml");
    CHECK(out_dir_path(Json::object()) == "-.yaml");
    CHECK(out_dir_path(object("Service", std::string(500, 'a'), "")).size() == 205);
}

TEST_CASE("write_out_dir writes every file under the directory") {
    TempDir tmp;
    std::string dir = tmp.path() + "/out";
    auto written = write_out_dir(dir, {{"ml/service-iris.yaml", "a: 1\n", "x"}, {"namespace-ml.yaml", "b: 2\n", "y"}});
    REQUIRE_MESSAGE(written.ok(), (written.ok() ? "" : written.error().headline()));
    CHECK(*written == std::vector<std::string>{dir + "/ml/service-iris.yaml", dir + "/namespace-ml.yaml"});
    CHECK(slurp(dir + "/ml/service-iris.yaml") == "a: 1\n");
    CHECK(slurp(dir + "/namespace-ml.yaml") == "b: 2\n");
}

TEST_CASE("write_out_dir refuses collisions and escapes and then writes nothing") {
    TempDir tmp;
    std::string dir = tmp.path() + "/out";
    SUBCASE("two objects on one path") {
        auto result = write_out_dir(dir, {{"ml/service-a.yaml", "1", "specs/a.yaml: svc.yaml"},
                                          {"ml/./service-a.yaml", "2", "specs/b.yaml: svc.yaml"}});
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().message == "two objects would be written to " + dir +
                                            "/ml/service-a.yaml: specs/a.yaml: svc.yaml and specs/b.yaml: svc.yaml");
        CHECK(result.error().code == mlserve::core::ExitCode::usage);
        CHECK_FALSE(std::filesystem::exists(dir));
    }
    SUBCASE("a relative path that climbs out") {
        auto result = write_out_dir(dir, {{"ok.yaml", "1", "a"}, {"../escape.yaml", "2", "b"}});
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().message == "refusing to write ../escape.yaml: it resolves outside " + dir);
        CHECK_FALSE(std::filesystem::exists(tmp.path() + "/escape.yaml"));
        CHECK_FALSE(std::filesystem::exists(dir + "/ok.yaml"));
    }
    SUBCASE("an absolute path") {
        auto result = write_out_dir(dir, {{tmp.path() + "/abs.yaml", "2", "b"}});
        REQUIRE_FALSE(result.ok());
        CHECK_FALSE(std::filesystem::exists(tmp.path() + "/abs.yaml"));
    }
    SUBCASE("a symbolic link inside the directory that points outside") {
        std::filesystem::create_directories(dir);
        std::filesystem::create_directories(tmp.path() + "/elsewhere");
        std::filesystem::create_directory_symlink(tmp.path() + "/elsewhere", dir + "/ml");
        auto result = write_out_dir(dir, {{"ml/service-a.yaml", "1", "a"}});
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().message == "refusing to write ml/service-a.yaml: it resolves outside " + dir);
        CHECK(result.error().hint == "remove the symbolic link or choose another --out-dir");
        CHECK_FALSE(std::filesystem::exists(tmp.path() + "/elsewhere/service-a.yaml"));
    }
}

TEST_CASE("ObjectWriter prints the same bytes as one dump of the whole List, an item at a time") {
    std::vector<Json> items = {
        Json::parse(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},
                        "data":{"multi":"a\nb\n","empty":"","unicode":"caf\u00e9 \ud83d\ude80"},
                        "spec":{"list":[],"map":{},"nested":[[1,2.5,{"x":null}],{"y":[true,false]}]}})"),
        two_objects()[0].object, two_objects()[1].object};
    for (size_t n = 0; n <= items.size(); ++n) {
        CAPTURE(n);
        Json list = {{"apiVersion", "v1"}, {"kind", "List"}, {"items", Json::array()}};
        std::ostringstream out;
        mlserve::render::ObjectWriter writer(out, mlserve::render::OutputFormat::json);
        for (size_t i = 0; i < n; ++i) {
            list["items"].push_back(items[i]);
            writer.write(items[i]);
        }
        writer.finish();
        CHECK(out.str() == list.dump(4) + "\n");
        CHECK(writer.count() == n);
    }
}

TEST_CASE("ObjectWriter with bare_single prints one object alone and several as a List") {
    auto objects = two_objects();
    std::ostringstream one;
    mlserve::render::ObjectWriter single(one, mlserve::render::OutputFormat::json, true);
    single.write(objects[0].object);
    CHECK(one.str().empty()); // held back until it is known to be the only one
    single.finish();
    CHECK(one.str() == objects[0].object.dump(4) + "\n");

    std::ostringstream two;
    mlserve::render::ObjectWriter several(two, mlserve::render::OutputFormat::json, true);
    several.write(objects[0].object);
    several.write(objects[1].object);
    several.finish();
    CHECK(two.str() == mlserve::render::to_json_list(objects));

    std::ostringstream yaml;
    mlserve::render::ObjectWriter bare_yaml(yaml, mlserve::render::OutputFormat::yaml, true);
    bare_yaml.write(objects[0].object);
    bare_yaml.finish();
    CHECK(yaml.str() == mlserve::render::to_yaml_output({objects[0]}));
}

TEST_CASE("OutDirWriter never overwrites a file it wrote in an earlier batch") {
    TempDir tmp;
    std::string dir = tmp.path() + "/out";
    auto writer = mlserve::render::OutDirWriter::open(dir);
    REQUIRE(writer.ok());
    auto first = writer->write({{"ml/service-a.yaml", "1", "specs/a.yaml (template svc.yaml)"}});
    REQUIRE(first.ok());
    CHECK(*first == std::vector<std::string>{dir + "/ml/service-a.yaml"});

    auto second = writer->write({{"ml/configmap-b.yaml", "2", "specs/b.yaml (template cm.yaml)"},
                                 {"ml/service-a.yaml", "3", "specs/b.yaml (template svc.yaml)"}});
    REQUIRE_FALSE(second.ok());
    CHECK(second.error().message == "two objects would be written to " + dir +
                                        "/ml/service-a.yaml: specs/a.yaml (template svc.yaml) and specs/b.yaml "
                                        "(template svc.yaml)");
    CHECK(second.error().code == mlserve::core::ExitCode::usage);
    CHECK(slurp(dir + "/ml/service-a.yaml") == "1");
    CHECK_FALSE(std::filesystem::exists(dir + "/ml/configmap-b.yaml")); // nothing of the failed batch

    // A file that was there before the run is overwritten, as kubectl's own tools do.
    auto third = writer->write({{"ml/configmap-b.yaml", "4", "specs/c.yaml (template cm.yaml)"}});
    REQUIRE(third.ok());
    CHECK(slurp(dir + "/ml/configmap-b.yaml") == "4");
}

TEST_CASE("OutDirWriter::open refuses an empty directory name") {
    auto writer = mlserve::render::OutDirWriter::open("");
    REQUIRE_FALSE(writer.ok());
    CHECK(writer.error().message == "--out-dir needs a directory");
}
