// The rule catalogue, RuleConfig (disabling, severities, production namespaces), the fields of a finding,
// and robustness: no rule may throw or crash on a manifest of the wrong shape.

#include <algorithm>
#include <set>

#include "core/json.hpp"
#include "rules_helpers.hpp"
#include "support.hpp"
#include "validate/rules_detail.hpp"

namespace validate = mlserve::validate;
using mlserve::core::Json;

namespace {

const char* k_traffic_zero = R"(apiVersion: machinelearning.seldon.io/v1
kind: SeldonDeployment
metadata:
  name: zero
  namespace: prod
spec:
  predictors:
    - name: main
      traffic: 100
      graph: {name: m, implementation: SKLEARN_SERVER, modelUri: s3://m/1}
    - name: canary
      traffic: 0
      graph: {name: m, implementation: SKLEARN_SERVER, modelUri: s3://m/2}
)";

std::vector<std::string> rules_of(const std::vector<validate::Finding>& findings) {
    std::vector<std::string> out;
    for (const auto& f : findings) out.push_back(f.rule);
    return out;
}

} // namespace

TEST_CASE("rules catalogue: stable unique ids, categories, one-line docs") {
    std::set<std::string> ids;
    for (const auto* list : {&validate::semantic_rules(), &validate::policy_rules()})
        for (const auto& rule : *list) {
            INFO(rule.id);
            CHECK(ids.insert(rule.id).second);
            CHECK(rule.category == (list == &validate::policy_rules() ? "policy" : "semantic"));
            CHECK(rule.id.starts_with(rule.category == "policy" ? "policy." : ""));
            CHECK(!rule.doc.empty());
            CHECK(rule.doc.find('\n') == std::string::npos);
            CHECK(rule.doc.size() <= 110);
        }
    CHECK(validate::semantic_rules().size() == 37);
    CHECK(validate::policy_rules().size() == 7);
}

TEST_CASE("rules: a finding carries rule, severity, location, path, object and hint") {
    auto findings = mlserve::test::findings_of(mlserve::test::manifests_of(k_traffic_zero, "sdep.yaml"));
    REQUIRE(findings.size() == 4); // traffic-zero, and policy warnings
    const auto& f = findings[0];
    CHECK(f.rule == "seldon.traffic-zero");
    CHECK(f.severity == validate::Severity::warning);
    CHECK(f.location.file == "sdep.yaml");
    CHECK(f.location.line == 12);
    CHECK(f.location.column == 16);
    CHECK(f.path == "spec.predictors[1].traffic");
    CHECK(f.object == "SeldonDeployment/zero");
    CHECK(f.message == "predictor \"canary\" has traffic: 0, which is dropped when serialised; Seldon's Ambassador "
                       "mappings then split traffic evenly instead of sending it none");
    CHECK(f.hint == "remove the predictor to stop its traffic (SeldonIO/seldon-core#4067), or give it a share");
    CHECK(rules_of(findings) == std::vector<std::string>{"seldon.traffic-zero", "policy.min-replicas",
                                                         "policy.min-replicas", "policy.network-policy"});
}

TEST_CASE("rules config: disable by id or category, override severities, scope production namespaces") {
    auto manifests = mlserve::test::manifests_of(k_traffic_zero);
    validate::RuleConfig config;
    config.disabled = {"seldon.traffic-zero", "policy.network-policy"};
    CHECK(rules_of(mlserve::test::findings_of(manifests, config)) ==
          std::vector<std::string>{"policy.min-replicas", "policy.min-replicas"});

    config.disabled = {"policy"};
    CHECK(rules_of(mlserve::test::findings_of(manifests, config)) == std::vector<std::string>{"seldon.traffic-zero"});

    config.disabled = {"semantic"};
    config.severity = {{"policy.min-replicas", validate::Severity::error}, {"seldon.traffic-zero", validate::Severity::info}};
    auto findings = mlserve::test::findings_of(manifests, config);
    REQUIRE(findings.size() == 3);
    CHECK(findings[0].rule == "policy.min-replicas");
    CHECK(findings[0].severity == validate::Severity::error);
    CHECK(findings[2].rule == "policy.network-policy");
    CHECK(findings[2].severity == validate::Severity::warning);

    config.disabled = {};
    findings = mlserve::test::findings_of(manifests, config);
    REQUIRE(findings.size() == 4);
    CHECK(findings[0].severity == validate::Severity::info);

    config = {};
    config.production_namespaces = {"live"};
    CHECK(rules_of(mlserve::test::findings_of(manifests, config)) ==
          std::vector<std::string>{"seldon.traffic-zero", "policy.network-policy"});
    config.production_namespaces = {"live", "prod"};
    CHECK(rules_of(mlserve::test::findings_of(manifests, config)).size() == 4);
}

TEST_CASE("rules: signed images are required only when configured") {
    auto manifests = mlserve::test::manifests_of(k_traffic_zero);
    validate::RuleConfig config;
    for (const auto& f : mlserve::test::findings_of(manifests, config)) CHECK(f.rule != "policy.signed-image");
    config.require_signed_images = true;
    auto ids = rules_of(mlserve::test::findings_of(manifests, config));
    CHECK(std::count(ids.begin(), ids.end(), std::string("policy.signed-image")) == 1);
}

TEST_CASE("rules: wrong types anywhere never throw, crash or produce findings about the wrong node") {
    // Every node of every rendered example replaced, one at a time, by a value of each JSON type.
    const std::vector<Json> k_replacements = {Json(nullptr), Json(7),           Json(-1.5), Json("x"),
                                              Json(true),    Json::array({1}), Json::object({{"a", "b"}})};
    std::vector<std::string> files;
    for (const char* example : {"fraud-detection", "argo-canary", "seldon-canary", "text-classifier", "standard-canary"})
        files.push_back(mlserve::test::source_dir() + "/examples/" + example + "/expected.yaml");
    size_t runs = 0;
    for (const auto& file : files) {
        auto manifests = mlserve::test::load_manifests({file});
        for (size_t i = 0; i < manifests.size(); ++i) {
            Json flat = manifests[i].doc.value.flatten();
            // Leaves and their parents: flatten() names leaves; cutting one token off names the container.
            std::set<std::string> pointers;
            for (const auto& [pointer, value] : flat.items()) {
                pointers.insert(pointer);
                pointers.insert(pointer.substr(0, pointer.rfind('/')));
            }
            for (const auto& pointer : pointers)
                for (const Json& replacement : k_replacements) {
                    auto mutated = manifests;
                    mutated[i].doc.value[Json::json_pointer(pointer)] = replacement;
                    std::vector<validate::Finding> out;
                    CHECK_NOTHROW(validate::check_rules(mutated, {}, out));
                    for (const auto& f : out) CHECK(!f.rule.empty());
                    ++runs;
                }
        }
    }
    CHECK(runs > 5000);
}

TEST_CASE("rules: objects that are not objects, and empty sets, are skipped") {
    std::vector<validate::Manifest> manifests;
    manifests.push_back({mlserve::core::Document{Json::array({1, 2}), {}, "a.yaml"}, 0});
    manifests.push_back({mlserve::core::Document{Json("text"), {}, "a.yaml"}, 1});
    manifests.push_back({mlserve::core::Document{Json::object({{"kind", 5}, {"apiVersion", Json::array()}}), {}, "a.yaml"}, 2});
    std::vector<validate::Finding> out;
    validate::check_rules(manifests, {}, out);
    CHECK(out.empty());
    validate::check_rules({}, {}, out);
    CHECK(out.empty());
}

TEST_CASE("rules: label selectors follow Kubernetes semantics, and open label sets never give false misses") {
    using mlserve::validate::detail::LabelSet;
    using mlserve::validate::detail::selector_matches;
    LabelSet pods{{{"app", "api"}, {"tier", "model"}}, false};
    LabelSet open{{{"app", "api"}}, true};
    auto matches = [](const char* yaml, const LabelSet& set) {
        Json selector = mlserve::test::manifests_of(yaml)[0].doc.value;
        return selector_matches(&selector, set);
    };
    CHECK(matches("matchLabels: {app: api}", pods));
    CHECK(!matches("matchLabels: {app: web}", pods));
    CHECK(matches("{}", pods));
    CHECK(matches("matchExpressions: [{key: tier, operator: In, values: [model, x]}]", pods));
    CHECK(!matches("matchExpressions: [{key: tier, operator: NotIn, values: [model]}]", pods));
    CHECK(matches("matchExpressions: [{key: zone, operator: NotIn, values: [a]}]", pods));
    CHECK(matches("matchExpressions: [{key: tier, operator: Exists}]", pods));
    CHECK(!matches("matchExpressions: [{key: zone, operator: Exists}]", pods));
    CHECK(!matches("matchExpressions: [{key: tier, operator: DoesNotExist}]", pods));
    CHECK(matches("matchLabels: {app: api}\nmatchExpressions: [{key: zone, operator: DoesNotExist}]", pods));
    // An operator may add labels to an open set: requirements on keys it lacks are assumed to hold.
    CHECK(matches("matchLabels: {app: api, component: predictor}", open));
    CHECK(!matches("matchLabels: {app: web, component: predictor}", open));
    CHECK(matches("matchExpressions: [{key: component, operator: Exists}]", open));
    // What cannot be read selects everything.
    CHECK(matches("matchLabels: [app]", pods));
    CHECK(matches("matchLabels: {app: 5}", pods));
    CHECK(matches("matchExpressions: [{key: tier, operator: Near, values: [x]}]", pods));
}

TEST_CASE("rules: at_pointer reads RFC 6901 pointers and never throws") {
    using mlserve::validate::detail::at_pointer;
    Json doc = Json::parse(R"({"a": {"b/c": [1, {"d~e": true}]}, "": 5})");
    REQUIRE(at_pointer(doc, "/a/b~1c/1/d~0e"));
    CHECK(*at_pointer(doc, "/a/b~1c/1/d~0e") == true);
    CHECK(at_pointer(doc, "") == &doc);
    CHECK(*at_pointer(doc, "/") == 5);
    CHECK(at_pointer(doc, "/a/b~1c/2") == nullptr);
    CHECK(at_pointer(doc, "/a/b~1c/-1") == nullptr);
    CHECK(at_pointer(doc, "/a/b~1c/99999999999999999999") == nullptr);
    CHECK(at_pointer(doc, "/a/b~1c/0/x") == nullptr);
    CHECK(at_pointer(doc, "/missing") == nullptr);
}
