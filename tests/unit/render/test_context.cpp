#include <doctest/doctest.h>

#include "core/yaml.hpp"
#include "render/context.hpp"

using mlserve::core::Json;
using mlserve::render::build_context;
using mlserve::spec::LoadedSpec;

namespace {

LoadedSpec loaded(const std::string& yaml) {
    auto docs = mlserve::core::parse_yaml(yaml, "model.yaml");
    REQUIRE_MESSAGE(docs.ok(), (docs.ok() ? "" : docs.error().headline()));
    LoadedSpec spec;
    spec.document = docs->at(0);
    return spec;
}

const char* k_full = R"(apiVersion: mlserve.io/v1alpha1
kind: ModelDeployment
metadata:
  name: fraud-detection
  namespace: ml-production
  labels: {team: payments, app.kubernetes.io/part-of: risk}
spec:
  backend: kserve
  kserve: {mode: Knative, version: "0.16"}
  model:
    format: pytorch
    storageUri: pvc://model-storage/fraud-detection/v2
    runtime: kserve-torchserve
    resources: {cpu: "2", memory: 8Gi, gpu: 1}
    env: {A: "1"}
  transformer:
    image: registry.example.com/fraud-pre:1.4
    resources: {cpu: "1", memory: 2Gi}
  scaling:
    behavior:
      scaleUp: {stabilizationWindow: 0s}
      scaleDown: {stabilizationWindow: 5m}
  canary:
    model: {storageUri: pvc://model-storage/fraud-detection/v3, resources: {gpu: 0}, env: {B: "2"}}
    steps: [10, 50, 100]
    interval: 5m
    analysis: {maxErrorRate: "1%", maxLatencyP95: 500ms, interval: 1m}
  slo: {latencyP95: 250ms, latencyP99: 1.5s, availability: "99.9%"}
  monitoring: {interval: 30s}
  smokeTest: {duration: 1h30m}
)";

} // namespace

TEST_CASE("build_context exposes the spec, names and labels") {
    auto context = build_context(loaded(k_full));
    REQUIRE_MESSAGE(context.ok(), (context.ok() ? "" : context.error().headline()));
    CHECK((*context)["model"]["spec"]["model"]["format"] == "pytorch");
    CHECK((*context)["name"] == "fraud-detection");
    CHECK((*context)["namespace"] == "ml-production");
    CHECK((*context)["labels"].dump() ==
          R"({"app.kubernetes.io/name":"fraud-detection","app.kubernetes.io/managed-by":"kubectl-mlserve",)"
          R"("app.kubernetes.io/part-of":"risk","team":"payments"})");
    std::vector<std::string> keys;
    for (const auto& [key, value] : context->items()) keys.push_back(key);
    CHECK(keys == std::vector<std::string>{"model", "name", "namespace", "labels", "kserve", "canaryModel",
                                           "durationsSeconds", "derived"});
}

TEST_CASE("build_context merges the canary model over the model") {
    auto context = build_context(loaded(k_full));
    REQUIRE(context.ok());
    const Json& canary = (*context)["canaryModel"];
    CHECK(canary["storageUri"] == "pvc://model-storage/fraud-detection/v3");
    CHECK(canary["runtime"] == "kserve-torchserve");
    CHECK(canary["resources"].dump() == R"({"cpu":"2","memory":"8Gi","gpu":0})");
    CHECK(canary["env"].dump() == R"({"A":"1","B":"2"})");
    CHECK((*context)["derived"]["hasCanary"] == true);

    // The loader writes "" for optional durations and percentages that are not set.
    auto without = build_context(loaded("metadata: {name: m}\nspec: {model: {format: sklearn}, slo: {latencyP95: \"\", "
                                        "availability: \"\"}}\n"));
    REQUIRE(without.ok());
    CHECK((*without)["canaryModel"].is_null());
    CHECK((*without)["derived"]["hasCanary"] == false);
    CHECK((*without)["namespace"] == "default");
    CHECK((*without)["durationsSeconds"].dump() == "{}");
    CHECK((*without)["derived"]["fractions"].dump() == "{}");
}

TEST_CASE("build_context converts every duration to seconds in the spec's shape") {
    auto context = build_context(loaded(k_full));
    REQUIRE(context.ok());
    CHECK((*context)["durationsSeconds"].dump() ==
          R"({"canary":{"interval":300,"analysis":{"interval":60,"maxLatencyP95":0.5}},)"
          R"("slo":{"latencyP95":0.25,"latencyP99":1.5},"monitoring":{"interval":30},"smokeTest":{"duration":5400},)"
          R"("scaling":{"behavior":{"scaleUp":{"stabilizationWindow":0},"scaleDown":{"stabilizationWindow":300}}}})");
}

TEST_CASE("build_context derives fractions, resources and the PVC name") {
    auto context = build_context(loaded(k_full));
    REQUIRE(context.ok());
    const Json& derived = (*context)["derived"];
    CHECK(derived["fractions"].dump() ==
          R"({"canary":{"analysis":{"maxErrorRate":0.01}},"slo":{"availability":0.999,"errorBudget":0.001}})");
    CHECK(derived["resources"]["model"].dump() == R"({"requests":{"cpu":"2","memory":"8Gi","nvidia.com/gpu":"1"},)"
                                                   R"("limits":{"cpu":"2","memory":"8Gi","nvidia.com/gpu":"1"}})");
    CHECK(derived["resources"]["canary"]["limits"].dump() == R"({"cpu":"2","memory":"8Gi"})");
    CHECK(derived["resources"]["transformer"]["requests"].dump() == R"({"cpu":"1","memory":"2Gi"})");
    CHECK_FALSE(derived["resources"].contains("explainer"));
    CHECK(derived["pvcName"] == "model-storage");
    CHECK(derived["env"].dump() == R"({"model":[{"name":"A","value":"1"}],)"
                                   R"("canaryModel":[{"name":"A","value":"1"},{"name":"B","value":"2"}],)"
                                   R"("transformer":[],"deployment":[]})");
}

TEST_CASE("build_context gives the model server's metrics port for the ServiceMonitor") {
    auto port = [](const std::string& spec) {
        auto context = build_context(loaded("metadata: {name: m}\nspec: " + spec + "\n"));
        REQUIRE_MESSAGE(context.ok(), (context.ok() ? "" : context.error().headline()));
        return (*context)["derived"]["metricsPort"].dump();
    };
    CHECK(port("{model: {runtime: kserve-torchserve}}") == "8082");
    CHECK(port("{model: {runtime: kserve-tritonserver}}") == "8002");
    CHECK(port("{model: {runtime: kserve-mlserver}}") == "8082");
    CHECK(port("{model: {runtime: kserve-sklearnserver}}") == "8080");
    CHECK(port("{model: {format: custom}}") == "8080");
    CHECK(port("{backend: deployment, deployment: {port: 9000}}") == "9000");
    CHECK(port("{backend: deployment}") == "8080");
}

TEST_CASE("build_context spells the deployment mode for the KServe version") {
    auto mode = [](const std::string& kserve) {
        auto context = build_context(loaded("metadata: {name: m}\nspec: {kserve: " + kserve + "}\n"));
        REQUIRE_MESSAGE(context.ok(), (context.ok() ? "" : context.error().headline()));
        return (*context)["kserve"]["deploymentModeValue"].get<std::string>() +
               ((*context)["kserve"]["standardCanarySupported"] == true ? " canary" : "");
    };
    CHECK(mode("{mode: Knative, version: \"0.16\"}") == "Knative");
    CHECK(mode("{mode: Standard, version: \"0.15\"}") == "RawDeployment");
    CHECK(mode("{mode: Knative, version: \"0.9\"}") == "Serverless");
    CHECK(mode("{mode: RawDeployment, version: \"0.20\"}") == "Standard canary");
    CHECK(mode("{mode: Serverless, version: \"v1.2.3\"}") == "Knative canary");
    CHECK(mode("{}") == "Knative");
}

TEST_CASE("build_context refuses values the loader should have caught, with their position") {
    auto error = [](const std::string& yaml) {
        auto context = build_context(loaded(yaml));
        REQUIRE_FALSE(context.ok());
        return context.error().headline();
    };
    CHECK(error("metadata: {name: m}\nspec:\n  canary: {interval: 5 minutes}\n") ==
          "model.yaml:3:22: spec.canary.interval: invalid duration '5 minutes'");
    CHECK(error("metadata: {name: m}\nspec:\n  slo: {latencyP95: 1x}\n") ==
          "model.yaml:3:21: spec.slo.latencyP95: invalid duration '1x'");
    CHECK(error("metadata: {name: m}\nspec:\n  slo: {availability: \"99.9\"}\n") ==
          "model.yaml:3:23: spec.slo.availability: invalid percentage '99.9'");
    CHECK(error("metadata: {name: m}\nspec:\n  kserve: {version: latest}\n") ==
          "model.yaml:3:21: spec.kserve.version: invalid KServe version 'latest'");
    CHECK(error("metadata: {name: m}\nspec:\n  smokeTest: {duration: 99999999999h}\n") ==
          "model.yaml:3:25: spec.smokeTest.duration: invalid duration '99999999999h'");
}
