// The rules over manifests nobody wrote for them: every rendered example (examples/*/expected.yaml) and the
// real-world corpus (shared/corpus/real-world, upstream authors' own manifests).

#include <algorithm>
#include <filesystem>

#include "rules_helpers.hpp"
#include "support.hpp"

namespace validate = mlserve::validate;

namespace {

std::vector<std::string> files_in(const std::string& dir, const std::vector<std::string>& extensions) {
    std::vector<std::string> out;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir))
        if (entry.is_regular_file() &&
            std::find(extensions.begin(), extensions.end(), entry.path().extension().string()) != extensions.end())
            out.push_back(entry.path().string());
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<validate::Finding> only(const std::vector<validate::Finding>& findings, bool (*keep)(const validate::Finding&)) {
    std::vector<validate::Finding> out;
    std::copy_if(findings.begin(), findings.end(), std::back_inserter(out), keep);
    return out;
}

bool is_error(const validate::Finding& f) { return f.severity == validate::Severity::error; }
bool is_semantic(const validate::Finding& f) { return !f.rule.starts_with("policy."); }

} // namespace

TEST_CASE("rules: every rendered example has no error and no semantic finding with the default config") {
    std::vector<std::string> examples;
    for (const auto& file : files_in(mlserve::test::source_dir() + "/examples", {".yaml"}))
        if (file.ends_with("/expected.yaml")) examples.push_back(file);
    REQUIRE(examples.size() >= 10);
    for (const auto& file : examples) {
        auto findings = mlserve::test::findings_of(mlserve::test::load_manifests({file}));
        INFO(file);
        INFO("findings:\n" << mlserve::test::describe_all(findings));
        CHECK(only(findings, is_error).empty());
        CHECK(only(findings, is_semantic).empty());
    }
}

TEST_CASE("rules: the policies that fire on rendered examples are the known template gaps") {
    // Warnings only (asserted above). They document what the templates do not do yet: KServe and Seldon
    // pods do not set runAsNonRoot (a runtime image such as Triton's runs as root), single-replica demo
    // examples, and NetworkPolicies only where the spec asks for one.
    std::string dir = mlserve::test::source_dir() + "/examples/";
    auto rules_of = [&](const std::string& example) {
        std::vector<std::string> ids;
        for (const auto& f : mlserve::test::findings_of(mlserve::test::load_manifests({dir + example + "/expected.yaml"})))
            ids.push_back(f.rule);
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        return ids;
    };
    CHECK(rules_of("fraud-detection") == std::vector<std::string>{"policy.non-root"});
    CHECK(rules_of("sklearn-iris") ==
          std::vector<std::string>{"policy.min-replicas", "policy.network-policy", "policy.non-root"});
    CHECK(rules_of("text-classifier") == std::vector<std::string>{"policy.network-policy"});
}

TEST_CASE("rules: rendered examples meet signed-image and production policies when the spec asks for them") {
    validate::RuleConfig config;
    config.require_signed_images = true;
    auto findings = mlserve::test::findings_of(
        mlserve::test::load_manifests({mlserve::test::source_dir() + "/examples/fraud-detection/expected.yaml"}), config);
    INFO(mlserve::test::describe_all(findings));
    CHECK(only(findings, is_error).empty());
}

TEST_CASE("rules: the real-world corpus gets no semantic error, file by file and as one set") {
    auto files = files_in(mlserve::test::shared_dir() + "/corpus/real-world", {".yaml", ".json"});
    REQUIRE(files.size() >= 70);
    auto semantic_errors = [](const std::vector<validate::Finding>& findings) {
        std::vector<validate::Finding> out;
        for (const auto& f : findings)
            if (is_semantic(f) && is_error(f)) out.push_back(f);
        return out;
    };
    for (const auto& file : files) {
        auto findings = mlserve::test::findings_of(mlserve::test::load_manifests({file}));
        INFO(file);
        INFO("findings:\n" << mlserve::test::describe_all(findings));
        CHECK(semantic_errors(findings).empty());
    }
    // Files from unrelated repositories are no file set: a Rollout's Services are missing from the union only
    // because other files hold Services, so the cross-object rules do not apply to it.
    std::vector<validate::Finding> all;
    for (const auto& f : mlserve::test::findings_of(mlserve::test::load_manifests(files)))
        if (!f.rule.starts_with("cross.")) all.push_back(f);
    INFO("findings:\n" << mlserve::test::describe_all(semantic_errors(all)));
    CHECK(semantic_errors(all).empty());
}

TEST_CASE("rules: the semantic warnings on the real-world corpus are the justified ones") {
    // iter8's A/B example starts the candidate at traffic 0 and lets iter8 move the weights; with Ambassador
    // that first state is an even split (SeldonIO/seldon-core#4067).
    std::vector<std::string> warnings;
    for (const auto& file : files_in(mlserve::test::shared_dir() + "/corpus/real-world", {".yaml", ".json"}))
        for (const auto& f : mlserve::test::findings_of(mlserve::test::load_manifests({file})))
            if (is_semantic(f))
                warnings.push_back(std::filesystem::path(file).filename().string() + " " + mlserve::test::describe(f));
    INFO(mlserve::test::describe_all({}));
    CHECK(warnings == std::vector<std::string>{
                          "seldon-core__examples__iter8__progressive_rollout__single_sdep__abtest.yaml "
                          "seldon.traffic-zero 20:14 predictor \"candidate\" has traffic: 0, which is dropped when "
                          "serialised; Seldon's Ambassador mappings then split traffic evenly instead of sending it none"});
}
