// The checks that relate fields: names and hosts, storage, runtimes, replicas, canary, overrides.
#include <doctest/doctest.h>

#include "core/yaml.hpp"
#include "spec/spec.hpp"
#include "unit/spec/spec_helpers.hpp"

using mlserve::core::Json;

using mlserve::test::error_of;
using mlserve::test::load;

namespace {

// A spec with the given metadata.name, namespace and spec body (indented two spaces).
std::string spec_text(const std::string& body, const std::string& name = "fraud-detection",
                      const std::string& ns = "default") {
    return "apiVersion: mlserve.io/v1alpha1\nkind: ModelDeployment\nmetadata:\n  name: " + name + "\n  namespace: " +
           ns + "\nspec:\n" + body;
}

const std::string k_model = "  model: {format: sklearn, storageUri: s3://bucket/model}\n";

} // namespace

TEST_CASE("names must be DNS-1123 labels; newlines and template syntax are refused") {
    CHECK(error_of(spec_text(k_model, "Fraud_Detection")) ==
          "s.yaml:4:9: metadata.name: invalid name \"Fraud_Detection\": a DNS-1123 label may contain only lower-case "
          "letters, digits and '-' | use lower-case letters, digits and '-', e.g. \"fraud-detection\"");
    CHECK(error_of(spec_text(k_model, "\"fraud\\ndetection\"")) ==
          "s.yaml:4:9: metadata.name: invalid name \"fraud\ndetection\": a DNS-1123 label may contain only lower-case "
          "letters, digits and '-' | names are single words; remove the line break");
    CHECK(error_of(spec_text(k_model, "\"${MODEL}\"")) ==
          "s.yaml:4:9: metadata.name: invalid name \"${MODEL}\": a DNS-1123 label may contain only lower-case letters, "
          "digits and '-' | specs are not templates: write the final name (generate the spec if it varies)");
    CHECK(error_of(spec_text(k_model, "fraud-", "ml")) ==
          "s.yaml:4:9: metadata.name: invalid name \"fraud-\": a DNS-1123 label must start and end with a letter or "
          "digit | use lower-case letters, digits and '-', e.g. \"fraud\"");
    CHECK(error_of(spec_text(k_model, std::string(64, 'a'))) ==
          "s.yaml:4:9: metadata.name: invalid name \"" + std::string(64, 'a') +
              "\": it is 64 characters, over the limit of 63 | use lower-case letters, digits and '-', e.g. \"" +
              std::string(63, 'a') + "\"");
    CHECK(error_of(spec_text(k_model, "1fraud")) ==
          "s.yaml:4:9: metadata.name: an InferenceService name must start with a letter | KServe requires "
          "^[a-z]([-a-z0-9]*[a-z0-9])?$; e.g. \"m-1fraud\"");
    CHECK(error_of(spec_text(k_model, "fraud", "Prod")).starts_with("s.yaml:5:14: metadata.namespace: invalid name"));
}

TEST_CASE("KServe's 63-character host label budget counts the component and the tag prefix") {
    std::string name(30, 'm'), ns(24, 'n'); // m...-predictor-n... is 30+11+24 = 65
    CHECK(error_of(spec_text(k_model, name, ns)) ==
          "s.yaml:4:9: metadata.name: the KServe host label \"" + name + "-predictor-" + ns +
              "\" is 65 characters, over the DNS limit of 63 | shorten metadata.name or metadata.namespace by 2 "
              "characters (KServe builds {name}-predictor-{namespace})");
    CHECK(load(spec_text(k_model, std::string(28, 'm'), ns)).ok()); // exactly 63
    // Tag routing adds "latest-" in Knative mode.
    CHECK(error_of(spec_text(k_model + "  kserve: {tagRouting: true}\n", std::string(28, 'm'), ns))
              .find("is 70 characters, over the DNS limit of 63") != std::string::npos);
    // A transformer's host is longer than the predictor's.
    CHECK(error_of(spec_text(k_model + "  transformer: {image: r/t:1}\n", std::string(28, 'm'), ns))
              .find("-transformer-") != std::string::npos);
    // Seldon and plain Deployments have no such host.
    CHECK(load(spec_text(k_model + "  backend: seldon\n", name, ns)).ok());
}

TEST_CASE("storage URIs must use a scheme KServe's storage initializer reads") {
    const std::string schemes = "gs://, s3://, pvc://, hdfs://, webhdfs://, hf://, modelscope://, oci://, "
                                "oci+modelcar://, oci+native://, oci+fetch://, https://, http://";
    auto uri = [](const std::string& u) { return spec_text("  model: {format: sklearn, storageUri: \"" + u + "\"}\n"); };
    CHECK(error_of(uri("ftp://host/m")) ==
          "s.yaml:7:40: spec.model.storageUri: unsupported storage URI scheme \"ftp://\" | KServe's storage initializer "
          "reads: " + schemes);
    CHECK(error_of(uri("/models/fraud")) ==
          "s.yaml:7:40: spec.model.storageUri: storage URI \"/models/fraud\" is a local path | the cluster cannot read "
          "files on your machine; upload the model and use one of: " + schemes);
    CHECK(error_of(uri("file:///models")).find("is a local path") != std::string::npos);
    CHECK(error_of(uri("s3://")) == "s.yaml:7:40: spec.model.storageUri: storage URI \"s3://\" names no bucket or "
                                    "repository | write it as s3://<bucket>/<path>");
    CHECK(error_of(uri("pvc://Model_Store/x")) ==
          "s.yaml:7:40: spec.model.storageUri: storage URI \"pvc://Model_Store/x\": \"Model_Store\" is not a valid "
          "PersistentVolumeClaim name | a DNS-1123 subdomain may contain only lower-case letters, digits, '-' and '.'");
    for (const char* good : {"gs://b/m", "s3://b/m", "pvc://model-storage/fraud/v2", "hdfs://nn/m", "webhdfs://nn/m",
                             "hf://org/repo", "oci://registry.example.com/models/fraud:v1", "https://a.blob.core.windows.net/c/m",
                             "https://example.com/model.tar.gz", "http://minio:9000/m.joblib"}) {
        CAPTURE(good);
        CHECK(load(uri(good)).ok());
    }
}

TEST_CASE("format custom needs an image; the others need a storageUri") {
    CHECK(error_of(spec_text("  model: {format: custom}\n")) ==
          "s.yaml:7:10: spec.model: format custom needs spec.model.image | add image under spec.model: the container "
          "that serves the model");
    auto custom = load(spec_text("  model: {format: custom, image: registry.example.com/m:1}\n"));
    REQUIRE(custom.ok());
    CHECK(custom->value()["spec"]["model"]["runtime"] == "");
    CHECK(custom->value()["spec"]["model"]["protocol"] == "v1");
}

TEST_CASE("quantities, durations and percentages are checked where they are written") {
    CHECK(error_of(spec_text("  model: {format: sklearn, storageUri: s3://b/m, resources: {memory: 8GB}}\n")) ==
          "s.yaml:7:70: spec.model.resources.memory: invalid quantity \"8GB\": unknown suffix \"GB\" | write a number "
          "with an optional suffix: 500m, 2, 1.5, 8Gi, 512Mi, 1e3 (binary Ki Mi Gi Ti Pi Ei, decimal n u m k M G T P E)");
    CHECK(error_of(spec_text(k_model + "  slo: {latencyP95: 500}\n")) ==
          "s.yaml:8:21: spec.slo.latencyP95: expected a string, got a number | quote the value so that YAML reads it "
          "as a string, e.g. \"500\"");
    CHECK(error_of(spec_text(k_model + "  slo: {latencyP95: 500 ms}\n")) ==
          "s.yaml:8:21: spec.slo.latencyP95: invalid duration \"500 ms\": unknown unit \" ms\" | write a number and a "
          "unit (ns, us, ms, s, m, h), e.g. 30s, 5m, 1h30m, 500ms");
    CHECK(error_of(spec_text(k_model + "  slo: {availability: \"199%\"}\n")) ==
          "s.yaml:8:23: spec.slo.availability: invalid percentage \"199%\": it is over 100% | write a number from 0 to "
          "100 followed by %, e.g. \"1%\" or \"99.9%\"");
    CHECK(error_of(spec_text("  model: {format: sklearn, storageUri: s3://b/m, resources: {cpu: \"-1\"}}\n")) ==
          "s.yaml:7:67: spec.model.resources.cpu: quantity \"-1\" is negative | use 0 or more");
    CHECK(error_of(spec_text("  model: {format: sklearn, storageUri: s3://b/m, resources: {gpu: -1}}\n")) ==
          "s.yaml:7:67: spec.model.resources.gpu: gpu must be 0 or more | request whole GPUs: 0, 1, 2...");
}

TEST_CASE("runtime, protocol and format combinations follow KServe's runtimes") {
    CHECK(error_of(spec_text("  model: {format: pytorch, storageUri: s3://b/m, runtime: kserve-sklearnserver}\n")) ==
          "s.yaml:7:59: spec.model.runtime: runtime \"kserve-sklearnserver\" does not serve format \"pytorch\" | "
          "runtimes that do: kserve-torchserve, kserve-tritonserver");
    CHECK(error_of(spec_text("  model: {format: sklearn, storageUri: s3://b/m, runtime: kserve-mlserver, protocol: v1}\n")) ==
          "s.yaml:7:86: spec.model.protocol: runtime \"kserve-mlserver\" does not speak protocol \"v1\" | it speaks: v2");
    CHECK(error_of(spec_text("  model: {format: onnx, storageUri: s3://b/m, protocol: v1}\n")) ==
          "s.yaml:7:57: spec.model.protocol: no built-in KServe runtime serves format \"onnx\" over protocol \"v1\" | "
          "protocols that work: v2 (kserve-tritonserver), grpc-v2 (kserve-tritonserver); or set spec.model.runtime to "
          "your own ServingRuntime");
    CHECK(error_of(spec_text("  model: {format: sklearn, storageUri: s3://b/m, formatVersion: \"7\"}\n")) ==
          "s.yaml:7:65: spec.model.formatVersion: no built-in KServe runtime serves format \"sklearn\" version \"7\" | "
          "versions served: 1, 0; or remove formatVersion");
    auto v2 = load(spec_text("  model: {format: sklearn, storageUri: s3://b/m, protocol: v2}\n"));
    REQUIRE(v2.ok());
    CHECK(v2->value()["spec"]["model"]["runtime"] == "kserve-mlserver");
    auto own = load(spec_text("  model: {format: sklearn, storageUri: s3://b/m, runtime: my-sklearn}\n"));
    REQUIRE(own.ok());
    REQUIRE(own->warnings.size() == 1);
    CHECK(own->warnings[0].headline() ==
          "s.yaml:7:59: spec.model.runtime: \"my-sklearn\" is not a built-in KServe ClusterServingRuntime");
    CHECK(own->value()["spec"]["model"]["protocol"] == "v1");
}

TEST_CASE("a GPU on a runtime that cannot use one is a warning") {
    auto loaded = load(spec_text("  model: {format: sklearn, storageUri: s3://b/m, resources: {gpu: 1}}\n"));
    REQUIRE(loaded.ok());
    REQUIRE(loaded->warnings.size() == 1);
    CHECK(loaded->warnings[0].headline() == "s.yaml:7:67: spec.model.resources.gpu: runtime \"kserve-sklearnserver\" "
                                            "does not use GPUs; the GPU would sit idle");
    auto torch = load(spec_text("  model: {format: pytorch, storageUri: s3://b/m, resources: {gpu: 1}}\n"));
    REQUIRE(torch.ok());
    CHECK(torch->warnings.empty());
}

TEST_CASE("Seldon picks a prepackaged server and refuses formats it has none for") {
    auto loaded = load(spec_text("  backend: seldon\n" + k_model));
    REQUIRE(loaded.ok());
    CHECK(loaded->value()["spec"]["model"]["runtime"] == "SKLEARN_SERVER");
    CHECK(loaded->value()["spec"]["model"]["protocol"] == "v2");
    CHECK(loaded->value()["spec"]["scaling"]["metric"] == "cpu");
    CHECK(loaded->value()["spec"]["scaling"]["target"] == 80);
    CHECK(error_of(spec_text("  backend: seldon\n  model: {format: lightgbm, storageUri: s3://b/m}\n")) ==
          "s.yaml:8:19: spec.model.format: Seldon Core has no prepackaged server for format \"lightgbm\" | use backend "
          "kserve, or format custom with your own image");
}

TEST_CASE("replicas: 0 <= minReplicas <= maxReplicas, scale to zero only with Knative") {
    CHECK(error_of(spec_text(k_model + "  scaling: {minReplicas: 5, maxReplicas: 2}\n")) ==
          "s.yaml:8:42: spec.scaling.maxReplicas: maxReplicas (2) is less than minReplicas (5) | raise maxReplicas to "
          "at least 5");
    CHECK(error_of(spec_text(k_model + "  scaling: {minReplicas: -1}\n")) ==
          "s.yaml:8:26: spec.scaling.minReplicas: minReplicas must be 0 or more | use 0 or more");
    CHECK(load(spec_text(k_model + "  scaling: {minReplicas: 0}\n")).ok());
    CHECK(error_of(spec_text(k_model + "  kserve: {mode: Standard}\n  scaling: {minReplicas: 0}\n")) ==
          "s.yaml:9:26: spec.scaling.minReplicas: minReplicas 0 (scale to zero) needs KServe's Knative mode | a "
          "HorizontalPodAutoscaler keeps at least 1 replica; set minReplicas: 1");
    auto loaded = load(spec_text(k_model + "  scaling: {minReplicas: 5}\n"));
    REQUIRE(loaded.ok());
    CHECK(loaded->value()["spec"]["scaling"]["maxReplicas"] == 5);
    CHECK(error_of(spec_text(k_model + "  kserve: {mode: Standard}\n  scaling: {metric: concurrency}\n")) ==
          "s.yaml:9:21: spec.scaling.metric: metric concurrency needs KServe's Knative mode | use cpu, memory or "
          "custom (a HorizontalPodAutoscaler metric)");
    CHECK(error_of(spec_text(k_model + "  scaling: {metric: cpu, target: 150}\n")) ==
          "s.yaml:8:34: spec.scaling.target: a cpu target is a utilisation percent from 1 to 100 | e.g. target: 80");
    CHECK(error_of(spec_text(k_model + "  scaling: {metric: custom}\n")) ==
          "s.yaml:8:21: spec.scaling.metric: metric custom needs spec.scaling.customMetric | add customMetric: {name: "
          "inference_requests_per_second, target: \"10\"}");
}

TEST_CASE("canary steps strictly increase within 1..100") {
    std::string canary = "  canary:\n    model: {storageUri: s3://b/m2}\n    steps: ";
    CHECK(error_of(spec_text(k_model + canary + "[10, 10, 100]\n")) ==
          "s.yaml:10:17: spec.canary.steps[1]: steps must increase: 10 follows 10 | list each percent once, smallest "
          "first, e.g. [10, 25, 50, 100]");
    CHECK(error_of(spec_text(k_model + canary + "[0, 50]\n")) ==
          "s.yaml:10:13: spec.canary.steps[0]: step 0 is outside 1..100 | each step is the percent of traffic the new "
          "version gets");
    CHECK(error_of(spec_text(k_model + canary + "[50, 120]\n")).find("step 120 is outside 1..100") != std::string::npos);
    CHECK(error_of(spec_text(k_model + canary + "[]\n")) ==
          "s.yaml:10:12: spec.canary.steps: steps is empty | list traffic percents, e.g. [10, 50, 100]");
    auto loaded = load(spec_text(k_model + canary + "[5, 25, 100]\n"));
    REQUIRE(loaded.ok());
    CHECK(loaded->value()["spec"]["canary"]["engine"] == "kserve");
    CHECK(error_of(spec_text(k_model + "  canary: {model: {}}\n")) ==
          "s.yaml:8:19: spec.canary.model: canary.model changes nothing | set what the new version changes, e.g. "
          "canary.model.storageUri");
}

TEST_CASE("canary engine, strategy and backend must fit together") {
    std::string canary = "  canary:\n    model: {storageUri: s3://b/m2}\n";
    CHECK(error_of(spec_text(k_model + canary + "    engine: seldon\n")) ==
          "s.yaml:10:13: spec.canary.engine: canary engine seldon needs backend seldon | use engine kserve or argo with "
          "backend kserve");
    CHECK(error_of(spec_text(k_model + canary + "    strategy: shadow\n")) ==
          "s.yaml:10:15: spec.canary.strategy: strategy shadow needs the seldon engine (backend seldon) | use strategy "
          "canary with engine kserve");
    CHECK(error_of(spec_text(k_model + "  kserve: {mode: Standard}\n" + canary)) ==
          "s.yaml:10:5: spec.canary.engine: a KServe canary in Standard mode needs KServe 0.20 or later "
          "(spec.kserve.version is \"0.16\") | before 0.20 KServe ignores canaryTrafficPercent in Standard mode; set "
          "kserve.version: \"0.20\" if the cluster runs it, use mode Knative, or engine argo");
    CHECK(load(spec_text(k_model + "  kserve: {mode: Standard, version: \"0.20\"}\n" + canary)).ok());
    CHECK(load(spec_text(k_model + "  kserve: {mode: Standard}\n" + canary + "    engine: argo\n")).ok());
    CHECK(error_of(spec_text(k_model + canary + "    engine: argo\n")) ==
          "s.yaml:10:13: spec.canary.engine: canary engine argo needs KServe Standard mode or backend deployment | in "
          "Knative mode there is no Deployment for a Rollout to take over; set kserve.mode: Standard or use engine "
          "kserve");
    auto seldon = load(spec_text("  backend: seldon\n" + k_model + canary + "    strategy: abtest\n"));
    REQUIRE(seldon.ok());
    CHECK(seldon->value()["spec"]["canary"]["engine"] == "seldon");
    CHECK(error_of(spec_text(k_model + canary + "    trafficRouting: {istio: {host: a.example.com}}\n")) ==
          "s.yaml:10:21: spec.canary.trafficRouting: trafficRouting is used only with engine argo | remove "
          "trafficRouting; engine kserve routes traffic itself");
}

TEST_CASE("a canary that changes format gets its own runtime") {
    auto loaded = load(spec_text(k_model + "  canary:\n    model: {format: xgboost, storageUri: s3://b/x}\n"));
    REQUIRE(loaded.ok());
    const Json& overlay = loaded->value()["spec"]["canary"]["model"];
    CHECK(overlay["runtime"] == "kserve-xgbserver");
    CHECK_FALSE(overlay.contains("protocol")); // v1 like the stable model
    CHECK(error_of(spec_text(k_model + "  canary:\n    model: {format: custom}\n")) ==
          "s.yaml:9:12: spec.canary.model: the canary's format is custom but it has no image | add image under "
          "spec.canary.model");
    auto same = load(spec_text(k_model + "  canary:\n    model: {storageUri: s3://b/x}\n"));
    REQUIRE(same.ok());
    CHECK(same->value()["spec"]["canary"]["model"] == Json::parse(R"({"storageUri":"s3://b/x"})"));
}

TEST_CASE("overrides need a kind and exactly one well-formed patch") {
    auto over = [](const std::string& item) { return spec_text(k_model + "  overrides:\n  - " + item + "\n"); };
    CHECK(error_of(over("{target: {name: x}, mergePatch: {}}")) ==
          "s.yaml:9:14: spec.overrides[0].target.kind: required field \"kind\" is missing | add kind under "
          "spec.overrides[0].target");
    CHECK(error_of(over("{target: {kind: InferenceService}}")) ==
          "s.yaml:9:5: spec.overrides[0]: an override needs mergePatch or jsonPatch | write exactly one: mergePatch "
          "(RFC 7386) or jsonPatch (RFC 6902)");
    CHECK(error_of(over("{target: {kind: InferenceService}, mergePatch: {}, jsonPatch: []}")).find("has both") !=
          std::string::npos);
    CHECK(error_of(over("{target: {kind: inferenceservice}, mergePatch: {}}")) ==
          "s.yaml:9:21: spec.overrides[0].target.kind: unknown kind \"inferenceservice\" | did you mean "
          "'InferenceService'?");
    CHECK(error_of(over("{target: {kind: Rollout}, jsonPatch: [{op: replace, path: spec/replicas, value: 3}]}")) ==
          "s.yaml:9:63: spec.overrides[0].jsonPatch[0].path: path must be a JSON pointer | start with '/', escape '~' "
          "as ~0 and '/' as ~1, e.g. /metadata/labels/app");
    CHECK(error_of(over("{target: {kind: Rollout}, jsonPatch: [{op: replace, path: /spec/replicas}]}")) ==
          "s.yaml:9:43: spec.overrides[0].jsonPatch[0]: a replace operation needs \"value\" | add value: <the new value>");
    CHECK(error_of(over("{target: {kind: Rollout}, jsonPatch: [{op: move, path: /a}]}")) ==
          "s.yaml:9:43: spec.overrides[0].jsonPatch[0]: a move operation needs \"from\" | a JSON pointer such as "
          "/spec/template/spec/containers/0/image");
    CHECK(error_of(over("{target: {kind: Rollout}, jsonPatch: [{op: upsert, path: /a, value: 1}]}")) ==
          "s.yaml:9:48: spec.overrides[0].jsonPatch[0].op: op must be one of: add, remove, replace, move, copy, test | "
          "RFC 6902 operations: add, remove, replace, move, copy, test");
    CHECK(error_of(over("{target: {kind: Rollout}, jsonPatch: [{op: add, path: /a, vaule: 1}]}")) ==
          "s.yaml:9:70: spec.overrides[0].jsonPatch[0].vaule: unknown member \"vaule\" in a JSON patch operation | did "
          "you mean 'value'?");
    auto loaded = load(over("{target: {kind: HorizontalPodAutoscaler}, jsonPatch: [{op: remove, path: /spec/x~1y}]}"));
    REQUIRE(loaded.ok());
    CHECK(loaded->value()["spec"]["overrides"][0]["target"] ==
          Json::parse(R"({"kind":"HorizontalPodAutoscaler","name":"","apiVersion":""})"));
}

TEST_CASE("backend-specific sections are refused where they do not apply") {
    CHECK(error_of(spec_text(k_model + "  deployment: {image: r/m:1}\n")) ==
          "s.yaml:8:15: spec.deployment: spec.deployment is used only with backend deployment | remove "
          "spec.deployment, or set spec.backend: deployment");
    CHECK(error_of(spec_text("  backend: deployment\n" + k_model)) ==
          "s.yaml:7:3: spec: backend deployment needs spec.deployment.image | add deployment: {image: "
          "registry.example.com/model:1.0}");
    auto plain = load(spec_text("  backend: deployment\n" + k_model + "  deployment: {image: r/m:1}\n"));
    REQUIRE(plain.ok());
    CHECK(plain->value()["spec"]["deployment"]["port"] == 8080);
    CHECK(plain->value()["spec"]["deployment"]["readinessPath"] == "/v2/health/ready");
    CHECK(plain->value()["spec"]["scaling"]["metric"] == "cpu");
    CHECK(error_of(spec_text(k_model + "  backend: seldon\n  explainer: {type: AnchorTabular}\n")) ==
          "s.yaml:9:14: spec.explainer: an explainer needs backend kserve | remove spec.explainer");
    CHECK(error_of(spec_text(k_model + "  kserve: {mode: Standard, tagRouting: true}\n")) ==
          "s.yaml:8:40: spec.kserve.tagRouting: tag routing exists only in KServe's Knative mode | set tagRouting: "
          "false, or mode: Knative");
    CHECK(error_of(spec_text(k_model + "  storage: {pvc: {create: true}}\n")) ==
          "s.yaml:8:27: spec.storage.pvc.create: storage.pvc.create needs a pvc:// storageUri | the claim's name comes "
          "from spec.model.storageUri, e.g. pvc://model-storage/path");
}

TEST_CASE("labels, env and network peers use Kubernetes syntax") {
    CHECK(error_of("apiVersion: mlserve.io/v1alpha1\nkind: ModelDeployment\nmetadata:\n  labels: {team: \"a b\"}\n"
                   "  name: m\nspec:\n" + k_model) ==
          "s.yaml:4:18: metadata.labels.team: invalid label value: a label value may contain only letters, digits, "
          "'-', '_' and '.' | label values are short words; put free text in annotations");
    CHECK(error_of(spec_text("  model: {format: sklearn, storageUri: s3://b/m, env: {PYTHONPATH: /x}}\n")) ==
          "s.yaml:7:68: spec.model.env.PYTHONPATH: KServe rejects PYTHONPATH in container env for security reasons | "
          "bake the path into the image instead");
    CHECK(error_of(spec_text(k_model + "  network: {allowFromNamespaces: [Payments]}\n")) ==
          "s.yaml:8:35: spec.network.allowFromNamespaces[0]: invalid namespace Payments: a DNS-1123 label may contain "
          "only lower-case letters, digits and '-' | use lower-case letters, digits and '-', e.g. \"payments\"");
}
