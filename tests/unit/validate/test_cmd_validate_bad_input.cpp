// `kubectl mlserve validate` on hostile or broken input: huge files, many documents, broken and recursive schemas.
// Each must end with a clear message or a correct report, never a hang or a crash.

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "validate_helpers.hpp"

using namespace mlserve::test;

TEST_CASE("validate refuses a 100 MB file by its size, without reading it, and checks the other inputs") {
    NoDefaultSchemas env;
    TempDir dir;
    const std::string big = dir.path() + "/big.yaml";
    {
        std::ofstream out(big, std::ios::binary);
        const std::string line = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n---\n";
        for (std::size_t written = 0; written < (100u << 20); written += line.size()) out << line;
    }
    std::filesystem::resize_file(big, 100u << 20);
    auto r = run_cli("validate --disable schema.not-found -f " + quoted(big) + " -f -", "apiVersion: v1\nkind: Pod\n");
    CHECK(r.exit_code == 2);
    CHECK(r.out.rfind(big + ": error[input.too-large]: file is 104857600 bytes, over the limit of 67108864\n"
                            "  hint: split it into files of at most 64 MiB\n",
                      0) == 0);
    CHECK(r.out.find("1 error, 0 warnings in 2 objects from 2 files\n") != std::string::npos);
}

// Seconds in a release build, a minute under the sanitizers: label slow.
TEST_SUITE("slow") {
TEST_CASE("validate reads a hundred thousand documents of one stream and counts them all") {
    NoDefaultSchemas env;
    TempDir dir;
    const std::string file = dir.path() + "/many.yaml";
    {
        std::ofstream out(file, std::ios::binary);
        for (int i = 0; i < 100000; ++i)
            out << "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c" << i << "\n  namespace: ns\ndata:\n  k: v\n---\n";
        out << "apiVersion: v1\nmetadata: {name: last}\n";
    }
    auto r = run_cli("validate --disable schema.not-found -f " + quoted(file));
    CHECK(r.exit_code == 3);
    CHECK(r.out == file + ":800001:1: error[input.missing-kind]: document 100001 has no kind\n"
                          "  hint: add kind, e.g. kind: Deployment\n"
                          "note: no schema sources: pass --schema-location DIR|FILE|URL, or set MLSERVE_SCHEMA_PATH\n"
                          "note: no schema for v1 ConfigMap (100000 objects): pass --schema-location with its CRD or "
                          "OpenAPI document\n"
                          "1 error, 0 warnings in 100001 objects from 1 file\n");
}
} // TEST_SUITE("slow")

TEST_CASE("validate: a broken schema file is an error naming it") {
    TempDir dir;
    const std::string broken = dir.path() + "/broken-crd.yaml";
    write_file(broken, "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec:\n  group: [x\n");
    auto r = run_cli("validate --schema-location " + quoted(broken) + " -f -", "apiVersion: v1\nkind: Pod\n");
    CHECK(r.exit_code == 2);
    CHECK(r.out == "");
    CHECK(r.err.rfind("error: " + broken + ":", 0) == 0);
}

TEST_CASE("validate follows a recursive $ref through nested objects and still finds a deep unknown field") {
    TempDir dir;
    const std::string schema = dir.path() + "/tree.json";
    write_file(schema, R"({"openapi": "3.0.0", "components": {"schemas": {"com.example.v1.Tree": {
        "type": "object",
        "x-kubernetes-group-version-kind": [{"group": "example.com", "version": "v1", "kind": "Tree"}],
        "properties": {"apiVersion": {"type": "string"}, "kind": {"type": "string"},
                       "metadata": {"type": "object", "properties": {"name": {"type": "string"}}},
                       "value": {"type": "integer"},
                       "children": {"type": "array", "items": {"$ref": "#/components/schemas/com.example.v1.Tree"}}}}}}}
)");
    const std::string tree = "apiVersion: example.com/v1\nkind: Tree\nmetadata: {name: t}\nchildren:\n"
                             "- value: 1\n  children:\n  - value: 2\n    children:\n    - value: 3\n      colour: red\n";
    auto r = run_cli("validate -o json --schema-location " + quoted(schema) + " -f -", tree);
    CHECK(r.exit_code == 3);
    auto report = nlohmann::json::parse(r.out);
    REQUIRE(report["findings"].size() == 1);
    CHECK(report["findings"][0]["rule"] == "schema.unknown-field");
    CHECK(report["findings"][0]["line"] == 10);
}
