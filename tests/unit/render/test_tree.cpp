#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "render/tree.hpp"
#include "support.hpp"

using mlserve::core::Json;
using mlserve::render::collect_spec_documents;
using mlserve::render::find_yaml_files;
using mlserve::render::is_model_document;
using mlserve::test::TempDir;

namespace {

void write(const std::string& path, const std::string& text) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path) << text;
}

std::string spec(const std::string& name) {
    return "apiVersion: mlserve.io/v1alpha1\nkind: ModelDeployment\nmetadata: {name: " + name + "}\n";
}

/// "file: name" per collected document.
std::vector<std::string> names(const std::vector<mlserve::core::Document>& documents, const std::string& root) {
    std::vector<std::string> out;
    for (const auto& d : documents)
        out.push_back(std::filesystem::path(d.file).lexically_relative(root).string() + ": " +
                      d.value["metadata"]["name"].get<std::string>());
    return out;
}

} // namespace

TEST_CASE("find_yaml_files lists YAML files recursively in sorted order and skips hidden entries") {
    TempDir tmp;
    const std::string& root = tmp.path();
    write(root + "/b/model.yaml", "a: 1\n");
    write(root + "/a/z.yml", "a: 1\n");
    write(root + "/a/readme.md", "x\n");
    write(root + "/.git/config.yaml", "a: 1\n");
    write(root + "/a/.hidden.yaml", "a: 1\n");
    write(root + "/top.yaml", "a: 1\n");
    auto files = find_yaml_files(root);
    REQUIRE(files.ok());
    CHECK(*files == std::vector<std::string>{root + "/a/z.yml", root + "/b/model.yaml", root + "/top.yaml"});
    CHECK(find_yaml_files(root + "/missing").error().message == root + "/missing is not a directory");
}

TEST_CASE("is_model_document accepts ModelDeployment and anything with an mlserve.io apiVersion") {
    CHECK(is_model_document(Json::parse(R"({"kind":"ModelDeployment"})")));
    CHECK(is_model_document(Json::parse(R"({"apiVersion":"mlserve.io/v1alpha1","kind":"ModelDeploymnet"})")));
    CHECK_FALSE(is_model_document(Json::parse(R"({"apiVersion":"v1","kind":"Service"})")));
    CHECK_FALSE(is_model_document(Json::parse(R"([1])")));
}

TEST_CASE("collect_spec_documents walks a tree for ModelDeployment documents only") {
    TempDir tmp;
    const std::string& root = tmp.path();
    write(root + "/team-b/model.yaml", spec("b"));
    write(root + "/team-a/model.yaml", spec("a1") + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\n" +
                                           spec("a2"));
    write(root + "/team-a/expected.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n");
    write(root + "/helm/values.yaml", "image: {{ .Values.image }}\n");
    write(root + "/ci.yml", "steps: [build]\n");
    auto documents = collect_spec_documents({root});
    REQUIRE_MESSAGE(documents.ok(), (documents.ok() ? "" : documents.error().headline()));
    CHECK(names(*documents, root) ==
          std::vector<std::string>{"team-a/model.yaml: a1", "team-a/model.yaml: a2", "team-b/model.yaml: b"});
}

TEST_CASE("collect_spec_documents reads explicit files whole and each file once") {
    TempDir tmp;
    const std::string& root = tmp.path();
    write(root + "/specs/x.yaml", spec("x"));
    write(root + "/y.yaml", spec("y") + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n");
    auto documents =
        collect_spec_documents({root + "/y.yaml", root + "/specs", root + "/specs/x.yaml", root + "/y.yaml"});
    REQUIRE(documents.ok());
    REQUIRE(documents->size() == 3);
    CHECK(documents->at(0).value["metadata"]["name"] == "y");
    CHECK(documents->at(1).value["kind"] == "ConfigMap"); // named explicitly: the loader will refuse it
    CHECK(documents->at(2).value["metadata"]["name"] == "x");
}

TEST_CASE("collect_spec_documents refuses broken specs, empty inputs and trees without specs") {
    TempDir tmp;
    const std::string& root = tmp.path();
    SUBCASE("a spec that does not parse is an error, with its position") {
        write(root + "/m.yaml", "kind: ModelDeployment\nmetadata: {name: x\n");
        auto documents = collect_spec_documents({root});
        REQUIRE_FALSE(documents.ok());
        CHECK(documents.error().location.file == root + "/m.yaml");
        CHECK(documents.error().location.line > 0);
    }
    SUBCASE("a tree without a spec") {
        write(root + "/a.yaml", "apiVersion: v1\nkind: Service\n");
        auto documents = collect_spec_documents({root});
        REQUIRE_FALSE(documents.ok());
        CHECK(documents.error().message == "no ModelDeployment spec found under " + root);
        CHECK(documents.error().code == mlserve::core::ExitCode::usage);
    }
    SUBCASE("an empty file") {
        write(root + "/empty.yaml", "");
        auto documents = collect_spec_documents({root + "/empty.yaml"});
        REQUIRE_FALSE(documents.ok());
        CHECK(documents.error().message == "no ModelDeployment spec in " + root + "/empty.yaml");
    }
    SUBCASE("a missing file") {
        auto documents = collect_spec_documents({root + "/nope.yaml"});
        REQUIRE_FALSE(documents.ok());
        CHECK(documents.error().code == mlserve::core::ExitCode::usage);
    }
}

TEST_CASE("for_each_spec_document hands over each file's specs before reading the next file") {
    TempDir tmp;
    const std::string& root = tmp.path();
    write(root + "/a/model.yaml", spec("a"));
    write(root + "/b/model.yaml", "kind: ModelDeployment\nmetadata: {name: b\n");
    write(root + "/c/model.yaml", spec("c"));
    std::vector<std::string> visited;
    auto visit = [&](mlserve::core::Document&& document) -> mlserve::core::Result<void> {
        visited.push_back(document.value["metadata"]["name"].get<std::string>());
        return {};
    };
    auto result = mlserve::render::for_each_spec_document({root}, visit);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().location.file == root + "/b/model.yaml");
    CHECK(visited == std::vector<std::string>{"a"});

    // An error from the visitor stops the walk.
    write(root + "/b/model.yaml", spec("b"));
    visited.clear();
    auto stop = mlserve::render::for_each_spec_document({root}, [&](mlserve::core::Document&& document) {
        visited.push_back(document.value["metadata"]["name"].get<std::string>());
        return visited.size() == 2 ? mlserve::core::Result<void>(mlserve::core::input_error("stop"))
                                   : mlserve::core::Result<void>();
    });
    REQUIRE_FALSE(stop.ok());
    CHECK(stop.error().message == "stop");
    CHECK(visited == std::vector<std::string>{"a", "b"});
}
