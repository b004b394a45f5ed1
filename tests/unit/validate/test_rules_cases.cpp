// The rules corpus: tests/unit/validate/rules_cases/*.yaml, each a file set of manifests with its expected
// findings in comments (expect lines at the end, so that they move no line of the manifests):
//   # expect: RULE LINE:COL MESSAGE     one line per finding, exactly (or "# expect: none")
//   # config: production=NS[,NS]        RuleConfig::production_namespaces
//   # config: signed                    RuleConfig::require_signed_images
//   # checks: policy.ID[,policy.ID]     policy rules under test
// Findings of semantic rules are compared in full; policy findings only for the policy rules a case checks,
// so that a semantic case need not satisfy every policy and a policy case tests one policy.
// MLSERVE_UPDATE_GOLDEN=1 rewrites the expect lines from what the rules find; review the diff.

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/text.hpp"
#include "rules_helpers.hpp"
#include "support.hpp"

namespace validate = mlserve::validate;
using mlserve::test::describe;

namespace {

struct Case {
    std::string path;
    std::vector<std::string> expected; ///< "rule line:col message", in file order
    validate::RuleConfig config;
    std::set<std::string> policies;    ///< policy rules under test
};

Case read_case(const std::filesystem::path& path) {
    Case c{path.string(), {}, {}, {}};
    std::istringstream in(mlserve::test::slurp(path.string()));
    for (std::string line; std::getline(in, line);) {
        if (line.starts_with("# expect: ") && line != "# expect: none") c.expected.push_back(line.substr(10));
        if (line.starts_with("# config: production="))
            for (const auto& ns : mlserve::core::split(line.substr(21), ',')) c.config.production_namespaces.insert(ns);
        if (line == "# config: signed") c.config.require_signed_images = true;
        if (line.starts_with("# checks: "))
            for (const auto& id : mlserve::core::split(line.substr(10), ',')) c.policies.insert(id);
    }
    for (const auto& e : c.expected)
        if (e.starts_with("policy.")) c.policies.insert(e.substr(0, e.find(' ')));
    return c;
}

std::vector<std::filesystem::path> case_files() {
    std::vector<std::filesystem::path> out;
    for (const auto& entry :
         std::filesystem::directory_iterator(mlserve::test::source_dir() + "/tests/unit/validate/rules_cases"))
        if (entry.path().extension() == ".yaml") out.push_back(entry.path());
    std::sort(out.begin(), out.end());
    return out;
}

// Replaces the expect lines of a case with `actual`, at its end so that no line of the manifests moves.
void rewrite_expectations(const std::string& path, const std::vector<std::string>& actual) {
    std::istringstream in(mlserve::test::slurp(path));
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
        if (!line.starts_with("# expect: ")) lines.push_back(line);
    while (!lines.empty() && lines.back().empty()) lines.pop_back();
    std::ofstream out(path);
    for (const auto& line : lines) out << line << "\n";
    if (actual.empty()) out << "# expect: none\n";
    for (const auto& line : actual) out << "# expect: " << line << "\n";
}

} // namespace

TEST_CASE("rules corpus: every case produces exactly its expected findings") {
    auto files = case_files();
    REQUIRE(files.size() >= 40);
    for (const auto& file : files) {
        Case c = read_case(file);
        auto manifests = mlserve::test::load_manifests({c.path});
        auto findings = mlserve::test::findings_of(manifests, c.config);
        std::vector<std::string> actual;
        for (const auto& f : findings)
            if (!f.rule.starts_with("policy.") || c.policies.count(f.rule)) actual.push_back(describe(f));
        if (const char* update = std::getenv("MLSERVE_UPDATE_GOLDEN"); update && std::string(update) == "1") {
            rewrite_expectations(c.path, actual);
            continue;
        }
        auto sorted_expected = c.expected;
        std::sort(sorted_expected.begin(), sorted_expected.end());
        std::sort(actual.begin(), actual.end());
        INFO(c.path);
        INFO("actual findings:\n" << mlserve::test::describe_all(findings));
        CHECK(actual == sorted_expected);
    }
}

TEST_CASE("rules corpus: every rule has an invalid case and every checked kind a valid one") {
    std::set<std::string> covered;
    std::set<std::string> valid_kinds;
    for (const auto& file : case_files()) {
        Case c = read_case(file);
        for (const auto& e : c.expected) covered.insert(e.substr(0, e.find(' ')));
        if (c.expected.empty())
            for (const auto& m : mlserve::test::load_manifests({c.path})) valid_kinds.insert(m.kind());
    }
    for (const auto* rules : {&validate::semantic_rules(), &validate::policy_rules()})
        for (const auto& rule : *rules) {
            INFO(rule.id);
            CHECK(covered.count(rule.id) == 1);
        }
    for (const char* kind : {"InferenceService", "SeldonDeployment", "Rollout", "HorizontalPodAutoscaler",
                             "Deployment", "Service", "NetworkPolicy", "ServiceMonitor", "AnalysisTemplate"}) {
        INFO(kind);
        CHECK(valid_kinds.count(kind) == 1);
    }
}
