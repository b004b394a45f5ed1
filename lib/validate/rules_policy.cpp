// Policy rules: production practice, not correctness. They walk every pod template through pods_of(), so they
// apply alike to InferenceService components, SeldonDeployment componentSpecs and Deployment/Rollout templates.

#include "core/units.hpp"
#include "core/yaml.hpp"
#include "validate/rules_detail.hpp"

namespace mlserve::validate::detail {
namespace {

constexpr std::string_view k_signed_annotation = "mlserve.io/require-signed-images";

std::string container_label(const ContainerRef& c, const PodRef& pod) {
    std::string name = string_of(c.value, "name");
    return (name.empty() ? std::string(c.image_from_elsewhere ? "the model container" : "the container")
                         : "container " + shown(name)) +
           " of " + pod.role;
}

bool accelerator(std::string_view resource) {
    return resource.find("gpu") != std::string_view::npos || resource.starts_with("habana.ai/") ||
           resource.starts_with("aws.amazon.com/neuron") || resource.starts_with("google.com/tpu") ||
           resource.starts_with("nvidia.com/mig-");
}

std::optional<long double> quantity(const Json* value) {
    if (!value) return std::nullopt;
    std::string text = value->is_string() ? value->get<std::string>() : value->is_number() ? core::format_number(*value) : "";
    auto q = core::parse_quantity(text);
    return q.ok() ? std::optional<long double>(q->value) : std::nullopt;
}

void check_container_resources(const Manifest& m, const PodRef& pod, const ContainerRef& c, Sink& sink) {
    const Json* resources = object_of(c.value, "resources");
    const Json* requests = object_of(resources, "requests");
    const Json* limits = object_of(resources, "limits");
    if (!c.init) {
        std::vector<std::string> missing;
        for (const char* field : {"requests", "limits"})
            for (const char* name : {"cpu", "memory"})
                if (!member(field == std::string("requests") ? requests : limits, name))
                    missing.push_back(std::string(field) + "." + name);
        if (!missing.empty()) {
            std::string list;
            for (size_t i = 0; i < missing.size(); ++i) list += (i ? ", " : "") + missing[i];
            sink.report(m, "policy.resources", resources ? ptr(c.pointer, "resources") : c.pointer,
                        container_label(c, pod) + " does not set " + list,
                        "set cpu and memory requests and limits (limits equal to requests give the Guaranteed QoS "
                        "class)");
        }
    }
    std::map<std::string, std::pair<const Json*, const Json*>> gpus;
    for (const auto* side : {requests, limits})
        if (side)
            for (const auto& [name, value] : side->items())
                if (accelerator(name)) (side == requests ? gpus[name].first : gpus[name].second) = &value;
    for (const auto& [name, pair] : gpus) {
        auto request = quantity(pair.first), limit = quantity(pair.second);
        if (!pair.first) continue; // a limit alone: Kubernetes sets the request to it
        auto text = [](const Json* v) { return v->is_string() ? v->get<std::string>() : v->dump(); };
        if (!pair.second || (request && limit && *request != *limit))
            sink.report(m, "policy.gpu-request-limit", ptr(ptr(ptr(c.pointer, "resources"), "requests"), name),
                        container_label(c, pod) + " requests " + text(pair.first) + " " + name +
                            (pair.second ? " but limits " + text(pair.second) : " with no limit") +
                            ": accelerators cannot be overcommitted, so the request must equal the limit",
                        "set requests and limits of " + name + " to the same whole number");
    }
}

void check_image(const Manifest& m, const PodRef& pod, const ContainerRef& c, Sink& sink) {
    const Json* image = member(c.value, "image");
    if (!image || !image->is_string()) return;
    std::string text = image->get<std::string>();
    if (text.find('@') != std::string::npos || text.empty()) return;
    size_t slash = text.rfind('/');
    size_t colon = text.find(':', slash == std::string::npos ? 0 : slash);
    std::string tag = colon == std::string::npos ? "" : text.substr(colon + 1);
    if (!tag.empty() && tag != "latest") return;
    sink.report(m, "policy.image-pinned", ptr(c.pointer, "image"),
                container_label(c, pod) + " uses image " + shown(text) +
                    (tag.empty() ? " with no tag, which means latest" : ", whose latest tag moves") +
                    ": every restart may run different code",
                "pin a version tag (image:1.4.2) or a digest (image@sha256:...)");
}

bool non_root(const Json* security_context) {
    return true_at(security_context, "runAsNonRoot");
}

void check_non_root(const Manifest& m, const PodRef& pod, Sink& sink) {
    if (pod.containers.empty()) return;
    bool pod_level = non_root(object_of(pod.spec, "securityContext"));
    bool all = true;
    for (const ContainerRef& c : pod.containers) {
        const Json* sc = object_of(c.value, "securityContext");
        const Json* flag = member(sc, "runAsNonRoot");
        if (flag && flag->is_boolean() && !flag->get<bool>()) {
            all = false;
            pod_level = false;
            break;
        }
        all &= non_root(sc);
    }
    if (pod_level || all) return;
    std::string at = pod.spec_pointer.empty() ? pod.containers.front().pointer : pod.spec_pointer;
    sink.report(m, "policy.non-root", at,
                "the pods of " + pod.role + " may run as root: securityContext.runAsNonRoot is not true",
                "set securityContext: {runAsNonRoot: true} on the pod" +
                    std::string(is_inference_service(m) ? " (spec." + pod.role + ".securityContext for KServe)" : ""));
}

// What the replica and network policies look up: HPAs by target, Rollouts' workloadRef targets, and which
// pod sets some NetworkPolicy selects.
struct Lookups {
    std::unordered_map<std::string, std::vector<std::pair<std::string, long long>>> hpa_min; ///< kind/name -> (ns, min)
    std::unordered_map<std::string, std::vector<std::string>> replaced;                       ///< kind/name -> ns
    std::vector<bool> covered;                                                                ///< by pod set id

    explicit Lookups(const Index& index) : covered(index.pod_set_count(), false) {
        for (const Manifest& m : index.manifests()) {
            const Json* spec = object_of(&m.doc.value, "spec");
            if (kind_of(m) == "HorizontalPodAutoscaler" && group_of(m) == "autoscaling") {
                const Json* ref = object_of(spec, "scaleTargetRef");
                hpa_min[string_of(ref, "kind") + "/" + string_of(ref, "name")].emplace_back(
                    m.namespace_name(), int_of(spec, "minReplicas").value_or(1));
            }
            if (const Json* ref = object_of(spec, "workloadRef"); ref && is_rollout(m))
                replaced[string_of(ref, "kind") + "/" + string_of(ref, "name")].push_back(m.namespace_name());
            if (kind_of(m) == "NetworkPolicy" && group_of(m) == "networking.k8s.io") {
                const Json* selector = object_of(spec, "podSelector");
                index.candidate_pods(m.namespace_name(), first_label(selector), [&](size_t id, const LabelSet& set) {
                    if (selector_matches(selector, set)) covered[id] = true;
                    return false;
                });
            }
        }
    }

    std::optional<long long> hpa_floor(const std::string& kind, const std::string& name, const std::string& ns) const {
        if (auto it = hpa_min.find(kind + "/" + name); it != hpa_min.end())
            for (const auto& [hpa_ns, min] : it->second)
                if (same_namespace(hpa_ns, ns)) return min;
        return std::nullopt;
    }

    // A Deployment that a Rollout in the set replaces (workloadRef): the Rollout's replicas and pods count.
    bool replaced_by_rollout(const Manifest& m) const {
        if (auto it = replaced.find(m.kind() + "/" + m.name()); it != replaced.end())
            for (const auto& ns : it->second)
                if (same_namespace(ns, m.namespace_name())) return true;
        return false;
    }
};

void check_replicas(const Manifest& m, const Index& index, size_t i, const Lookups& lookups, Sink& sink) {
    const auto& production = sink.config().production_namespaces;
    std::string ns = m.namespace_name().empty() ? "default" : m.namespace_name();
    if (!production.empty() && !production.count(ns)) return;
    auto report = [&](const std::string& pointer, long long replicas, const std::string& what, const std::string& field) {
        if (replicas >= 2) return;
        sink.report(m, "policy.min-replicas", pointer,
                    what + " runs " + std::to_string(replicas) + (replicas == 1 ? " replica" : " replicas") +
                        " in namespace " + ns + "; one node drain or crash takes it down",
                    "set " + field + " to 2 or more");
    };
    const Json* spec = object_of(&m.doc.value, "spec");
    if (is_inference_service(m)) {
        const Json* predictor = object_of(spec, "predictor");
        if (!predictor) return;
        // An HPA targeting what KServe creates from it sets the floor.
        std::optional<long long> min;
        for (const Implied& implied : index.implied(i))
            if (!min) min = lookups.hpa_floor(implied.kind, implied.name, m.namespace_name());
        if (!min) min = int_of(predictor, "minReplicas").value_or(1);
        report(member(predictor, "minReplicas") ? "/spec/predictor/minReplicas" : "/spec/predictor", *min,
               "the predictor of " + m.display_name(), "spec.predictor.minReplicas");
        return;
    }
    if (is_seldon_deployment(m)) {
        const Json* predictors = array_of(spec, "predictors");
        for (size_t p_i = 0; predictors && p_i < predictors->size(); ++p_i) {
            const Json* p = &(*predictors)[p_i];
            if (true_at(p, "shadow")) continue;
            std::string at = ptr("/spec/predictors", p_i);
            const Json* cs = nullptr;
            if (const Json* specs = array_of(p, "componentSpecs"); specs && !specs->empty()) cs = &(*specs)[0];
            std::string pointer = at;
            long long replicas = int_of(spec, "replicas").value_or(1);
            std::string cs_at = ptr(ptr(at, "componentSpecs"), size_t{0});
            if (auto r = int_of(p, "replicas")) replicas = *r, pointer = ptr(at, "replicas");
            if (auto r = int_of(cs, "replicas")) replicas = *r, pointer = ptr(cs_at, "replicas");
            if (auto r = int_of(object_of(cs, "hpaSpec"), "minReplicas"))
                replicas = *r, pointer = ptr(ptr(cs_at, "hpaSpec"), "minReplicas");
            report(pointer, replicas, "predictor " + shown(string_of(p, "name")) + " of " + m.display_name(),
                   "its replicas (or hpaSpec.minReplicas)");
        }
        return;
    }
    if (lookups.replaced_by_rollout(m)) return;
    auto min = lookups.hpa_floor(m.kind(), m.name(), m.namespace_name());
    if (!min) min = int_of(spec, "replicas").value_or(1);
    report(member(spec, "replicas") ? "/spec/replicas" : "/spec", *min, m.display_name(), "spec.replicas");
}

void check_network(const Manifest& m, const Index& index, size_t i, const Lookups& lookups,
                   const std::vector<std::vector<size_t>>& sets_of, Sink& sink) {
    if (is_rollout(m) && member(object_of(&m.doc.value, "spec"), "workloadRef")) return; // checked at its target
    if (!index.pods(i).known || sets_of[i].empty()) return;
    for (size_t id : sets_of[i]) {
        if (lookups.covered[id]) continue;
        sink.report(m, "policy.network-policy", "/metadata/name",
                    "no NetworkPolicy in this file set selects the pods of " + m.display_name() +
                        ", so any pod in the cluster can reach them",
                    "add a NetworkPolicy whose podSelector matches them and allows only the callers "
                    "(kubectl mlserve render does with spec.network)");
        return;
    }
}

void check_signed(const Manifest& m, const std::vector<PodRef>& pods, Sink& sink) {
    for (const PodRef& pod : pods) {
        auto it = pod.annotations.find(std::string(k_signed_annotation));
        if (it != pod.annotations.end() && it->second == "true") continue;
        std::string at = pod.role == "template" ? pod.spec_pointer.substr(0, pod.spec_pointer.rfind('/')) + "/metadata"
                                                : "/metadata";
        sink.report(m, "policy.signed-image", at,
                    "the pods of " + pod.role + " do not carry the annotation " + std::string(k_signed_annotation) +
                        ": \"true\", so the cluster's image-signature policy does not check their images",
                    "add the annotation " + std::string(k_signed_annotation) + ": \"true\" (spec.security."
                    "requireSignedImages: true in the model spec)");
        return;
    }
}

} // namespace

void check_policy(const Index& index, Sink& sink) {
    Lookups lookups(index);
    const auto& all = index.manifests();
    std::vector<std::vector<size_t>> sets_of(all.size());
    for (size_t id = 0; id < index.pod_set_count(); ++id) sets_of[index.pod_set(id).manifest].push_back(id);
    for (size_t i = 0; i < all.size(); ++i) {
        const Manifest& m = all[i];
        if (!m.doc.value.is_object()) continue;
        const std::vector<PodRef>& pods = index.pod_refs(i);
        for (const PodRef& pod : pods) {
            for (const ContainerRef& c : pod.containers) {
                check_container_resources(m, pod, c, sink);
                check_image(m, pod, c, sink);
            }
            check_non_root(m, pod, sink);
        }
        if (!is_serving_workload(m)) continue;
        check_replicas(m, index, i, lookups, sink);
        check_network(m, index, i, lookups, sets_of, sink);
        if (sink.config().require_signed_images && !lookups.replaced_by_rollout(m)) check_signed(m, pods, sink);
    }
}

} // namespace mlserve::validate::detail
