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

namespace {

// The minimal spec with `extra` appended under spec (indented by two spaces already).
std::string with_spec(const std::string& extra) { return std::string(k_minimal) + extra; }

std::string error_of(const std::string& text) {
    auto loaded = load(text);
    if (loaded.ok()) return "<loaded>";
    const auto& e = loaded.error();
    CHECK(e.code == mlserve::core::ExitCode::usage);
    return e.headline() + " | " + e.hint;
}

} // namespace

TEST_CASE("an unknown field names the file, line, column, path and the closest known name") {
    CHECK(error_of(with_spec("  scalng: {minReplicas: 2}\n")) ==
          "m.yaml:9:3: spec.scalng: unknown field \"scalng\" | did you mean 'scaling'?");
    CHECK(error_of("apiVersion: mlserve.io/v1alpha1\nkind: ModelDeployment\nmetadata:\n  name: x\nspec:\n  model:\n"
                   "    formt: sklearn\n") == "m.yaml:7:5: spec.model.formt: unknown field \"formt\" | did you mean 'format'?");
    CHECK(error_of(with_spec("  zzzzzzzzzzzz: 1\n")) ==
          "m.yaml:9:3: spec.zzzzzzzzzzzz: unknown field \"zzzzzzzzzzzz\" | known fields of spec: backend, kserve, model, "
          "transformer, explainer, scaling, canary, slo, monitoring, network, security, storage, deployment, gitops, "
          "smokeTest, overrides");
}

TEST_CASE("type errors say what was expected and what was found") {
    CHECK(error_of(with_spec("  kserve: {version: 0.20}\n")) ==
          "m.yaml:9:21: spec.kserve.version: expected a string, got a number | quote the value so that YAML reads it "
          "as a string, e.g. \"0.2\"");
    CHECK(error_of(with_spec("  scaling: {minReplicas: \"2\"}\n")) ==
          "m.yaml:9:26: spec.scaling.minReplicas: expected an integer, got a string | write the number without quotes");
    CHECK(error_of(with_spec("  scaling: {minReplicas: 1.5}\n")) ==
          "m.yaml:9:26: spec.scaling.minReplicas: expected an integer, got 1.5 | write a whole number");
    CHECK(error_of(with_spec("  scaling: {maxReplicas: 1e12}\n")) ==
          "m.yaml:9:26: spec.scaling.maxReplicas: integer 1000000000000 is out of range | "
          "Kubernetes stores it in 32 bits: -2147483648 to 2147483647");
    CHECK(error_of(with_spec("  scaling: {maxReplicas: 18446744073709551615}\n")).find("is out of range") !=
          std::string::npos);
    auto integral = load(with_spec("  scaling: {maxReplicas: 3.0}\n"));
    REQUIRE(integral.ok());
    CHECK(integral->value()["spec"]["scaling"]["maxReplicas"] == 3);
    CHECK(error_of(with_spec("  monitoring: {rules: \"yes\"}\n")) ==
          "m.yaml:9:23: spec.monitoring.rules: expected a boolean (true or false), got a string | write true or false "
          "without quotes");
    CHECK(error_of(with_spec("  network: {allowFromNamespaces: payments}\n")) ==
          "m.yaml:9:34: spec.network.allowFromNamespaces: expected a list, got a string | ");
    CHECK(error_of(with_spec("  deployment: {image: x, env: {PORT: 8080}}\n  backend: deployment\n")) ==
          "m.yaml:9:38: spec.deployment.env.PORT: expected a string, got a number | quote the value so that YAML reads "
          "it as a string, e.g. \"8080\"");
}

TEST_CASE("a bad enum value lists the allowed values and the likely one") {
    CHECK(error_of("apiVersion: mlserve.io/v1alpha1\nkind: ModelDeployment\nmetadata: {name: x}\nspec:\n  model:\n"
                   "    format: pytorc\n    storageUri: s3://b/m\n") ==
          "m.yaml:6:13: spec.model.format: unsupported value \"pytorc\" | did you mean 'pytorch'? allowed values: "
          "sklearn, xgboost, lightgbm, tensorflow, pytorch, onnx, triton, mlflow, huggingface, custom");
    CHECK(error_of(with_spec("  backend: tfserving\n")) ==
          "m.yaml:9:12: spec.backend: unsupported value \"tfserving\" | allowed values: kserve, seldon, deployment");
}

TEST_CASE("required fields are named with where to add them") {
    CHECK(error_of("apiVersion: mlserve.io/v1alpha1\nkind: ModelDeployment\nmetadata: {name: x}\nspec:\n  model:\n"
                   "    storageUri: s3://b/m\n") ==
          "m.yaml:6:5: spec.model.format: required field \"format\" is missing | add format under spec.model, one of: "
          "sklearn, xgboost, lightgbm, tensorflow, pytorch, onnx, triton, mlflow, huggingface, custom");
    CHECK(error_of("apiVersion: mlserve.io/v1alpha1\nkind: ModelDeployment\nspec: {}\n") ==
          "m.yaml:1:1: metadata: required field \"metadata\" is missing | add metadata under the top level");
    CHECK(error_of("apiVersion: mlserve.io/v1alpha1\nkind: ModelDeployment\nmetadata: {name: x}\nspec:\n  model:\n"
                   "    format: sklearn\n") ==
          "m.yaml:6:5: spec.model: required field \"storageUri\" is missing | add storageUri under spec.model, e.g. "
          "s3://bucket/models/sklearn (only format custom serves from its image alone)");
}

TEST_CASE("wrong apiVersion or kind hints at the right one") {
    CHECK(error_of("apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: x}\n") ==
          "m.yaml:2:7: kind: kind must be ModelDeployment, got \"InferenceService\" | a spec starts with apiVersion: "
          "mlserve.io/v1alpha1 and kind: ModelDeployment; to check Kubernetes manifests use `kubectl mlserve validate`");
    CHECK(error_of("apiVersion: mlserve.io/v1\nkind: ModelDeployment\nmetadata: {name: x}\n") ==
          "m.yaml:1:13: apiVersion: apiVersion must be mlserve.io/v1alpha1, got \"mlserve.io/v1\" | set apiVersion: "
          "mlserve.io/v1alpha1");
    CHECK(error_of("kind: ModelDeployment\nmetadata: {name: x}\n") ==
          "m.yaml:1:1: apiVersion: required field \"apiVersion\" is missing | add apiVersion under the top level, one "
          "of: mlserve.io/v1alpha1");
    CHECK(error_of("- a\n- b\n") == "m.yaml:1:1: expected a ModelDeployment map, got a list | start from `kubectl "
                                    "mlserve init --format sklearn --backend kserve`");
}

TEST_CASE("legacy KServe mode names are normalised with a warning") {
    auto loaded = load(with_spec("  kserve: {mode: RawDeployment}\n"));
    REQUIRE(loaded.ok());
    CHECK(loaded->value()["spec"]["kserve"]["mode"] == "Standard");
    REQUIRE(loaded->warnings.size() == 1);
    CHECK(loaded->warnings[0].headline() ==
          "m.yaml:9:18: spec.kserve.mode: \"RawDeployment\" is the name used before KServe 0.16; using \"Standard\"");
    CHECK(loaded->warnings[0].hint == "write mode: Standard");
    auto serverless = load(with_spec("  kserve: {mode: Serverless}\n"));
    REQUIRE(serverless.ok());
    CHECK(serverless->value()["spec"]["kserve"]["mode"] == "Knative");
}

TEST_CASE("quantities may be YAML numbers and become strings; versions keep MAJOR.MINOR") {
    auto loaded = load(with_spec("  kserve: {version: v0.20.1}\n").replace(
        std::string(k_minimal).find("    storageUri"), 0, "    resources: {cpu: 2, memory: 1.5}\n"));
    REQUIRE(loaded.ok());
    CHECK(loaded->value()["spec"]["model"]["resources"]["cpu"] == "2");
    CHECK(loaded->value()["spec"]["model"]["resources"]["memory"] == "1.5");
    CHECK(loaded->value()["spec"]["kserve"]["version"] == "0.20");
}

TEST_CASE("null values count as not written") {
    auto loaded = load(with_spec("  canary:\n  transformer: ~\n  scaling: {minReplicas: null}\n"));
    REQUIRE(loaded.ok());
    CHECK_FALSE(loaded->value()["spec"].contains("canary"));
    CHECK_FALSE(loaded->value()["spec"].contains("transformer"));
    CHECK(loaded->value()["spec"]["scaling"]["minReplicas"] == 1);
}

TEST_CASE("a spec that sets every field loads and keeps what it sets") {
    auto loaded = load(R"(apiVersion: mlserve.io/v1alpha1
kind: ModelDeployment
metadata:
  name: fraud-detection
  namespace: ml-production
  labels: {team: payments}
  annotations: {owner: ml-platform}
spec:
  backend: kserve
  kserve: {mode: RawDeployment, version: "0.20", tagRouting: false}
  model:
    format: pytorch
    formatVersion: "1"
    storageUri: pvc://model-storage/fraud-detection/v2
    runtime: kserve-torchserve
    runtimeVersion: "0.8.2"
    protocol: v2
    args: [--workers, "2"]
    env: {LOG_LEVEL: info}
    resources: {cpu: "2", memory: 8Gi, gpu: 1}
    nodeSelector: {accelerator: nvidia-h100}
    tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
  transformer:
    image: registry.example.com/fraud-pre:1.4
    env: {FEATURE_SCALING: standard}
    resources: {cpu: "1", memory: 2Gi}
  explainer: {type: AnchorTabular, storageUri: s3://models/explainers/fraud}
  scaling:
    minReplicas: 2
    maxReplicas: 20
    metric: custom
    customMetric: {name: inference_requests_per_second, target: "10"}
    behavior:
      scaleUp: {stabilizationWindow: 0s, maxPercent: 100, periodSeconds: 15}
      scaleDown: {stabilizationWindow: 5m, maxPercent: 50, periodSeconds: 60}
  canary:
    model: {storageUri: pvc://model-storage/fraud-detection/v3}
    engine: argo
    steps: [10, 25, 50, 100]
    interval: 5m
    analysis: {prometheus: "http://prometheus.monitoring:9090", maxErrorRate: "1%", maxLatencyP95: 500ms, interval: 1m, failureLimit: 1}
    trafficRouting:
      istio: {host: fraud-detection.example.com, gateway: istio-system/ml-gateway}
  slo: {latencyP95: 500ms, latencyP99: 1s, availability: "99.9%"}
  monitoring: {serviceMonitor: true, rules: true, port: metrics, path: /metrics, interval: 30s}
  network: {allowFromNamespaces: [payment-processing], allowFromPodLabels: {app: gateway}}
  security: {requireSignedImages: true}
  storage: {pvc: {create: true, size: 10Gi, storageClass: fast, accessMode: ReadWriteOnce}}
  gitops:
    argocd: {repoURL: "https://git.example.com/ml-models-gitops", path: production/fraud-detection}
  smokeTest: {request: requests/fraud.json, concurrency: 8, duration: 30s}
  overrides:
    - target: {kind: InferenceService, name: fraud-detection}
      mergePatch: {spec: {predictor: {nodeSelector: {accelerator: nvidia-h100}}}}
    - target: {kind: HorizontalPodAutoscaler}
      jsonPatch: [{op: replace, path: /spec/maxReplicas, value: 30}, {op: move, from: /a, path: /b}]
)");
    if (!loaded.ok()) FAIL(loaded.error().headline());
    const Json& spec = loaded->value()["spec"];
    CHECK(spec["kserve"]["mode"] == "Standard");
    CHECK(spec["model"]["tolerations"] == Json::parse(R"([{"key":"nvidia.com/gpu","operator":"Exists","effect":"NoSchedule"}])"));
    CHECK(spec["scaling"]["customMetric"] == Json::parse(R"({"name":"inference_requests_per_second","target":"10"})"));
    CHECK(spec["scaling"]["target"] == 0);
    CHECK(spec["canary"]["analysis"]["failureLimit"] == 1);
    CHECK(spec["gitops"]["argocd"] ==
          Json::parse(R"({"repoURL":"https://git.example.com/ml-models-gitops","path":"production/fraud-detection",
                          "targetRevision":"HEAD","project":"default","namespace":"argocd",
                          "destinationServer":"https://kubernetes.default.svc","automated":true,"prune":true,
                          "selfHeal":true})"));
    CHECK(spec["overrides"][1]["jsonPatch"][1] == Json::parse(R"({"op":"move","from":"/a","path":"/b"})"));
    std::vector<std::string> keys;
    for (const auto& [key, unused] : spec.items()) keys.push_back(key);
    CHECK(keys == std::vector<std::string>{"backend", "kserve", "model", "transformer", "explainer", "scaling", "canary",
                                           "slo", "monitoring", "network", "security", "storage", "gitops", "smokeTest",
                                           "overrides"});
}

TEST_CASE("a Seldon shadow canary loads with Seldon's defaults") {
    auto loaded = load(R"(apiVersion: mlserve.io/v1alpha1
kind: ModelDeployment
metadata: {name: iris}
spec:
  backend: seldon
  model: {format: sklearn, storageUri: "gs://seldon-models/sklearn/iris", protocol: v1}
  canary: {model: {storageUri: "gs://seldon-models/sklearn/iris2"}, strategy: shadow}
)");
    if (!loaded.ok()) FAIL(loaded.error().headline());
    const Json& spec = loaded->value()["spec"];
    CHECK(spec["model"]["runtime"] == "SKLEARN_SERVER");
    CHECK(spec["model"]["protocol"] == "v1");
    CHECK(spec["canary"]["engine"] == "seldon");
    CHECK(spec["canary"]["strategy"] == "shadow");
}
