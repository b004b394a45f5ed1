#include <doctest/doctest.h>

#include "core/yaml.hpp"
#include "spec/spec.hpp"

using mlserve::core::Json;

namespace {

mlserve::core::Result<mlserve::spec::LoadedSpec> load(const std::string& text) {
    auto docs = mlserve::core::parse_yaml(text, "m.yaml");
    REQUIRE(docs.ok());
    REQUIRE(docs->size() == 1);
    return mlserve::spec::load_spec(docs->at(0));
}

const char* k_minimal = "apiVersion: mlserve.io/v1alpha1\nkind: ModelDeployment\nmetadata:\n  name: fraud-detection\n"
                        "spec:\n  model:\n    format: sklearn\n    storageUri: s3://bucket/model\n";

} // namespace

TEST_CASE("load_spec fills every default of a minimal spec in table order") {
    auto loaded = load(k_minimal);
    REQUIRE(loaded.ok());
    const Json& v = loaded->value();
    std::vector<std::string> top;
    for (const auto& [key, unused] : v.items()) top.push_back(key);
    CHECK(top == std::vector<std::string>{"apiVersion", "kind", "metadata", "spec"});
    std::vector<std::string> spec;
    for (const auto& [key, unused] : v["spec"].items()) spec.push_back(key);
    CHECK(spec == std::vector<std::string>{"backend", "kserve", "model", "scaling", "slo", "monitoring", "network",
                                           "security", "storage", "smokeTest", "overrides"});
    CHECK(v["metadata"]["namespace"] == "default");
    CHECK(v["spec"]["backend"] == "kserve");
    CHECK(v["spec"]["kserve"] == Json::parse(R"({"mode":"Knative","version":"0.16","tagRouting":false})"));
    CHECK(v["spec"]["model"]["runtime"] == "kserve-sklearnserver");
    CHECK(v["spec"]["model"]["protocol"] == "v1");
    CHECK(v["spec"]["model"]["resources"] == Json::parse(R"({"cpu":"1","memory":"2Gi","gpu":0})"));
    CHECK(v["spec"]["scaling"] == Json::parse(R"({"minReplicas":1,"maxReplicas":1,"metric":"concurrency","target":100})"));
    CHECK(loaded->warnings.empty());
}
