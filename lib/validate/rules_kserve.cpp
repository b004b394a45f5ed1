// KServe InferenceService rules: what the validating webhook rejects (inference_service_validation.go,
// component.go) and what fails later at reconcile (host length, runtime selection, canary style per mode).
// Messages quote the webhook's where it has one (reference/kserve.md §6).

#include <set>

#include "spec/detail.hpp"
#include "spec/runtimes.hpp"
#include "validate/rules_detail.hpp"

namespace mlserve::validate::detail {
namespace {

constexpr std::string_view k_frameworks[] = {"sklearn", "xgboost", "tensorflow", "pytorch", "triton", "onnx",
                                             "huggingface", "pmml", "lightgbm", "paddle"};

using Component = KserveComponent;

std::vector<Component> components(const Json* spec) { return kserve_components(spec); }

// The implementations a component sets: framework fields and model (predictor), art (explainer), containers.
std::vector<std::string> implementations(const Component& c) {
    std::vector<std::string> out;
    if (c.role == "predictor") {
        for (std::string_view f : k_frameworks)
            if (member(c.value, f)) out.emplace_back(f);
        if (member(c.value, "model")) out.emplace_back("model");
    }
    if (c.role == "explainer" && member(c.value, "art")) out.emplace_back("art");
    if (const Json* containers = array_of(c.value, "containers"); containers && !containers->empty())
        out.emplace_back("containers");
    return out;
}

std::string join(const std::vector<std::string>& names, std::string_view last = " and ") {
    std::string out;
    for (size_t i = 0; i < names.size(); ++i) out += (i == 0 ? "" : i + 1 == names.size() ? std::string(last) : ", ") + names[i];
    return out;
}

void check_name_and_host(const Manifest& m, Sink& sink) {
    std::string name = string_of(object_of(&m.doc.value, "metadata"), "name");
    if (name.empty()) return;
    bool valid = name.front() >= 'a' && name.front() <= 'z' && name.back() != '-';
    for (char ch : name) valid &= (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
    if (!valid)
        sink.report(m, "kserve.name", "/metadata/name",
                    "the InferenceService " + shown(name) +
                        " is invalid: a InferenceService name must consist of lower case alphanumeric characters or "
                        "'-', and must start with alphabetical character",
                    "use a name like my-model (regex [a-z]([-a-z0-9]*[a-z0-9])?)");
    std::string ns = m.namespace_name();
    if (ns.empty()) return; // the host depends on where it is applied
    const Json* annotations = object_of(object_of(&m.doc.value, "metadata"), "annotations");
    bool tags = kserve_mode(m) != "Standard" && string_of(annotations, "serving.kserve.io/enable-tag-routing") == "true";
    std::string longest;
    for (const Component& c : components(object_of(&m.doc.value, "spec"))) {
        std::string own = c.role == "predictor" ? string_of(c.value, "name") : "";
        std::string component = own.empty() ? c.role : own + "-" + c.role;
        if (component.size() > longest.size()) longest = component;
    }
    if (const Json* canaries = array_of(object_of(&m.doc.value, "spec"), "canary"))
        for (const Json& canary : *canaries) {
            std::string own = string_of(object_of(&canary, "predictor"), "name");
            if (!own.empty() && own.size() + 10 > longest.size()) longest = own + "-predictor";
        }
    if (longest.empty()) return;
    std::string host = std::string(tags ? "latest-" : "") + name + "-" + longest + "-" + ns;
    if (host.size() <= 63) return;
    sink.report(m, "kserve.host-length", "/metadata/name",
                "the KServe host label \"" + host + "\" is " + std::to_string(host.size()) +
                    " characters, over the DNS limit of 63",
                "shorten metadata.name or metadata.namespace by " + std::to_string(host.size() - 63) +
                    " characters (KServe builds {name}-" + longest + "-{namespace}" +
                    (tags ? " with the latest- tag prefix" : "") + ")");
}

void check_mode(const Manifest& m, Sink& sink) {
    const Json* annotations = object_of(object_of(&m.doc.value, "metadata"), "annotations");
    const Json* mode = member(annotations, "serving.kserve.io/deploymentMode");
    if (!mode || !mode->is_string()) return;
    static const std::set<std::string> k_modes = {"Knative", "Standard", "ModelMesh", "Serverless", "RawDeployment"};
    if (k_modes.count(mode->get<std::string>())) return;
    sink.report(m, "kserve.deployment-mode", "/metadata/annotations/serving.kserve.io~1deploymentMode",
                "unknown deployment mode " + shown(mode->get<std::string>()) +
                    ": KServe silently falls back to the cluster's default mode",
                "use Knative or Standard (KServe >= 0.16), Serverless or RawDeployment (older), or ModelMesh");
}

void check_one_implementation(const Manifest& m, const Component& c, Sink& sink) {
    auto found = implementations(c);
    if (found.size() == 1) return;
    // KServe accepts one implementation plus custom containers (the collocated transformer).
    if (found.size() == 2 && found.back() == "containers") return;
    std::string allowed = c.role == "predictor" ? "model, a framework field (sklearn, xgboost, tensorflow, pytorch, "
                                                  "triton, onnx, huggingface, pmml, lightgbm, paddle) or containers"
                          : c.role == "explainer" ? "art or containers"
                                                  : "containers";
    sink.report(m, "kserve.one-implementation", c.pointer,
                "exactly one of " + allowed + " must be specified in " + c.role +
                    (found.empty() ? " (found none)" : " (found " + join(found) + ")"),
                found.empty() ? "add model: {modelFormat: {name: sklearn}, storageUri: ...} or containers"
                              : "keep one of " + join(found, " or ") + "; prefer model: (the webhook rewrites the rest)");
}

std::string major_of(std::string_view version) { return std::string(version.substr(0, version.find('.'))); }

// One predictor (stable or canary): does a runtime serve its format over its protocol?
void check_runtime(const Manifest& m, const std::string& pointer, const Json* predictor,
                   const Index& index, Sink& sink) {
    std::string key, format;
    const Json* impl = nullptr;
    if ((impl = object_of(predictor, "model"))) {
        key = "model";
        format = string_of(object_of(impl, "modelFormat"), "name");
    } else {
        for (std::string_view f : k_frameworks)
            if ((impl = object_of(predictor, f))) {
                key = format = std::string(f);
                break;
            }
    }
    if (!impl || format.empty()) return;
    std::string at = ptr(pointer, key);
    std::string runtime = string_of(impl, "runtime"), protocol = string_of(impl, "protocolVersion");
    std::string version = major_of(string_of(object_of(impl, "modelFormat"), "version"));
    bool v2_default = key == "model" ? (format == "triton" || format == "vLLM")
                                     : (format == "triton" || format == "onnx" || format == "huggingface");
    if (protocol.empty()) protocol = v2_default ? "v2" : "v1";
    if (index.runtime_serves(format) || (!runtime.empty() && !index.find("ServingRuntime", runtime, m.namespace_name()).empty()) ||
        (!runtime.empty() && !index.find("ClusterServingRuntime", runtime, "").empty()))
        return; // a runtime of the set's own
    if (!runtime.empty()) {
        const spec::KserveRuntime* r = spec::find_kserve_runtime(runtime);
        if (!r) return; // a ServingRuntime of the cluster's own
        if (!spec::runtime_serves(*r, format, version)) {
            sink.report(m, "kserve.runtime", ptr(at, "runtime"),
                        "runtime " + shown(runtime) + " does not support model format " + shown(format) +
                            (version.empty() ? "" : " version " + version),
                        "pick a runtime that serves it, or leave runtime out and let KServe choose");
            return;
        }
        if (!spec::runtime_speaks(*r, protocol)) {
            std::vector<std::string> speaks(r->protocols.begin(), r->protocols.end());
            sink.report(m, "kserve.runtime", member(impl, "protocolVersion") ? ptr(at, "protocolVersion") : ptr(at, "runtime"),
                        "runtime " + shown(runtime) + " does not support protocol " + protocol,
                        "it speaks " + join(speaks, " or ") + "; change protocolVersion or the runtime");
        }
        return;
    }
    bool known = false;
    std::vector<std::string> offers;
    for (const spec::KserveRuntime& r : spec::kserve_runtimes())
        if (spec::runtime_serves(r, format, {}) && r.installed_by_default && !r.multinode) {
            known = true;
            for (auto p : r.protocols) offers.push_back(std::string(r.name) + " (" + std::string(p) + ")");
        }
    if (!known || spec::select_kserve_runtime(format, protocol, version)) return; // unknown format: a custom runtime
    sink.report(m, "kserve.runtime", member(impl, "protocolVersion") ? ptr(at, "protocolVersion") : at,
                "no built-in serving runtime supports model format " + shown(format) +
                    (version.empty() ? "" : " version " + version) + " with protocol " + protocol +
                    "; KServe would report NoSupportingRuntime",
                "built-in runtimes for " + format + ": " + join(offers, ", "));
}

void check_canary(const Manifest& m, const std::string& mode, Sink& sink) {
    const Json* spec = object_of(&m.doc.value, "spec");
    for (const Component& c : components(spec))
        if (member(c.value, "canaryTrafficPercent") && (mode == "Standard" || mode == "ModelMesh"))
            sink.report(m, "kserve.canary-mode", ptr(c.pointer, "canaryTrafficPercent"),
                        "canaryTrafficPercent has no effect in " + mode +
                            " mode: KServe before v0.20 ignores it silently and rolls the new model out to 100% at once",
                        mode == "Standard" ? "use spec.canary[] (KServe >= 0.20), or deploymentMode Knative"
                                           : "remove canaryTrafficPercent");
    const Json* canaries = array_of(spec, "canary");
    if (!canaries || canaries->empty()) return;
    if (!mode.empty() && mode != "Standard") {
        sink.report(m, "kserve.canary-mode", "/spec/canary", "canary is only supported in Standard deployment mode",
                    "set serving.kserve.io/deploymentMode: Standard, or use canaryTrafficPercent in Knative mode");
        return;
    }
    const Json* stable = object_of(spec, "predictor");
    bool stable_model = member(stable, "model");
    for (std::string_view f : k_frameworks) stable_model |= member(stable, f) != nullptr;
    if (stable && !stable_model)
        sink.report(m, "kserve.canary-entries", "/spec/predictor",
                    "canary requires a stable predictor with a model (multi-model serving is not supported with canary)",
                    "give spec.predictor a model:");
    std::set<std::string> names = {string_of(stable, "name")};
    long long sum = 0;
    long long stable_min = int_of(stable, "minReplicas").value_or(1);
    for (size_t i = 0; i < canaries->size(); ++i) {
        std::string at = ptr("/spec/canary", i), label = "canary[" + std::to_string(i) + "]";
        const Json* entry = &(*canaries)[i];
        sum += int_of(entry, "trafficPercent").value_or(0);
        const Json* predictor = object_of(entry, "predictor");
        std::string name = string_of(predictor, "name");
        if (name.empty()) {
            sink.report(m, "kserve.canary-entries", predictor ? ptr(at, "predictor") : at,
                        label + " predictor.name is required", "name each canary, e.g. predictor: {name: v2, ...}");
        } else if (!names.insert(name).second) {
            sink.report(m, "kserve.canary-entries", ptr(ptr(at, "predictor"), "name"),
                        label + " predictor.name " + shown(name) + " is used twice (canary names must be unique and "
                                "differ from the stable predictor's)",
                        "give each canary its own name");
        }
        for (const char* field : {"workerSpec", "maxReplicas", "scaleTarget", "scaleMetric", "autoScaling"})
            if (member(predictor, field))
                sink.report(m, "kserve.canary-entries", ptr(ptr(at, "predictor"), field),
                            label + " must not set " + field + ": canaries run a fixed number of replicas",
                            std::string("remove ") + field + " (set minReplicas to size the canary)", true);
        if (auto min = int_of(predictor, "minReplicas"); min && *min > stable_min)
            sink.report(m, "kserve.canary-entries", ptr(ptr(at, "predictor"), "minReplicas"),
                        label + " minReplicas (" + std::to_string(*min) + ") is more than the stable predictor's (" +
                            std::to_string(stable_min) + ")",
                        "lower the canary's minReplicas");
    }
    if (sum > 100)
        sink.report(m, "kserve.canary-entries", "/spec/canary",
                    "the canaries' trafficPercent sums to " + std::to_string(sum) + ", over 100",
                    "the stable predictor gets 100 minus the sum; keep it at most 100");
}

void check_storage(const Manifest& m, const std::vector<PodRef>& pods, Sink& sink) {
    spec::detail::Reporter reporter(m.doc);
    auto check = [&](const std::string& pointer, const Json* uri) {
        if (!uri || !uri->is_string()) return;
        auto result = spec::detail::check_storage_uri(uri->get<std::string>(), pointer, reporter);
        if (!result.ok()) sink.report(m, "kserve.storage-uri", pointer, result.error().message, result.error().hint);
    };
    for (const PodRef& pod : pods) {
        for (const ContainerRef& c : pod.containers) {
            check(ptr(c.pointer, "storageUri"), member(c.value, "storageUri"));
            if (const Json* env = array_of(c.value, "env"))
                for (size_t i = 0; i < env->size(); ++i)
                    if (string_of(&(*env)[i], "name") == "STORAGE_URI")
                        check(ptr(ptr(ptr(c.pointer, "env"), i), "value"), member(&(*env)[i], "value"));
        }
        if (pod.role.ends_with("workers")) continue;
        const Json* uris = array_of(pod.spec, "storageUris");
        for (size_t i = 0; uris && i < uris->size(); ++i)
            check(ptr(ptr(ptr(pod.spec_pointer, "storageUris"), i), "uri"), member(&(*uris)[i], "uri"));
        if (!uris) continue;
        for (const ContainerRef& c : pod.containers)
            if (c.image_from_elsewhere && member(c.value, "storageUri"))
                sink.report(m, "kserve.storage-uri", ptr(c.pointer, "storageUri"),
                            "Setting both StorageURI and StorageURIs is not supported",
                            "list every model location under storageUris, or use storageUri alone", true);
    }
}

void check_env(const Manifest& m, const std::vector<PodRef>& pods, Sink& sink) {
    for (const PodRef& pod : pods)
        for (const ContainerRef& c : pod.containers) {
            const Json* env = array_of(c.value, "env");
            for (size_t i = 0; env && i < env->size(); ++i)
                if (string_of(&(*env)[i], "name") == "PYTHONPATH") {
                    std::string name = string_of(c.value, "name");
                    sink.report(m, "kserve.blocked-env", ptr(ptr(c.pointer, "env"), i),
                                "the InferenceService " + shown(m.name()) + " is invalid: setting PYTHONPATH in container " +
                                    shown(name.empty() ? "kserve-container" : name) +
                                    " is not allowed for security reasons",
                                "bake the path into the image instead");
                }
        }
}

} // namespace

void check_kserve(const Manifest& m, const std::vector<PodRef>& pods, const Index& index, Sink& sink) {
    if (!is_inference_service(m)) return;
    std::string mode = kserve_mode(m);
    check_name_and_host(m, sink);
    check_mode(m, sink);
    const Json* spec = object_of(&m.doc.value, "spec");
    for (const Component& c : components(spec)) check_one_implementation(m, c, sink);
    if (mode != "ModelMesh") {
        check_runtime(m, "/spec/predictor", object_of(spec, "predictor"), index, sink);
        if (const Json* canaries = array_of(spec, "canary"))
            for (size_t i = 0; i < canaries->size(); ++i)
                check_runtime(m, ptr(ptr("/spec/canary", i), "predictor"), object_of(&(*canaries)[i], "predictor"),
                              index, sink);
    }
    check_canary(m, mode, sink);
    check_kserve_scaling(m, mode, sink);
    check_storage(m, pods, sink);
    check_env(m, pods, sink);
}

} // namespace mlserve::validate::detail
