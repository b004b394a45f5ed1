// The template author tools behind `templates eval` and `templates export`.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "support.hpp"
#include "template/tools.hpp"

using mlserve::test::slurp;
using mlserve::test::TempDir;

namespace {
void write(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }
} // namespace

TEST_CASE("eval_template_file evaluates every document and formats YAML or JSON") {
    TempDir dir;
    write(dir.path() + "/t.yaml", "a: ${x}\n---\n{$if: 'x == \"skip\"', then: gone}\n---\nb: {$fromNow: 1 day}\n");
    write(dir.path() + "/c.json", R"({"x": "v"})");
    mlserve::tmpl::EvalFileOptions options{dir.path() + "/t.yaml", dir.path() + "/c.json", "yaml", "2024-02-28T12:00:00Z"};
    auto yaml = mlserve::tmpl::eval_template_file(options);
    REQUIRE(yaml.ok());
    CHECK(*yaml == "---\na: v\n---\nb: \"2024-02-29T12:00:00.000Z\"\n");
    options.output = "json";
    auto json = mlserve::tmpl::eval_template_file(options);
    REQUIRE(json.ok());
    CHECK(*json == "[\n  {\n    \"a\": \"v\"\n  },\n  null,\n  {\n    \"b\": \"2024-02-29T12:00:00.000Z\"\n  }\n]\n");
}

TEST_CASE("eval_template_file refuses contexts that are not a map of identifiers, and bad --now times") {
    TempDir dir;
    write(dir.path() + "/t.yaml", "a: 1\n");
    write(dir.path() + "/list.yaml", "- 1\n");
    write(dir.path() + "/keys.yaml", "ok: 1\nnot ok: 2\n");
    auto list = mlserve::tmpl::eval_template_file({dir.path() + "/t.yaml", dir.path() + "/list.yaml", "yaml", {}});
    REQUIRE_FALSE(list.ok());
    CHECK(list.error().headline() == dir.path() + "/list.yaml:1:1: the context must be a map of names to values, not array");
    auto keys = mlserve::tmpl::eval_template_file({dir.path() + "/t.yaml", dir.path() + "/keys.yaml", "yaml", {}});
    REQUIRE_FALSE(keys.ok());
    CHECK(keys.error().headline() == dir.path() + "/keys.yaml:2:9: not ok: context name 'not ok' is not an identifier");
    auto now = mlserve::tmpl::eval_template_file({dir.path() + "/t.yaml", dir.path() + "/list.yaml", "yaml", "soon"});
    REQUIRE_FALSE(now.ok());
    CHECK(now.error().message == "--now 'soon' is not an ISO 8601 time");
}

TEST_CASE("export_templates writes folders and files, and refuses to overwrite without force") {
    TempDir dir;
    const mlserve::render::EmbeddedFile files[] = {{"kserve/isvc.yaml", "kind: InferenceService\n", {}},
                                                   {"hpa.yaml", "kind: HorizontalPodAutoscaler\n", {}}};
    auto written = mlserve::tmpl::export_templates(files, dir.path() + "/out", false);
    REQUIRE(written.ok());
    CHECK(*written == std::vector<std::string>{dir.path() + "/out/kserve/isvc.yaml", dir.path() + "/out/hpa.yaml"});
    CHECK(slurp(dir.path() + "/out/kserve/isvc.yaml") == "kind: InferenceService\n");

    write(dir.path() + "/out/hpa.yaml", "edited\n");
    auto again = mlserve::tmpl::export_templates(files, dir.path() + "/out", false);
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == mlserve::core::ExitCode::usage);
    CHECK(again.error().message == "refusing to overwrite 2 existing files: " + dir.path() + "/out/kserve/isvc.yaml, " +
                                       dir.path() + "/out/hpa.yaml");
    CHECK(slurp(dir.path() + "/out/hpa.yaml") == "edited\n");
    auto forced = mlserve::tmpl::export_templates(files, dir.path() + "/out", true);
    REQUIRE(forced.ok());
    CHECK(slurp(dir.path() + "/out/hpa.yaml") == "kind: HorizontalPodAutoscaler\n");
}
