// load_spec_file on hostile and unusual files: every failure is an input error with a location.
#include <doctest/doctest.h>

#include <fstream>

#include "core/yaml.hpp"
#include "spec/spec.hpp"
#include "support.hpp"

using mlserve::test::TempDir;

namespace {

const std::string k_spec = "apiVersion: mlserve.io/v1alpha1\nkind: ModelDeployment\nmetadata:\n  name: NAME\n"
                           "spec:\n  model: {format: sklearn, storageUri: s3://bucket/model}\n";

std::string spec_named(const std::string& name) {
    std::string text = k_spec;
    return text.replace(text.find("NAME"), 4, name);
}

std::string write(const TempDir& dir, const std::string& text) {
    std::string path = dir.path() + "/model.yaml";
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

std::string headline(const std::string& path) {
    auto loaded = mlserve::spec::load_spec_file(path);
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().code == mlserve::core::ExitCode::usage);
    return loaded.error().headline();
}

} // namespace

TEST_CASE("load_spec_file loads every document of a file") {
    TempDir dir;
    auto loaded = mlserve::spec::load_spec_file(write(dir, spec_named("a") + "---\n" + spec_named("b")));
    REQUIRE(loaded.ok());
    REQUIRE(loaded->size() == 2);
    CHECK(loaded->at(1).value()["metadata"]["name"] == "b");
    CHECK(loaded->at(1).document.location("/metadata/name").line == 11);
}

TEST_CASE("load_spec_file refuses two documents for the same model") {
    TempDir dir;
    std::string path = write(dir, spec_named("a") + "---\n" + spec_named("a"));
    CHECK(headline(path) == path + ":11:9: metadata.name: a second ModelDeployment named \"a\" in namespace \"default\"");
}

TEST_CASE("load_spec_file surfaces the YAML loader's refusals with locations") {
    TempDir dir;
    std::string path = write(dir, spec_named("a") + "metadata: {name: b}\n");
    CHECK(headline(path) == path + ":7:1: duplicate key 'metadata'");
    path = write(dir, "apiVersion: [mlserve.io\n");
    CHECK(headline(path).starts_with(path + ":2:1: malformed YAML"));
    path = write(dir, std::string("!V2h3~sh,\0adowm", 15));
    CHECK(headline(path) == path + ":1:10: control character U+0000 is not allowed in YAML");
    path = write(dir, "!h,NAN1mNANAN1N1m");
    CHECK(headline(path) == path + ":1:3: malformed YAML: the parser made no progress here");
    path = write(dir, spec_named("a\x01" "b"));
    CHECK(headline(path) == path + ":4:10: control character U+0001 is not allowed in YAML");
    path = write(dir, spec_named("a\xff"));
    CHECK(headline(path) == path + ":4:10: invalid UTF-8");
    std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 0; i < 8; ++i)
        bomb += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [*" + (i ? "l" + std::to_string(i - 1) : "a") +
                ", *" + (i ? "l" + std::to_string(i - 1) : "a") + ", *" + (i ? "l" + std::to_string(i - 1) : "a") +
                ", *" + (i ? "l" + std::to_string(i - 1) : "a") + ", *" + (i ? "l" + std::to_string(i - 1) : "a") +
                ", *" + (i ? "l" + std::to_string(i - 1) : "a") + ", *" + (i ? "l" + std::to_string(i - 1) : "a") +
                ", *" + (i ? "l" + std::to_string(i - 1) : "a") + ", *" + (i ? "l" + std::to_string(i - 1) : "a") +
                ", *" + (i ? "l" + std::to_string(i - 1) : "a") + "]\n";
    path = write(dir, bomb);
    CHECK(headline(path).find("document expands to more than") != std::string::npos);
    path = write(dir, std::string(500, '[') + std::string(500, ']'));
    CHECK(headline(path).find("nesting deeper than") != std::string::npos);
}

TEST_CASE("load_spec_file refuses files over the spec size limit before parsing") {
    TempDir dir;
    std::string path = write(dir, k_spec + "# " + std::string(mlserve::spec::k_max_spec_bytes, 'x') + "\n");
    CHECK(headline(path) == path + ": file is " + std::to_string(k_spec.size() + mlserve::spec::k_max_spec_bytes + 3) +
                                " bytes, over the limit of 1048576");
}

TEST_CASE("load_spec_file says how to start when a file holds no document") {
    TempDir dir;
    std::string path = write(dir, "# nothing yet\n---\n");
    auto loaded = mlserve::spec::load_spec_file(path);
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().headline() == path + ": no ModelDeployment in " + path);
    CHECK(loaded.error().hint == "write one with `kubectl mlserve init --format sklearn --backend kserve -o " + path + "`");
    CHECK(headline(dir.path() + "/missing.yaml").starts_with(dir.path() + "/missing.yaml: cannot read"));
}

TEST_CASE("load_spec_file reports the first bad document of several with its own line") {
    TempDir dir;
    std::string path = write(dir, spec_named("a") + "---\n" + spec_named("b") + "  scaling: {maxReplicas: 0}\n");
    CHECK(headline(path) == path + ":14:26: spec.scaling.maxReplicas: maxReplicas must be 1 or more");
}

TEST_CASE("a document that is one multi-line string is refused as a spec and written back quoted") {
    TempDir dir;
    // Found by fuzz_yaml: emitted as a column-0 literal block, this failed to parse back.
    std::string text = "\"a\\n\\nFILE  ersion: mlser # x\\n\"\n";
    std::string path = write(dir, text);
    CHECK(headline(path) == path + ":1:1: expected a ModelDeployment map, got a string");
    auto docs = mlserve::core::parse_yaml(text, "t.yaml");
    REQUIRE(docs.ok());
    std::string emitted = mlserve::core::to_yaml(docs->at(0).value);
    CHECK(emitted == text);
    CHECK(mlserve::core::parse_yaml(emitted, "e.yaml").ok());
}

TEST_CASE("keys longer than YAML's 1024-character implicit-key limit are written as explicit keys") {
    // Found by fuzz_yaml: a long key written as an implicit key did not parse back.
    mlserve::core::Json v = {{std::string(1500, 'k'), {{"a", 1}}}, {"b", {{std::string(1200, 'x'), 2}}}};
    std::string emitted = mlserve::core::to_yaml(v);
    CHECK(emitted.starts_with("? " + std::string(1500, 'k') + "\n:\n  a: 1\n"));
    auto back = mlserve::core::parse_yaml(emitted, "e.yaml");
    REQUIRE(back.ok());
    CHECK(back->at(0).value == v);
    mlserve::core::Json list = mlserve::core::Json::array({{{std::string(1100, 'q'), "v"}, {"z", 1}}});
    auto list_back = mlserve::core::parse_yaml(mlserve::core::to_yaml(list), "l.yaml");
    REQUIRE(list_back.ok());
    CHECK(list_back->at(0).value == list);
}
