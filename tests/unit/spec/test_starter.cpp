// The starter specs of `kubectl mlserve init` load as they are, and with their commented samples enabled.
#include <doctest/doctest.h>

#include <fstream>
#include <regex>

#include "core/yaml.hpp"
#include "render/render.hpp"
#include "spec/schema.hpp"
#include "spec/spec.hpp"
#include "spec/starter.hpp"
#include "support.hpp"

namespace spec = mlserve::spec;

namespace {

mlserve::core::Result<spec::LoadedSpec> load_text(const std::string& text) {
    auto docs = mlserve::core::parse_yaml(text, "starter.yaml");
    REQUIRE(docs.ok());
    REQUIRE(docs->size() == 1);
    return spec::load_spec(docs->at(0));
}

// "  # key: value  # comment" -> "  key: value  # comment", for every indented commented-out YAML line.
std::string uncomment(const std::string& text) {
    static const std::regex commented(R"(^( +)# ( *[A-Za-z][A-Za-z0-9]*:))", std::regex::multiline);
    return std::regex_replace(text, commented, "$1$2");
}

} // namespace

TEST_CASE("every format x backend starter loads and renders as it is and with its samples uncommented") {
    int loaded_count = 0;
    for (const auto& format : spec::find_field("spec.model.format")->allowed) {
        for (const auto& backend : spec::find_field("spec.backend")->allowed) {
            CAPTURE(format);
            CAPTURE(backend);
            auto text = spec::starter_spec({format, backend, "", "", "", false});
            if (backend == "seldon" && format == "lightgbm") {
                REQUIRE_FALSE(text.ok());
                CHECK(text.error().message == "Seldon Core has no prepackaged server for lightgbm");
                CHECK(text.error().hint == "use --backend kserve, or --format custom with your own image");
                continue;
            }
            REQUIRE(text.ok());
            auto loaded = load_text(*text);
            if (!loaded.ok()) FAIL(loaded.error().headline());
            CHECK(loaded->warnings.empty());
            CHECK(loaded->value()["spec"]["model"]["format"] == format);
            CHECK(loaded->value()["spec"]["backend"] == backend);
            CHECK(loaded->value()["metadata"]["name"] == format + "-model");
            auto manifests = mlserve::render::render(*loaded);
            if (!manifests.ok()) FAIL(manifests.error().headline());
            CHECK_FALSE(manifests->empty());
            std::string all = uncomment(*text);
            CHECK(all != *text);
            auto full = load_text(all);
            if (!full.ok()) FAIL(std::string(full.error().headline() + "\n" + all));
            CHECK(full->value()["spec"]["slo"]["availability"] == "99.9%");
            auto full_manifests = mlserve::render::render(*full);
            if (!full_manifests.ok()) FAIL(full_manifests.error().headline());
            CHECK(full->value()["spec"].contains("canary") == (backend != "deployment"));
            ++loaded_count;
        }
    }
    CHECK(loaded_count == 29);
}

TEST_CASE("the starter names the default runtime and protocol it would get") {
    auto text = spec::starter_spec({"sklearn", "kserve", "fraud-detection", "ml-production", "", false});
    REQUIRE(text.ok());
    CHECK(text->find("  name: fraud-detection ") != std::string::npos);
    CHECK(text->find("  namespace: ml-production ") != std::string::npos);
    CHECK(text->find("    # runtime: kserve-sklearnserver ") != std::string::npos);
    CHECK(text->find("    # protocol: v1 ") != std::string::npos);
}

TEST_CASE("the starter refuses unknown formats and backends and invalid names") {
    auto format = spec::starter_spec({"pytorc", "kserve", "", "", "", false});
    REQUIRE_FALSE(format.ok());
    CHECK(format.error().message == "unsupported format \"pytorc\"");
    CHECK(format.error().hint == "did you mean 'pytorch'? one of: sklearn, xgboost, lightgbm, tensorflow, pytorch, "
                                 "onnx, triton, mlflow, huggingface, custom");
    auto backend = spec::starter_spec({"sklearn", "kubeflow", "", "", "", false});
    REQUIRE_FALSE(backend.ok());
    CHECK(backend.error().hint == "one of: kserve, seldon, deployment");
    auto name = spec::starter_spec({"sklearn", "kserve", "Fraud Model", "", "", false});
    REQUIRE_FALSE(name.ok());
    CHECK(name.error().message == "invalid --name \"Fraud Model\": a DNS-1123 label may contain only lower-case "
                                  "letters, digits and '-'");
    CHECK(name.error().hint == "use lower-case letters, digits and '-', e.g. \"fraud-model\"");
}

TEST_CASE("kubectl mlserve init writes a file once and replaces it only with --force") {
    mlserve::test::TempDir dir;
    std::string path = dir.path() + "/model.yaml";
    auto first = mlserve::test::run_cli("init --format pytorch --name fraud-detection -n ml-production -o '" + path + "'");
    CHECK(first.exit_code == 0);
    CHECK(first.out.empty());
    auto loaded = spec::load_spec_file(path);
    REQUIRE(loaded.ok());
    CHECK(loaded->at(0).value()["metadata"]["namespace"] == "ml-production");
    CHECK(loaded->at(0).value()["spec"]["model"]["runtime"] == "kserve-torchserve");

    std::ofstream(path) << "# mine\n";
    auto again = mlserve::test::run_cli("init --format sklearn -o '" + path + "'");
    CHECK(again.exit_code == 2);
    CHECK(again.err == "error: " + path + ": " + path + " already exists\nhint: pass --force to replace it, or choose "
                                                        "another -o file\n");
    CHECK(mlserve::test::slurp(path) == "# mine\n");
    auto forced = mlserve::test::run_cli("init --format sklearn --force -o '" + path + "'");
    CHECK(forced.exit_code == 0);
    CHECK(mlserve::test::slurp(path).find("format: sklearn") != std::string::npos);
}

TEST_CASE("kubectl mlserve init prints to stdout and fails with exit 2 on a bad flag value") {
    auto out = mlserve::test::run_cli("init --format onnx --backend kserve");
    CHECK(out.exit_code == 0);
    CHECK(out.out.starts_with("# A ModelDeployment"));
    CHECK(out.out.find("    # runtime: kserve-tritonserver ") != std::string::npos);
    auto bad = mlserve::test::run_cli("init --format lightgbm --backend seldon");
    CHECK(bad.exit_code == 2);
    CHECK(bad.err == "error: Seldon Core has no prepackaged server for lightgbm\nhint: use --backend kserve, or "
                     "--format custom with your own image\n");
    CHECK(bad.out.empty());
}
