// The KServe, backend-deployment and common templates (HPA, ServiceMonitor, PrometheusRule, NetworkPolicy,
// PVC, Argo CD Application), rendered from specs that vary one field at a time: KServe's canary mechanics per
// deployment mode, who owns the replica count, and that every selector finds the pods it is meant for.
#include <doctest/doctest.h>

#include <string>

#include "core/yaml.hpp"
#include "render/render.hpp"
#include "spec/spec.hpp"
#include "unit/templates/render_helpers.hpp"

using mlserve::core::Json;
using mlserve::test::of_kind;
using mlserve::test::render_text;

namespace {

Json only(const mlserve::render::ManifestSet& set, const std::string& kind) {
    auto objects = of_kind(set, kind);
    REQUIRE_MESSAGE(objects.size() == 1, kind);
    return objects[0];
}

/// A KServe spec named "fraud" in namespace "prod"; `spec_extra` is appended under spec: (2-space indent).
std::string kserve_spec(const std::string& mode, const std::string& spec_extra, const std::string& version = "0.16") {
    return "apiVersion: mlserve.io/v1alpha1\nkind: ModelDeployment\nmetadata:\n  name: fraud\n  namespace: prod\n"
           "spec:\n  kserve: {mode: " + mode + ", version: \"" + version + "\"}\n"
           "  model:\n    format: pytorch\n    storageUri: s3://m/fraud/v2\n"
           "    resources: {cpu: '2', memory: 8Gi, gpu: 1}\n" +
           spec_extra;
}

std::string deployment_spec(const std::string& spec_extra) {
    return "apiVersion: mlserve.io/v1alpha1\nkind: ModelDeployment\nmetadata:\n  name: clf\n  namespace: nlp\n"
           "  labels: {team: search}\nspec:\n  backend: deployment\n"
           "  model: {format: huggingface, storageUri: pvc://models/clf/v2}\n"
           "  deployment: {image: registry.example.com/clf:1, port: 9000, config: {a: b}}\n" +
           spec_extra;
}

/// True when every key of `selector` is in `labels` with the same value.
bool selects(const Json& selector, const Json& labels) {
    for (const auto& [key, value] : selector.items())
        if (!labels.contains(key) || labels[key] != value) return false;
    return true;
}

const std::string k_canary = "  canary:\n    model: {storageUri: s3://m/fraud/v3}\n    steps: [15, 60, 100]\n";

} // namespace

TEST_CASE("a Knative canary puts the new model on the predictor with the first step as canaryTrafficPercent") {
    auto isvc = only(render_text(kserve_spec("Knative", k_canary)), "InferenceService");
    const Json& predictor = isvc["spec"]["predictor"];
    CHECK(predictor["canaryTrafficPercent"] == 15);
    CHECK(predictor["model"]["storageUri"] == "s3://m/fraud/v3");
    CHECK_FALSE(isvc["spec"].contains("canary"));
    CHECK(isvc["metadata"]["annotations"]["serving.kserve.io/deploymentMode"] == "Knative");
    // GPUs in requests and limits alike
    CHECK(predictor["model"]["resources"]["limits"]["nvidia.com/gpu"] == "1");
    CHECK(predictor["model"]["resources"]["requests"] == predictor["model"]["resources"]["limits"]);
}

TEST_CASE("a Standard-mode canary on KServe 0.20 keeps the stable predictor and adds spec.canary[]") {
    auto isvc = only(render_text(kserve_spec("Standard", k_canary, "0.20")), "InferenceService");
    const Json& spec = isvc["spec"];
    CHECK_FALSE(spec["predictor"].contains("canaryTrafficPercent"));
    CHECK(spec["predictor"]["model"]["storageUri"] == "s3://m/fraud/v2");
    CHECK_FALSE(spec["predictor"]["model"].contains("name")); // the webhook refuses a name on the stable model
    REQUIRE(spec["canary"].size() == 1);
    const Json& canary = spec["canary"][0];
    CHECK(canary["trafficPercent"] == 15);
    CHECK(canary["predictor"]["name"] == "canary");
    CHECK(canary["predictor"]["model"]["name"] == "kserve-container"); // the v0.20 CRD requires it
    CHECK(canary["predictor"]["model"]["storageUri"] == "s3://m/fraud/v3");
    // canaries must not carry autoscaling fields
    for (const char* field : {"minReplicas", "maxReplicas", "scaleMetric", "scaleTarget", "autoScaling"})
        CHECK_FALSE(canary["predictor"].contains(field));
}

TEST_CASE("the deployment mode is spelled for the KServe version and tag routing is Knative-only") {
    auto old = only(render_text("apiVersion: mlserve.io/v1alpha1\nkind: ModelDeployment\nmetadata: {name: m}\n"
                                "spec:\n  kserve: {mode: Serverless, version: '0.15', tagRouting: true}\n"
                                "  model: {format: sklearn, storageUri: gs://m/1}\n"),
                    "InferenceService");
    CHECK(old["metadata"]["annotations"]["serving.kserve.io/deploymentMode"] == "Serverless");
    CHECK(old["metadata"]["annotations"]["serving.kserve.io/enable-tag-routing"] == "true");
    auto standard = only(render_text(kserve_spec("Standard", "", "0.15")), "InferenceService");
    CHECK(standard["metadata"]["annotations"]["serving.kserve.io/deploymentMode"] == "RawDeployment");
    CHECK_FALSE(standard["metadata"]["annotations"].contains("serving.kserve.io/enable-tag-routing"));
}

TEST_CASE("Knative mode scales with KPA fields and never gets a tool HPA") {
    auto set =
        render_text(kserve_spec("Knative", "  scaling: {minReplicas: 2, maxReplicas: 9, metric: rps, target: 40}\n"));
    auto isvc = only(set, "InferenceService");
    CHECK(isvc["spec"]["predictor"]["scaleMetric"] == "rps");
    CHECK(isvc["spec"]["predictor"]["scaleTarget"] == 40);
    CHECK(isvc["spec"]["predictor"]["minReplicas"] == 2);
    CHECK(isvc["spec"]["predictor"]["maxReplicas"] == 9);
    CHECK_FALSE(isvc["metadata"]["annotations"].contains("serving.kserve.io/autoscalerClass"));
    CHECK(of_kind(set, "HorizontalPodAutoscaler").empty());
}

TEST_CASE("Standard mode: a tool HPA on the predictor Deployment and autoscalerClass external") {
    const std::string scaling = "  scaling:\n    minReplicas: 2\n    maxReplicas: 8\n    metric: memory\n"
                                "    target: 70\n    behavior:\n"
                                "      scaleDown: {stabilizationWindow: 10m, maxPercent: 20, periodSeconds: 60}\n";
    auto set = render_text(kserve_spec("Standard", scaling));
    auto isvc = only(set, "InferenceService");
    CHECK(isvc["metadata"]["annotations"]["serving.kserve.io/autoscalerClass"] == "external");
    CHECK_FALSE(isvc["spec"]["predictor"].contains("scaleMetric"));
    auto hpa = only(set, "HorizontalPodAutoscaler");
    CHECK(hpa["apiVersion"] == "autoscaling/v2");
    CHECK(hpa["spec"]["scaleTargetRef"].dump() ==
          R"({"apiVersion":"apps/v1","kind":"Deployment","name":"fraud-predictor"})");
    CHECK(hpa["spec"]["metrics"][0].dump() ==
          R"({"type":"Resource","resource":{"name":"memory",)"
          R"("target":{"type":"Utilization","averageUtilization":70}}})");
    CHECK(hpa["spec"]["behavior"]["scaleDown"].dump() ==
          R"({"stabilizationWindowSeconds":600,"policies":[{"type":"Percent","value":20,"periodSeconds":60}]})");

    auto fixed = render_text(kserve_spec("Standard", "  scaling: {minReplicas: 3, maxReplicas: 3}\n"));
    CHECK(only(fixed, "InferenceService")["metadata"]["annotations"]["serving.kserve.io/autoscalerClass"] == "none");
    CHECK(of_kind(fixed, "HorizontalPodAutoscaler").empty());
}

TEST_CASE("a custom metric becomes a Pods metric with an average value") {
    auto hpa = only(render_text(kserve_spec("Standard", "  scaling:\n    maxReplicas: 4\n    metric: custom\n"
                                                        "    customMetric: {name: queue_depth, target: '5'}\n")),
                    "HorizontalPodAutoscaler");
    CHECK(hpa["spec"]["metrics"][0].dump() ==
          R"({"type":"Pods","pods":{"metric":{"name":"queue_depth"},)"
          R"("target":{"type":"AverageValue","averageValue":"5"}}})");
}

TEST_CASE("with an Argo rollout the predictor carries the new model and the HPA scales the Rollout") {
    auto set = render_text(kserve_spec("Standard", "  scaling: {minReplicas: 2, maxReplicas: 6}\n  canary:\n"
                                                   "    model: {storageUri: s3://m/fraud/v3}\n    engine: argo\n"));
    auto isvc = only(set, "InferenceService");
    CHECK(isvc["metadata"]["annotations"]["serving.kserve.io/autoscalerClass"] == "external");
    CHECK(isvc["spec"]["predictor"]["model"]["storageUri"] == "s3://m/fraud/v3");
    CHECK_FALSE(isvc["spec"]["predictor"].contains("canaryTrafficPercent"));
    CHECK_FALSE(isvc["spec"].contains("canary"));
    auto hpa = only(set, "HorizontalPodAutoscaler");
    CHECK(hpa["spec"]["scaleTargetRef"].dump() ==
          R"({"apiVersion":"argoproj.io/v1alpha1","kind":"Rollout","name":"fraud"})");
    CHECK(only(set, "Rollout")["metadata"]["name"] == "fraud");
}

TEST_CASE("transformer and explainer: KServe containers, Alibi anchors as a custom explainer") {
    const std::string parts = "  transformer: {image: reg/pre:1, env: {X: '1'}}\n"
                              "  explainer: {type: AnchorImages, storageUri: s3://m/expl}\n";
    auto isvc = only(render_text(kserve_spec("Knative", parts)), "InferenceService");
    const Json& transformer = isvc["spec"]["transformer"]["containers"][0];
    CHECK(transformer["name"] == "kserve-container");
    CHECK(transformer["env"].dump() == R"([{"name":"X","value":"1"}])");
    const Json& explainer = isvc["spec"]["explainer"]["containers"][0];
    CHECK(explainer["args"].back() == "AnchorImages");
    CHECK(explainer["env"].dump() == R"([{"name":"STORAGE_URI","value":"s3://m/expl"}])");
    CHECK_FALSE(isvc["spec"]["explainer"].contains("alibi")); // removed from KServe in v0.13
}

TEST_CASE("a SquareAttack explainer renders KServe's ART explainer, the only built-in one the CRD has") {
    auto isvc = only(render_text(kserve_spec("Knative", "  explainer: {type: SquareAttack}\n")), "InferenceService");
    const Json& explainer = isvc["spec"]["explainer"];
    CHECK(explainer.dump() ==
          R"({"art":{"type":"SquareAttack","resources":{"requests":{"cpu":"1","memory":"2Gi"},)"
          R"("limits":{"cpu":"1","memory":"2Gi"}}}})");
    auto own = only(render_text(kserve_spec("Standard", "  explainer: {type: SquareAttack, image: reg/art:2, "
                                                        "storageUri: s3://m/art}\n")),
                    "InferenceService");
    CHECK(own["spec"]["explainer"]["art"]["image"] == "reg/art:2");
    CHECK(own["spec"]["explainer"]["art"]["storageUri"] == "s3://m/art");
    CHECK_FALSE(own["spec"]["explainer"].contains("containers"));
}

TEST_CASE("the mlserver runtime gets its modelClass label so the webhook has nothing to add") {
    auto isvc = only(render_text("apiVersion: mlserve.io/v1alpha1\nkind: ModelDeployment\nmetadata: {name: w}\n"
                                 "spec:\n  model: {format: mlflow, storageUri: gs://m/w}\n"),
                     "InferenceService");
    CHECK(isvc["spec"]["predictor"]["model"]["runtime"] == "kserve-mlserver");
    CHECK(isvc["metadata"]["labels"]["modelClass"] == "mlserver_mlflow.MLflowRuntime");
}

TEST_CASE("backend deployment: Service, Deployment, HPA, metrics Service and NetworkPolicy select the same pods") {
    auto set = render_text(deployment_spec("  scaling: {minReplicas: 2, maxReplicas: 5}\n"
                                           "  monitoring: {serviceMonitor: true}\n"
                                           "  network: {allowFromNamespaces: [web]}\n"
                                           "  storage: {pvc: {create: true, size: 5Gi, accessMode: ReadOnlyMany}}\n"
                                           "  security: {requireSignedImages: true}\n"));
    auto deployment = only(set, "Deployment");
    const Json& pod_labels = deployment["spec"]["template"]["metadata"]["labels"];
    CHECK(pod_labels["team"] == "search");
    CHECK(selects(deployment["spec"]["selector"]["matchLabels"], pod_labels));
    CHECK_FALSE(deployment["spec"]["selector"]["matchLabels"].contains("team")); // selectors are immutable
    CHECK_FALSE(deployment["spec"].contains("replicas"));                         // the HPA owns it
    CHECK(deployment["spec"]["template"]["metadata"]["annotations"]["mlserve.io/require-signed-images"] == "true");

    const Json& container = deployment["spec"]["template"]["spec"]["containers"][0];
    CHECK(container["ports"][0].dump() == R"({"name":"http","containerPort":9000,"protocol":"TCP"})");
    CHECK(container["resources"]["requests"] == container["resources"]["limits"]);
    CHECK(container["readinessProbe"]["httpGet"]["path"] == "/v2/health/ready");
    CHECK(container["livenessProbe"]["httpGet"]["path"] == "/v2/health/live");
    CHECK(container["volumeMounts"].dump() ==
          R"([{"name":"model-store","mountPath":"/mnt/models","readOnly":true,"subPath":"clf/v2"},)"
          R"({"name":"model-config","mountPath":"/etc/model-config","readOnly":true}])");

    auto services = of_kind(set, "Service");
    REQUIRE(services.size() == 2);
    for (const auto& service : services) CHECK(selects(service["spec"]["selector"], pod_labels));
    CHECK(only(set, "ConfigMap")["metadata"]["name"] == "clf-config");
    auto pvc = only(set, "PersistentVolumeClaim");
    CHECK(pvc["metadata"]["name"] == "models");
    CHECK(pvc["spec"]["accessModes"].dump() == R"(["ReadOnlyMany"])");
    CHECK(only(set, "HorizontalPodAutoscaler")["spec"]["scaleTargetRef"]["name"] == "clf");
    CHECK(selects(only(set, "NetworkPolicy")["spec"]["podSelector"]["matchLabels"], pod_labels));
    // the ServiceMonitor finds the metrics Service, whose port it names
    auto monitor = only(set, "ServiceMonitor");
    bool found = false;
    for (const auto& service : services)
        if (selects(monitor["spec"]["selector"]["matchLabels"], service["metadata"]["labels"])) {
            found = true;
            CHECK(service["spec"]["ports"][0]["name"] == monitor["spec"]["endpoints"][0]["port"]);
            CHECK(service["spec"]["ports"][0]["targetPort"] == 9000);
        }
    CHECK(found);
}

TEST_CASE("the NetworkPolicy keeps KServe's own traffic paths open") {
    auto policy = only(render_text(kserve_spec("Knative", "  network: {allowFromPodLabels: {app: gateway}}\n"
                                                          "  monitoring: {serviceMonitor: true}\n")),
                       "NetworkPolicy");
    CHECK(policy["spec"]["podSelector"]["matchLabels"].dump() == R"({"serving.kserve.io/inferenceservice":"fraud"})");
    std::string from = policy["spec"]["ingress"][0]["from"].dump();
    CHECK(from.find(R"({"podSelector":{"matchLabels":{"app":"gateway"}}})") != std::string::npos);
    CHECK(from.find(R"("kubernetes.io/metadata.name":"knative-serving")") != std::string::npos);
    CHECK(from.find(R"({"podSelector":{"matchLabels":{"serving.kserve.io/inferenceservice":"fraud"}}})") !=
          std::string::npos);
    // TorchServe's metrics port and queue-proxy's, for Prometheus wherever it runs
    CHECK(policy["spec"]["ingress"][1]["ports"].dump() ==
          R"([{"port":8082,"protocol":"TCP"},{"port":9091,"protocol":"TCP"}])");

    auto none = render_text(kserve_spec("Knative", ""));
    CHECK(of_kind(none, "NetworkPolicy").empty());
}

TEST_CASE("SLO rules use the metrics of where the model runs, and none where no such metric exists") {
    const std::string monitoring = "  monitoring: {serviceMonitor: true, rules: true}\n"
                                   "  slo: {latencyP95: 250ms, availability: '99.5%'}\n";
    auto knative = only(render_text(kserve_spec("Knative", monitoring)), "PrometheusRule");
    std::string rules = knative["spec"]["groups"][0]["rules"].dump();
    CHECK(rules.find("revision_app_request_latencies_bucket{namespace=\\\"prod\\\", service=\\\"fraud-metrics\\\"}") !=
          std::string::npos);
    CHECK(rules.find("> 0.25") != std::string::npos);
    CHECK(rules.find("(14.4 * 0.005)") != std::string::npos);
    CHECK(knative["spec"]["groups"][0]["rules"].size() == 8); // p95 record + alert, 4 ratios, 2 burn alerts

    // TorchServe in Standard mode exports neither a latency histogram nor a request-status counter
    auto standard = render_text(kserve_spec("Standard", monitoring));
    CHECK(of_kind(standard, "PrometheusRule").empty());
    CHECK(of_kind(standard, "ServiceMonitor").size() == 1);

    // without rules: true nothing, even with SLOs
    auto off = render_text(kserve_spec("Knative", "  slo: {latencyP95: 250ms}\n"));
    CHECK(of_kind(off, "PrometheusRule").empty());
}

TEST_CASE("an Argo CD Application syncs the GitOps path into the model's namespace") {
    auto app = only(render_text(kserve_spec("Knative", "  gitops:\n    argocd: {repoURL: 'https://git.example.com/ml', "
                                                       "path: prod/fraud, automated: false}\n")),
                    "Application");
    CHECK(app["metadata"]["namespace"] == "argocd");
    CHECK(app["spec"]["destination"]["namespace"] == "prod");
    CHECK(app["spec"]["source"]["path"] == "prod/fraud");
    CHECK_FALSE(app["spec"]["syncPolicy"].contains("automated"));
    CHECK(app["spec"]["syncPolicy"]["syncOptions"].dump() == R"(["CreateNamespace=true","ServerSideApply=true"])");
}
