// `kubectl mlserve templates list|export|eval` through the built binary: output, exit codes, error text.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "render/embedded.hpp"
#include "support.hpp"

using mlserve::test::run_cli;
using mlserve::test::slurp;
using mlserve::test::TempDir;

namespace {
void write(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }
} // namespace

TEST_CASE("templates eval prints the evaluated template as YAML or JSON") {
    TempDir dir;
    write(dir.path() + "/isvc.yaml", "metadata:\n  name: ${name}\nspec:\n  minReplicas: {$eval: scaling.min}\n");
    write(dir.path() + "/ctx.yaml", "name: fraud\nscaling: {min: 2}\n");
    auto yaml = run_cli("templates eval '" + dir.path() + "/isvc.yaml' --context '" + dir.path() + "/ctx.yaml'");
    CHECK(yaml.exit_code == 0);
    CHECK(yaml.err == "");
    CHECK(yaml.out == "metadata:\n  name: fraud\nspec:\n  minReplicas: 2\n");
    auto json = run_cli("templates eval '" + dir.path() + "/isvc.yaml' -o json --context -", "{\"name\": \"x\", \"scaling\": {\"min\": 1}}");
    CHECK(json.exit_code == 0);
    CHECK(json.out == "{\n  \"metadata\": {\n    \"name\": \"x\"\n  },\n  \"spec\": {\n    \"minReplicas\": 1\n  }\n}\n");
}

TEST_CASE("templates eval exits 2 with the template location, the offending line and a hint") {
    TempDir dir;
    const std::string file = dir.path() + "/isvc.yaml";
    write(file, "spec:\n  predictor:\n    minReplicas: ${scaling.min}\n");
    write(dir.path() + "/ctx.yaml", "scaling: {minReplicas: 2}\n");
    auto r = run_cli("templates eval '" + file + "' --context '" + dir.path() + "/ctx.yaml'");
    CHECK(r.exit_code == 2);
    CHECK(r.out == "");
    CHECK(r.err == "error: " + file + ":3:18: spec.predictor.minReplicas: unknown context value 'scaling.min'\n"
                   "      minReplicas: ${scaling.min}\n"
                   "                   ^\n"
                   "hint: did you mean 'scaling.minReplicas'?\n");
}

TEST_CASE("templates eval exits 2 on an unknown operator, a bad context and a missing file") {
    TempDir dir;
    write(dir.path() + "/t.yaml", "replicas:\n  $iff: canary\n  then: 1\n");
    write(dir.path() + "/ctx.yaml", "[1, 2]\n");
    auto op = run_cli("templates eval '" + dir.path() + "/t.yaml'");
    CHECK(op.exit_code == 2);
    CHECK(op.err.rfind("error: " + dir.path() + "/t.yaml:2:9: replicas.$iff: unknown operator '$iff'\n", 0) == 0);
    CHECK(op.err.find("hint: did you mean '$if'? (or write '$$iff' for a literal key named '$iff')\n") != std::string::npos);
    write(dir.path() + "/ok.yaml", "a: 1\n");
    auto ctx = run_cli("templates eval '" + dir.path() + "/ok.yaml' --context '" + dir.path() + "/ctx.yaml'");
    CHECK(ctx.exit_code == 2);
    CHECK(ctx.err.rfind("error: " + dir.path() + "/ctx.yaml:1:1: the context must be a map of names to values, not array\n", 0) == 0);
    auto missing = run_cli("templates eval '" + dir.path() + "/nope.yaml'");
    CHECK(missing.exit_code == 2);
    CHECK(missing.err.find("nope.yaml") != std::string::npos);
}

TEST_CASE("templates list prints every embedded template path") {
    auto r = run_cli("templates list");
    CHECK(r.exit_code == 0);
    std::string expected;
    for (const auto& file : mlserve::render::embedded_templates()) expected += std::string(file.path) + "\n";
    CHECK(r.out == expected);
}

TEST_CASE("templates export writes every embedded template and needs --force to overwrite") {
    TempDir dir;
    const std::string out = dir.path() + "/exported";
    auto first = run_cli("templates export '" + out + "'");
    CHECK(first.exit_code == 0);
    const auto files = mlserve::render::embedded_templates();
    std::string listed;
    for (const auto& file : files) {
        listed += out + "/" + std::string(file.path) + "\n";
        CHECK(slurp(out + "/" + std::string(file.path)) == file.text);
    }
    CHECK(first.out == listed);
    auto second = run_cli("templates export '" + out + "'");
    if (!files.empty()) {
        CHECK(second.exit_code == 2);
        CHECK(second.err.find("refusing to overwrite") != std::string::npos);
        CHECK(second.err.find("hint: pass --force to overwrite them") != std::string::npos);
    }
    CHECK(run_cli("templates export '" + out + "' --force").exit_code == 0);
}

TEST_CASE("templates needs a subcommand and eval needs a template") {
    CHECK(run_cli("templates").exit_code == 2);
    auto r = run_cli("templates eval");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("TEMPLATE") != std::string::npos);
}
