// The Seldon and Argo Rollouts templates, rendered from specs that vary one field at a time: the rules the
// upstream controllers enforce (Seldon traffic sums and shadows, Argo's references between Rollout,
// Services, VirtualService and AnalysisTemplate) hold for every variant, not only for the golden examples.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "core/yaml.hpp"
#include "render/render.hpp"
#include "spec/spec.hpp"
#include "unit/templates/render_helpers.hpp"

using mlserve::core::Json;
using mlserve::test::of_kind;
using mlserve::test::render_text;

namespace {

std::string seldon_spec(const std::string& model, const std::string& extra) {
    return "apiVersion: mlserve.io/v1alpha1\nkind: ModelDeployment\nmetadata:\n  name: iris\n  namespace: ml\n"
           "spec:\n  backend: seldon\n  model:\n" +
           model + extra;
}

const std::string k_sklearn = "    format: sklearn\n    storageUri: gs://models/iris/v1\n    protocol: v2\n";

std::string seldon_canary(const std::string& strategy, const std::string& steps) {
    return seldon_spec(k_sklearn, "  canary:\n    model: {storageUri: gs://models/iris/v2}\n    strategy: " + strategy +
                                      "\n    steps: " + steps + "\n");
}

Json sdep_predictors(const std::string& text) {
    auto sdeps = of_kind(render_text(text), "SeldonDeployment");
    REQUIRE(sdeps.size() == 1);
    return sdeps[0]["spec"]["predictors"];
}

std::string argo_spec(const std::string& canary_extra, const std::string& spec_extra = "") {
    return "apiVersion: mlserve.io/v1alpha1\nkind: ModelDeployment\nmetadata:\n  name: fraud\n  namespace: prod\n"
           "spec:\n  kserve: {mode: Standard}\n  model:\n    format: sklearn\n    storageUri: s3://m/fraud/v2\n"
           "  canary:\n    model: {storageUri: s3://m/fraud/v3}\n    engine: argo\n    steps: [10, 40, 100]\n"
           "    interval: 2m\n" +
           canary_extra + spec_extra;
}

const std::string k_istio = "    trafficRouting:\n      istio: {host: fraud.example.com, gateway: istio-system/gw}\n";
const std::string k_analysis = "    analysis: {prometheus: 'http://prom:9090', maxErrorRate: '2.5%', interval: 30s}\n";

} // namespace

TEST_CASE("a SeldonDeployment carries the signed-image annotation next to the spec's own annotations") {
    auto sdeps = of_kind(render_text(seldon_spec(k_sklearn, "  security: {requireSignedImages: true}\n")),
                         "SeldonDeployment");
    REQUIRE(sdeps.size() == 1);
    CHECK(sdeps[0]["metadata"]["annotations"]["mlserve.io/require-signed-images"] == "true");

    auto plain = of_kind(render_text(seldon_spec(k_sklearn, "")), "SeldonDeployment");
    REQUIRE(plain.size() == 1);
    CHECK_FALSE(plain[0]["metadata"].contains("annotations"));
}

TEST_CASE("a Seldon canary splits traffic between two predictors and never writes a zero weight") {
    for (int first : {1, 10, 50, 99}) {
        CAPTURE(first);
        Json predictors = sdep_predictors(seldon_canary("canary", "[" + std::to_string(first) + ", 100]"));
        REQUIRE(predictors.size() == 2);
        CHECK(predictors[0]["name"] == "default");
        CHECK(predictors[0]["traffic"] == 100 - first);
        CHECK(predictors[0]["graph"]["modelUri"] == "gs://models/iris/v1");
        CHECK(predictors[1]["name"] == "canary");
        CHECK(predictors[1]["traffic"] == first);
        CHECK(predictors[1]["graph"]["modelUri"] == "gs://models/iris/v2");
        // the graph root has one name in both predictors, so clients call one model path whichever serves
        CHECK(predictors[0]["graph"]["name"] == predictors[1]["graph"]["name"]);
    }
    // all traffic to the canary at once: the stable predictor is left out rather than given traffic 0
    Json predictors = sdep_predictors(seldon_canary("canary", "[100]"));
    REQUIRE(predictors.size() == 1);
    CHECK(predictors[0]["name"] == "canary");
    CHECK(predictors[0]["traffic"] == 100);
}

TEST_CASE("a Seldon A/B test is one RANDOM_ABTEST router whose ratioA is the stable share") {
    const std::pair<const char*, const char*> cases[] = {{"[7, 100]", "0.93"}, {"[30, 100]", "0.7"}, {"[50]", "0.5"}};
    for (auto [steps, ratio] : cases) {
        CAPTURE(steps);
        Json predictors = sdep_predictors(seldon_canary("abtest", steps));
        REQUIRE(predictors.size() == 1);
        const Json& graph = predictors[0]["graph"];
        CHECK(graph["implementation"] == "RANDOM_ABTEST");
        CHECK(graph["parameters"] == Json::parse(std::string(R"([{"name":"ratioA","type":"FLOAT","value":")") +
                                                 ratio + "\"}]"));
        REQUIRE(graph["children"].size() == 2);
        CHECK(graph["children"][0]["name"] == "stable");
        CHECK(graph["children"][0]["modelUri"] == "gs://models/iris/v1");
        CHECK(graph["children"][1]["name"] == "canary");
        CHECK(graph["children"][1]["modelUri"] == "gs://models/iris/v2");
        // each child is a container of its own componentSpec, named like the graph node
        REQUIRE(predictors[0]["componentSpecs"].size() == 2);
        CHECK(predictors[0]["componentSpecs"][0]["spec"]["containers"][0]["name"] == "stable");
        CHECK(predictors[0]["componentSpecs"][1]["spec"]["containers"][0]["name"] == "canary");
        CHECK_FALSE(predictors[0].contains("traffic"));
    }
}

TEST_CASE("a Seldon shadow is one extra predictor marked shadow that takes no traffic share") {
    Json predictors = sdep_predictors(seldon_canary("shadow", "[10, 100]"));
    REQUIRE(predictors.size() == 2);
    CHECK(predictors[0]["name"] == "default");
    CHECK_FALSE(predictors[0].contains("shadow"));
    CHECK(predictors[1]["name"] == "shadow");
    CHECK(predictors[1]["shadow"] == true);
    CHECK(predictors[1]["graph"]["modelUri"] == "gs://models/iris/v2");
    for (const auto& p : predictors) CHECK_FALSE(p.contains("traffic"));
}

TEST_CASE("the SeldonDeployment protocol and server follow the model's format and protocol") {
    auto spec_of = [](const std::string& model) {
        auto sdeps = of_kind(render_text(seldon_spec(model, "")), "SeldonDeployment");
        REQUIRE(sdeps.size() == 1);
        return sdeps[0]["spec"];
    };
    Json v2 = spec_of(k_sklearn);
    CHECK(v2["protocol"] == "v2");
    CHECK_FALSE(v2.contains("transport"));
    CHECK(v2["predictors"][0]["graph"]["implementation"] == "SKLEARN_SERVER");
    // Seldon's own protocol for the Python servers, TF Serving's REST API for TENSORFLOW_SERVER
    CHECK(spec_of("    format: xgboost\n    storageUri: gs://m/x\n    protocol: v1\n")["protocol"] == "seldon");
    Json tf = spec_of("    format: tensorflow\n    storageUri: gs://m/tf\n");
    CHECK(tf["protocol"] == "tensorflow");
    CHECK(tf["predictors"][0]["graph"]["implementation"] == "TENSORFLOW_SERVER");
    Json grpc = spec_of("    format: onnx\n    storageUri: gs://m/onnx\n    protocol: grpc-v2\n");
    CHECK(grpc["protocol"] == "v2");
    CHECK(grpc["transport"] == "grpc");
    CHECK(grpc["predictors"][0]["graph"]["implementation"] == "TRITON_SERVER");
    // format custom: no prepackaged server, the container runs the image
    Json custom = spec_of("    format: custom\n    image: registry.example.com/iris:3\n");
    CHECK_FALSE(custom["predictors"][0]["graph"].contains("implementation"));
    CHECK(custom["predictors"][0]["componentSpecs"][0]["spec"]["containers"][0]["image"] == "registry.example.com/iris:3");
}

TEST_CASE("Seldon scaling is fixed predictor replicas or an autoscaling/v2 hpaSpec on every component") {
    Json fixed = sdep_predictors(seldon_spec(k_sklearn, "  scaling: {minReplicas: 3, maxReplicas: 3}\n"));
    CHECK(fixed[0]["replicas"] == 3);
    CHECK_FALSE(fixed[0]["componentSpecs"][0].contains("hpaSpec"));

    Json scaled = sdep_predictors(seldon_spec(k_sklearn, "  scaling: {minReplicas: 2, maxReplicas: 8, metric: memory, "
                                                         "target: 75}\n  canary:\n    model: {storageUri: gs://m/v2}\n"
                                                         "    strategy: abtest\n"));
    CHECK_FALSE(scaled[0].contains("replicas"));
    for (const auto& component : scaled[0]["componentSpecs"])
        CHECK(component["hpaSpec"] == Json::parse(R"({"minReplicas":2,"maxReplicas":8,"metricsv2":[{"type":"Resource",
              "resource":{"name":"memory","target":{"type":"Utilization","averageUtilization":75}}}]})"));
}

TEST_CASE("the Argo Rollout, Services, VirtualService and AnalysisTemplate name each other") {
    auto set = render_text(argo_spec(k_istio + k_analysis));
    auto rollouts = of_kind(set, "Rollout");
    auto services = of_kind(set, "Service");
    auto virtual_services = of_kind(set, "VirtualService");
    auto templates = of_kind(set, "AnalysisTemplate");
    REQUIRE(rollouts.size() == 1);
    REQUIRE(virtual_services.size() == 1);
    REQUIRE(templates.size() == 1);
    const Json& rollout = rollouts[0]["spec"];
    const Json& canary = rollout["strategy"]["canary"];

    CHECK(rollout["workloadRef"] == Json::parse(R"({"apiVersion":"apps/v1","kind":"Deployment",
          "name":"fraud-predictor","scaleDown":"progressively"})"));
    CHECK_FALSE(rollout.contains("template"));
    std::set<std::string> service_names;
    for (const auto& s : services) {
        service_names.insert(s["metadata"]["name"]);
        CHECK(s["spec"]["selector"] == Json::parse(R"({"app":"isvc.fraud-predictor"})"));
    }
    CHECK(service_names.count(canary["stableService"]) == 1);
    CHECK(service_names.count(canary["canaryService"]) == 1);
    CHECK(canary["stableService"] != canary["canaryService"]);

    // the route the Rollout edits exists, and has exactly the stable and canary Services as destinations
    const Json& vs = virtual_services[0];
    CHECK(canary["trafficRouting"]["istio"]["virtualService"]["name"] == vs["metadata"]["name"]);
    REQUIRE(canary["trafficRouting"]["istio"]["virtualService"]["routes"].size() == 1);
    const Json& route_name = canary["trafficRouting"]["istio"]["virtualService"]["routes"][0];
    REQUIRE(vs["spec"]["http"].size() == 1);
    CHECK(vs["spec"]["http"][0]["name"] == route_name);
    CHECK(vs["spec"]["hosts"] == Json::parse(R"(["fraud.example.com"])"));
    CHECK(vs["spec"]["gateways"] == Json::parse(R"(["istio-system/gw"])"));
    const Json& destinations = vs["spec"]["http"][0]["route"];
    REQUIRE(destinations.size() == 2);
    CHECK(destinations[0]["destination"]["host"] == canary["stableService"]);
    CHECK(destinations[0]["weight"] == 100);
    CHECK(destinations[1]["destination"]["host"] == canary["canaryService"]);
    CHECK(destinations[1]["weight"] == 0);

    // the background analysis names the template and passes exactly the arguments it declares
    CHECK(canary["analysis"]["templates"][0]["templateName"] == templates[0]["metadata"]["name"]);
    std::set<std::string> declared, passed;
    for (const auto& a : templates[0]["spec"]["args"]) declared.insert(a["name"]);
    for (const auto& a : canary["analysis"]["args"]) passed.insert(a["name"]);
    CHECK(declared == passed);
    CHECK(canary["analysis"]["args"][0]["value"] == canary["canaryService"]);
    CHECK(canary["analysis"]["startingStep"] == 1);

    CHECK(canary["steps"] == Json::parse(R"([{"setWeight":10},{"pause":{"duration":"2m"}},{"setWeight":40},
          {"pause":{"duration":"2m"}},{"setWeight":100},{"pause":{"duration":"2m"}}])"));
}

TEST_CASE("Argo analysis thresholds come from spec.canary.analysis, else from spec.slo") {
    auto metrics_of = [](const std::string& text) {
        auto templates = of_kind(render_text(text), "AnalysisTemplate");
        REQUIRE(templates.size() == 1);
        return templates[0]["spec"]["metrics"];
    };
    Json own = metrics_of(argo_spec(k_analysis));
    REQUIRE(own.size() == 1);
    CHECK(own[0]["name"] == "error-rate");
    CHECK(own[0]["successCondition"] == "len(result) > 0 && result[0] <= 0.025");
    CHECK(own[0]["failureCondition"] == "len(result) > 0 && result[0] > 0.025");
    CHECK(own[0]["interval"] == "30s");
    CHECK(own[0]["initialDelay"] == "1m"); // the rate window is at least a minute
    CHECK(own[0]["failureLimit"] == 1);
    CHECK(own[0]["provider"]["prometheus"]["address"] == "http://prom:9090");

    Json with_slo = metrics_of(argo_spec(k_analysis, "  slo: {latencyP95: 1500ms, availability: '99.5%'}\n"));
    REQUIRE(with_slo.size() == 2);
    CHECK(with_slo[0]["successCondition"] == "len(result) > 0 && result[0] <= 0.025"); // the analysis wins
    CHECK(with_slo[1]["name"] == "latency-p95");
    CHECK(with_slo[1]["successCondition"] == "len(result) > 0 && result[0] <= 1.5");

    Json budget = metrics_of(argo_spec("    analysis: {prometheus: 'http://prom:9090', maxLatencyP95: 300ms, interval: 5m}\n",
                                       "  slo: {availability: '99.9%'}\n"));
    REQUIRE(budget.size() == 2);
    CHECK(budget[0]["successCondition"] == "len(result) > 0 && result[0] <= 0.001");
    CHECK(budget[0]["initialDelay"] == "5m");
    CHECK(budget[1]["successCondition"] == "len(result) > 0 && result[0] <= 0.3");
}

TEST_CASE("Argo objects are rendered only for engine argo, the VirtualService only with Istio routing") {
    auto plain = render_text(argo_spec(""));
    CHECK(of_kind(plain, "Rollout").size() == 1);
    CHECK(of_kind(plain, "VirtualService").empty());
    CHECK(of_kind(plain, "AnalysisTemplate").empty());
    CHECK_FALSE(of_kind(plain, "Rollout")[0]["spec"]["strategy"]["canary"].contains("trafficRouting"));
    CHECK_FALSE(of_kind(plain, "Rollout")[0]["spec"]["strategy"]["canary"].contains("analysis"));

    std::string kserve_engine = argo_spec("");
    kserve_engine.replace(kserve_engine.find("engine: argo"), 12, "engine: kserve");
    kserve_engine.replace(kserve_engine.find("{mode: Standard}"), 16, "{mode: Standard, version: '0.20'}");
    auto kserve = render_text(kserve_engine);
    CHECK(of_kind(kserve, "Rollout").empty());
    CHECK(of_kind(kserve, "Service").empty());
}

TEST_CASE("an Argo canary of the plain Deployment selects its pods and leaves replicas to an HPA") {
    auto set = render_text("apiVersion: mlserve.io/v1alpha1\nkind: ModelDeployment\nmetadata: {name: text}\nspec:\n"
                           "  backend: deployment\n  deployment: {image: registry.example.com/text:2}\n"
                           "  model: {format: custom, image: registry.example.com/text:2}\n"
                           "  scaling: {minReplicas: 2, maxReplicas: 6}\n"
                           "  canary: {model: {image: registry.example.com/text:3}, engine: argo}\n");
    auto rollouts = of_kind(set, "Rollout");
    REQUIRE(rollouts.size() == 1);
    CHECK(rollouts[0]["spec"]["workloadRef"]["name"] == "text");
    CHECK_FALSE(rollouts[0]["spec"].contains("replicas"));
    int services = 0;
    for (const auto& s : of_kind(set, "Service")) {
        std::string name = s["metadata"]["name"];
        if (name != "text-stable" && name != "text-canary") continue;
        ++services;
        CHECK(s["spec"]["selector"] ==
              Json::parse(R"({"app.kubernetes.io/name":"text","app.kubernetes.io/component":"server"})"));
        CHECK(s["spec"]["ports"][0]["targetPort"] == "http");
    }
    CHECK(services == 2);
}
