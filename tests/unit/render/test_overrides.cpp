#include <doctest/doctest.h>

#include "core/yaml.hpp"
#include "render/overrides.hpp"

using mlserve::core::Document;
using mlserve::core::Json;
using mlserve::render::apply_overrides;
using mlserve::render::Manifest;
using mlserve::render::ManifestSet;

namespace {

Document spec_with(const std::string& overrides_yaml) {
    auto docs = mlserve::core::parse_yaml("apiVersion: mlserve.io/v1alpha1\n"
                                          "kind: ModelDeployment\n"
                                          "metadata: {name: fraud}\n"
                                          "spec:\n"
                                          "  overrides:\n" +
                                              overrides_yaml,
                                          "model.yaml");
    REQUIRE_MESSAGE(docs.ok(), (docs.ok() ? "" : docs.error().headline()));
    return docs->at(0);
}

ManifestSet rendered() {
    return {
        {Json::parse(R"({"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService",
                         "metadata":{"name":"fraud","namespace":"ml"},"spec":{"predictor":{"minReplicas":1}}})"),
         "kserve/inferenceservice.yaml"},
        {Json::parse(R"({"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler",
                         "metadata":{"name":"fraud","namespace":"ml"},"spec":{"maxReplicas":3}})"),
         "scaling/hpa.yaml"},
        {Json::parse(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"fraud-a","namespace":"ml"}})"),
         "svc.yaml"},
        {Json::parse(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"fraud-b","namespace":"ml"}})"),
         "svc.yaml"},
    };
}

} // namespace

TEST_CASE("apply_overrides applies merge and JSON patches in order to every matching object") {
    auto spec = spec_with("    - target: {kind: InferenceService, name: fraud}\n"
                          "      mergePatch: {spec: {predictor: {nodeSelector: {accelerator: nvidia-h100}}}}\n"
                          "    - target: {kind: HorizontalPodAutoscaler}\n"
                          "      jsonPatch: [{op: replace, path: /spec/maxReplicas, value: 30}]\n"
                          "    - target: {kind: Service, apiVersion: v1}\n"
                          "      mergePatch: {metadata: {labels: {tier: edge}}}\n"
                          "    - target: {kind: Service, name: fraud-b}\n"
                          "      jsonPatch: [{op: add, path: /metadata/labels/tier, value: inner}]\n");
    auto manifests = rendered();
    auto result = apply_overrides(manifests, spec);
    REQUIRE_MESSAGE(result.ok(), (result.ok() ? "" : result.error().headline()));
    CHECK(manifests[0].object["spec"].dump() ==
          R"({"predictor":{"minReplicas":1,"nodeSelector":{"accelerator":"nvidia-h100"}}})");
    CHECK(manifests[1].object["spec"]["maxReplicas"] == 30);
    CHECK(manifests[2].object["metadata"]["labels"]["tier"] == "edge");
    CHECK(manifests[3].object["metadata"]["labels"]["tier"] == "inner");
}

TEST_CASE("apply_overrides does nothing without overrides") {
    auto docs = mlserve::core::parse_yaml("kind: ModelDeployment\nspec: {}\n", "m.yaml");
    REQUIRE(docs.ok());
    auto manifests = rendered();
    CHECK(apply_overrides(manifests, docs->at(0)).ok());
    CHECK(manifests[1].object["spec"]["maxReplicas"] == 3);
}

TEST_CASE("apply_overrides names the override and lists what was rendered when a target matches nothing") {
    auto manifests = rendered();
    SUBCASE("a mistyped kind") {
        auto spec = spec_with("    - target: {kind: InferenceServce}\n      mergePatch: {spec: {}}\n");
        auto result = apply_overrides(manifests, spec);
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().headline() ==
              "model.yaml:6:15: spec.overrides[0].target: no rendered object matches kind InferenceServce");
        CHECK(result.error().hint ==
              "did you mean 'InferenceService'? rendered objects: InferenceService/fraud, "
              "HorizontalPodAutoscaler/fraud, Service/fraud-a, Service/fraud-b");
        CHECK(result.error().code == mlserve::core::ExitCode::usage);
    }
    SUBCASE("a name that was not rendered") {
        auto spec = spec_with("    - target: {kind: Service, name: fraud-c, apiVersion: v1}\n"
                              "      mergePatch: {spec: {}}\n");
        auto result = apply_overrides(manifests, spec);
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().message == "no rendered object matches kind Service, name \"fraud-c\", apiVersion v1");
        CHECK(result.error().hint.rfind("rendered objects: InferenceService/fraud,", 0) == 0);
    }
}

TEST_CASE("apply_overrides reports a failing patch operation with its index and the spec's position") {
    auto spec = spec_with("    - target: {kind: Service}\n"
                          "      mergePatch: {metadata: {labels: {a: b}}}\n"
                          "    - target: {kind: HorizontalPodAutoscaler}\n"
                          "      jsonPatch:\n"
                          "        - {op: test, path: /spec/maxReplicas, value: 3}\n"
                          "        - {op: replace, path: /spec/minReplicas, value: 2}\n");
    auto manifests = rendered();
    auto result = apply_overrides(manifests, spec);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().headline() == "model.yaml:11:11: spec.overrides[1].jsonPatch[1]: replace /spec/minReplicas: "
                                       "'/spec/minReplicas' does not exist in HorizontalPodAutoscaler/fraud");
}

TEST_CASE("apply_overrides refuses malformed entries") {
    auto manifests = rendered();
    auto check = [&](const std::string& yaml, const std::string& headline) {
        auto result = apply_overrides(manifests, spec_with(yaml));
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().headline() == headline);
    };
    check("    - target: {kind: Service}\n", "model.yaml:6:7: spec.overrides[0]: an override needs exactly one of "
                                              "mergePatch and jsonPatch");
    check("    - target: {kind: Service}\n      mergePatch: {}\n      jsonPatch: []\n",
          "model.yaml:6:7: spec.overrides[0]: an override needs exactly one of mergePatch and jsonPatch");
    check("    - mergePatch: {}\n", "model.yaml:6:7: spec.overrides[0]: an override needs a target");
    check("    - target: {name: x}\n      mergePatch: {}\n",
          "model.yaml:6:15: spec.overrides[0].target: target.kind is required");
    check("    - target: {kind: Service}\n      jsonPatch: {op: add}\n",
          "model.yaml:7:18: spec.overrides[0].jsonPatch: a JSON patch must be a list of operations, not a map");
    check("    - 3\n", "model.yaml:6:7: spec.overrides[0]: an override must be a map with target and a patch");
}
