// Golden tests: every examples/<scenario>/model.yaml renders to its expected.yaml, byte for byte, through
// the library and through the built binary. MLSERVE_UPDATE_GOLDEN=1 rewrites the expected files instead.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/yaml.hpp"
#include "render/run.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using mlserve::test::run_cli;
using mlserve::test::slurp;
using mlserve::test::source_dir;

namespace {

/// The example folder that also has golden files for -o json and --out-dir.
constexpr const char* k_format_example = "argo-canary";

bool update_golden() {
    const char* env = std::getenv("MLSERVE_UPDATE_GOLDEN");
    return env && std::string(env) == "1";
}

/// Every examples/<scenario>/ with a model.yaml, sorted. A folder without its expected.yaml is not skipped:
/// check_golden fails on it (or writes it with MLSERVE_UPDATE_GOLDEN=1).
std::vector<fs::path> examples() {
    std::vector<fs::path> out;
    fs::path root = fs::path(source_dir()) / "examples";
    REQUIRE_MESSAGE(fs::is_directory(root), root.string() << " is missing");
    for (const auto& entry : fs::directory_iterator(root))
        if (fs::exists(entry.path() / "model.yaml")) out.push_back(entry.path());
    std::sort(out.begin(), out.end());
    REQUIRE_MESSAGE(!out.empty(), "no examples/<scenario>/model.yaml found under " << root.string());
    return out;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

/// A unified-style excerpt of the first hunk where `actual` differs from `expected` (a line diff over the
/// next 40 lines, three lines of context).
std::string first_difference(const std::string& expected, const std::string& actual) {
    auto want = lines_of(expected), got = lines_of(actual);
    size_t line = 0;
    while (line < want.size() && line < got.size() && want[line] == got[line]) ++line;
    std::string out = "first difference at line " + std::to_string(line + 1) + " (- expected, + rendered):\n";
    if (line == want.size() && line == got.size()) return out + "  (only the final newline differs)\n";
    for (size_t i = line >= 3 ? line - 3 : 0; i < line; ++i) out += "  " + want[i] + "\n";
    size_t n = std::min<size_t>(want.size() - line, 40), m = std::min<size_t>(got.size() - line, 40);
    // lcs[i][j]: longest common subsequence of want[line+i..line+n) and got[line+j..line+m).
    std::vector<std::vector<size_t>> lcs(n + 1, std::vector<size_t>(m + 1, 0));
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;)
            lcs[i][j] = want[line + i] == got[line + j] ? lcs[i + 1][j + 1] + 1
                                                        : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    size_t i = 0, j = 0, same = 0;
    while ((i < n || j < m) && same < 3) {
        if (i < n && j < m && want[line + i] == got[line + j]) {
            out += "  " + want[line + i++] + "\n";
            ++j, ++same;
        } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
            out += "- " + want[line + i++] + "\n";
            same = 0;
        } else {
            out += "+ " + got[line + j++] + "\n";
            same = 0;
        }
    }
    return out;
}

/// Compares `actual` with the golden file, or rewrites the golden file with MLSERVE_UPDATE_GOLDEN=1.
void check_golden(const fs::path& golden, const std::string& actual) {
    if (update_golden()) {
        fs::create_directories(golden.parent_path());
        std::ofstream(golden, std::ios::binary) << actual;
        MESSAGE("rewrote " << golden.string());
        return;
    }
    if (!fs::exists(golden)) {
        FAIL_CHECK(golden.string() << " is missing: write it with MLSERVE_UPDATE_GOLDEN=1 and review it");
        return;
    }
    std::string expected = slurp(golden.string());
    if (expected != actual) FAIL_CHECK(golden.string() << " does not match\n" << first_difference(expected, actual));
}

mlserve::core::Result<std::string> render(const fs::path& spec, mlserve::render::OutputFormat format,
                                          const std::string& out_dir = {}) {
    auto output = mlserve::render::run_render({{spec.string()}, format, out_dir, {}, false});
    if (!output) return std::move(output).error();
    return std::move(output->text);
}

} // namespace

TEST_CASE("golden: every example renders to its expected.yaml") {
    for (const auto& example : examples()) {
        CAPTURE(example.string());
        auto rendered = render(example / "model.yaml", mlserve::render::OutputFormat::yaml);
        REQUIRE_MESSAGE(rendered.ok(), (rendered.ok() ? "" : rendered.error().headline()));
        check_golden(example / "expected.yaml", *rendered);
    }
}

TEST_CASE("golden: the binary renders every example to the same bytes") {
    if (update_golden()) return;
    for (const auto& example : examples()) {
        CAPTURE(example.string());
        auto result = run_cli("render -f '" + (example / "model.yaml").string() + "'");
        CHECK_MESSAGE(result.exit_code == 0, result.err);
        CHECK(result.err.empty());
        if (!fs::exists(example / "expected.yaml")) {
            FAIL_CHECK((example / "expected.yaml").string() << " is missing");
            continue;
        }
        std::string expected = slurp((example / "expected.yaml").string());
        if (result.out != expected) FAIL_CHECK("render -f differs\n" << first_difference(expected, result.out));
    }
}

TEST_CASE("golden: render -f examples/ prints every example's objects in the tree walker's order") {
    if (update_golden()) return;
    // render -f DIR walks the directory's YAML files sorted by path string (render::find_yaml_files) and
    // prints each spec's objects in that order; no two examples share an object, so nothing is folded and
    // the output is each example's expected.yaml, concatenated in that order.
    std::vector<std::string> specs;
    for (const auto& example : examples()) specs.push_back((example / "model.yaml").string());
    std::sort(specs.begin(), specs.end());
    std::string expected;
    for (const auto& spec : specs) expected += slurp((fs::path(spec).parent_path() / "expected.yaml").string());

    std::string dir = (fs::path(source_dir()) / "examples").string() + "/";
    auto result = run_cli("render -f '" + dir + "'");
    CHECK_MESSAGE(result.exit_code == 0, result.err);
    CHECK(result.err.empty());
    if (result.out != expected) FAIL_CHECK("render -f examples/ differs\n" << first_difference(expected, result.out));

    // -o name lists the same objects, one line each.
    auto names = run_cli("render -f '" + dir + "' -o name");
    CHECK_MESSAGE(names.exit_code == 0, names.err);
    auto documents = mlserve::core::parse_yaml(expected, "expected");
    REQUIRE(documents.ok());
    CHECK(lines_of(names.out).size() == documents->size());
}

TEST_CASE("golden: -o json and --out-dir of one example") {
    fs::path example = fs::path(source_dir()) / "examples" / k_format_example;
    if (!fs::exists(example / "model.yaml")) {
        MESSAGE("examples/" << k_format_example << " does not exist yet; nothing to compare");
        return;
    }
    fs::path golden = fs::path(source_dir()) / "tests" / "golden" / "render";
    auto json = render(example / "model.yaml", mlserve::render::OutputFormat::json);
    REQUIRE_MESSAGE(json.ok(), (json.ok() ? "" : json.error().headline()));
    check_golden(golden / (std::string(k_format_example) + ".json"), *json);

    // The JSON List holds exactly the documents of the YAML output.
    auto yaml = render(example / "model.yaml", mlserve::render::OutputFormat::yaml);
    REQUIRE(yaml.ok());
    auto documents = mlserve::core::parse_yaml(*yaml, "rendered");
    REQUIRE(documents.ok());
    auto list = mlserve::core::Json::parse(*json);
    REQUIRE(list["items"].size() == documents->size());
    for (size_t i = 0; i < documents->size(); ++i) CHECK(list["items"][i] == (*documents)[i].value);

    // --out-dir: one file per object, each file the object's YAML document.
    mlserve::test::TempDir tmp;
    auto written = render(example / "model.yaml", mlserve::render::OutputFormat::yaml, tmp.path() + "/out");
    REQUIRE_MESSAGE(written.ok(), (written.ok() ? "" : written.error().headline()));
    std::string listing;
    std::string joined;
    for (const auto& path : lines_of(*written)) {
        listing += fs::path(path).lexically_relative(tmp.path() + "/out").generic_string() + "\n";
        joined += "---\n" + slurp(path);
    }
    check_golden(golden / (std::string(k_format_example) + ".out-dir.txt"), listing);
    CHECK(joined == *yaml);
}
