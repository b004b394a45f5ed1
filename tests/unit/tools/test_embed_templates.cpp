// packaging/tools/embed_templates.cpp, the build step that embeds templates/: a template that does not parse
// or compile fails the build with file:line:col, and the table it writes holds the exact source text.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <filesystem>
#include <fstream>

#include "support.hpp"

namespace fs = std::filesystem;
using mlserve::test::slurp;
using mlserve::test::TempDir;

namespace {

struct ToolRun {
    int exit_code = -1;
    std::string err;
};

ToolRun run_tool(const std::string& output, const std::string& dir) {
    const std::string err = fs::path(dir).parent_path().string() + "/tool.err";
    const std::string command =
        "'" + std::string(MLSERVE_EMBED_TOOL) + "' '" + output + "' '" + dir + "' 2>'" + err + "'";
    const int status = std::system(command.c_str());
    return ToolRun{WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(err)};
}

void write(const std::string& path, const std::string& text) {
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

} // namespace

TEST_CASE("the embedding tool fails on a template that does not parse, naming file, line and column") {
    TempDir tmp;
    write(tmp.path() + "/templates/a/good.yaml", "kind: ConfigMap\n");
    write(tmp.path() + "/templates/b/bad.yaml", "kind: ConfigMap\ndata:\n  x: 1\n  x: 2\n");
    const auto run = run_tool(tmp.path() + "/out.cpp", tmp.path() + "/templates");
    CHECK(run.exit_code == 1);
    CHECK(run.err == "error: " + tmp.path() + "/templates/b/bad.yaml:4:3: duplicate key 'x'\n"
                     "hint: remove one of the two; YAML keeps only one silently\n");
    CHECK_FALSE(fs::exists(tmp.path() + "/out.cpp"));
}

TEST_CASE("the embedding tool fails on a template that does not compile") {
    TempDir tmp;
    write(tmp.path() + "/templates/t.yaml", "metadata:\n  name: {$iff: 'x'}\n");
    const auto run = run_tool(tmp.path() + "/out.cpp", tmp.path() + "/templates");
    CHECK(run.exit_code == 1);
    CHECK(run.err == "error: " + tmp.path() + "/templates/t.yaml:2:16: metadata.name.$iff: unknown operator '$iff'\n"
                     "hint: did you mean '$if'? (or write '$$iff' for a literal key named '$iff')\n");
}

TEST_CASE("the embedding tool writes every template, sorted, with its source as bytes") {
    TempDir tmp;
    write(tmp.path() + "/templates/z.yaml", "# comment\nz: 1\n");
    write(tmp.path() + "/templates/a/b.yaml", "a: \"\\\"${x}\"\n");
    write(tmp.path() + "/templates/notes.txt", "not a template\n");
    const std::string out = tmp.path() + "/gen/out.cpp";
    const auto run = run_tool(out, tmp.path() + "/templates");
    CHECK(run.exit_code == 0);
    CHECK(run.err.empty());
    const std::string generated = slurp(out);
    const auto a = generated.find("{\"a/b.yaml\", view(k_text_0, 12), view(k_encoded_0, ");
    const auto z = generated.find("{\"z.yaml\", view(k_text_1, 15), view(k_encoded_1, ");
    CHECK(a != std::string::npos);
    CHECK(z != std::string::npos);
    CHECK(a < z);
    CHECK(generated.find("notes") == std::string::npos);
    // "# comment\n" as bytes: the comment is kept for `templates export`.
    CHECK(generated.find("static const unsigned char k_text_1[] = {\n    35, 32, 99, 111, 109, 109, 101, 110, 116, 10,") !=
          std::string::npos);
    // Unchanged templates leave the file alone, so that nothing recompiles.
    const auto written = fs::last_write_time(out);
    fs::last_write_time(out, written - std::chrono::hours(1));
    CHECK(run_tool(out, tmp.path() + "/templates").exit_code == 0);
    CHECK(fs::last_write_time(out) == written - std::chrono::hours(1));
}
