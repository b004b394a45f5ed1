// Checks of what one backend's objects cannot express: Seldon Core v1 (one protocol per SeldonDeployment,
// graph nodes, hpaSpec, predictor Service names) and Argo Rollouts (its Services, analysis without routing).
#include "spec/detail.hpp"

namespace mlserve::spec::detail {
namespace {

using core::Json;

std::string characters(size_t n) { return std::to_string(n) + (n == 1 ? " character" : " characters"); }

// The SeldonDeployment's protocol (and transport) as templates/seldon/seldondeployment.yaml derives them from
// the stable model: v2 and grpc-v2 give "v2", v1 gives "tensorflow" on TENSORFLOW_SERVER, else "seldon".
std::string seldon_protocol(const std::string& protocol, const std::string& runtime) {
    if (protocol == "grpc-v2") return "v2 over gRPC";
    if (protocol == "v2") return "v2";
    return runtime == "TENSORFLOW_SERVER" ? "tensorflow" : "seldon";
}

std::string served_by(const std::string& runtime, const std::string& protocol) {
    return (runtime.empty() ? std::string("a custom image") : runtime) + ", protocol " + protocol;
}

// Every predictor of a SeldonDeployment is called over the deployment's one protocol, taken from the stable
// model; a canary (or A/B child, or shadow) whose server needs another one is rejected or gets requests it
// cannot read (the webhook refuses SKLEARN_SERVER under "tensorflow"; TRITON_SERVER speaks only v2).
core::Result<void> check_seldon_protocol(const Json& spec, Reporter& reporter) {
    if (!spec.contains("canary")) return {};
    const Json& stable = spec["model"];
    const Json& overlay = spec["canary"]["model"];
    std::string stable_runtime = stable["runtime"], stable_protocol = stable["protocol"];
    std::string runtime = overlay.value("runtime", stable_runtime);
    std::string protocol = overlay.value("protocol", stable_protocol);
    std::string want = seldon_protocol(stable_protocol, stable_runtime), got = seldon_protocol(protocol, runtime);
    if (want == got) return {};
    std::string at = "/spec/canary/model";
    for (const char* key : {"protocol", "runtime", "format"})
        if (reporter.document().positions.exact(at + "/" + key).line != 0) {
            at += std::string("/") + key;
            break;
        }
    return reporter.error(at,
                          "the canary needs Seldon protocol \"" + got + "\" (" + served_by(runtime, protocol) +
                              ") but the SeldonDeployment uses \"" + want + "\" from the stable model (" +
                              served_by(stable_runtime, stable_protocol) + ")",
                          "a SeldonDeployment has one protocol for every predictor: give the canary protocol " +
                              stable_protocol +
                              " and a server that speaks it, or change the protocol without a canary");
}

// Seldon names each predictor's Service {name}-{predictor} and, past 63 characters, silently renames it
// seldon-<md5>: the address clients and Istio routes are written against does not exist. The per-container
// Services ({name}-{predictor}-{container}) are hashed the same way, but only the operator addresses them.
core::Result<void> check_seldon_services(const Json& value, Reporter& reporter) {
    // The stable predictor "default" has the longest name; the canary's is "canary", the shadow's "shadow".
    std::string service = value["metadata"]["name"].get<std::string>() + "-default";
    if (service.size() <= 63) return {};
    return reporter.error("/metadata/name",
                          "the Seldon predictor Service \"" + service + "\" is " + std::to_string(service.size()) +
                              " characters, over the DNS limit of 63; Seldon would name it seldon-<md5 hash> instead",
                          "shorten metadata.name by " + characters(service.size() - 63) +
                              " so that the Service keeps the name clients use ({name}-default.{namespace}.svc)");
}

core::Result<void> check_seldon(const Json& value, Reporter& reporter) {
    const Json& spec = value["spec"];
    MLSERVE_TRY(check_seldon_protocol(spec, reporter));
    MLSERVE_TRY(check_seldon_services(value, reporter));
    if (spec["scaling"].contains("behavior"))
        reporter.warn("/spec/scaling/behavior",
                      "Seldon's hpaSpec has no behavior field; spec.scaling.behavior is dropped",
                      "remove spec.scaling.behavior: Seldon's HorizontalPodAutoscalers scale with the Kubernetes "
                      "defaults");
    return {};
}

core::Result<void> check_argo(const Json& value, Reporter& reporter) {
    const Json& canary = value["spec"]["canary"];
    std::string name = value["metadata"]["name"];
    // templates/argo/services.yaml: {name}-stable and {name}-canary, both DNS-1035 labels.
    std::string service = name + "-canary";
    if (service.size() > 63)
        return reporter.error("/metadata/name",
                              "the Argo Rollouts Service \"" + service + "\" is " + std::to_string(service.size()) +
                                  " characters, over the DNS limit of 63",
                              "shorten metadata.name by " + characters(service.size() - 63) +
                                  " (the Rollout's Services are {name}-stable and {name}-canary)");
    // The analysis reads Istio's metrics for requests sent to {name}-canary; only the VirtualService that
    // trafficRouting.istio renders sends any, so without it every measurement is Inconclusive.
    if (canary.contains("analysis") && !canary.contains("trafficRouting"))
        reporter.warn("/spec/canary/analysis",
                      "the analysis measures requests to the Service \"" + service +
                          "\", which gets traffic only through spec.canary.trafficRouting.istio; without it every "
                          "measurement is Inconclusive and the rollout pauses at its first step",
                      "add trafficRouting: {istio: {host: " + name +
                          ".example.com}}, or remove analysis and promote by hand");
    return {};
}

} // namespace

core::Result<void> check_backends(const Json& value, Reporter& reporter) {
    const Json& spec = value["spec"];
    if (spec["backend"] == "seldon") MLSERVE_TRY(check_seldon(value, reporter));
    if (spec.contains("canary") && spec["canary"]["engine"] == "argo") MLSERVE_TRY(check_argo(value, reporter));
    return {};
}

} // namespace mlserve::spec::detail
