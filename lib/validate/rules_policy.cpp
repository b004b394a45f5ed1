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

struct Hpa {
    std::string kind, name, ns;
    long long min;
};

std::vector<Hpa> hpas(const std::vector<Manifest>& all) {
    std::vector<Hpa> out;
    for (const Manifest& m : all)
        if (m.kind() == "HorizontalPodAutoscaler" && api_group(m.api_version()) == "autoscaling") {
            const Json* spec = object_of(&m.doc.value, "spec");
            const Json* ref = object_of(spec, "scaleTargetRef");
            out.push_back({string_of(ref, "kind"), string_of(ref, "name"), m.namespace_name(),
                           int_of(spec, "minReplicas").value_or(1)});
        }
    return out;
}

// Deployments that a Rollout in the set replaces (workloadRef): the Rollout's replicas and pods count.
bool replaced_by_rollout(const Manifest& m, const std::vector<Manifest>& all) {
    for (const Manifest& other : all)
        if (is_rollout(other)) {
            const Json* ref = object_of(object_of(&other.doc.value, "spec"), "workloadRef");
            if (ref && string_of(ref, "kind") == m.kind() && string_of(ref, "name") == m.name() &&
                same_namespace(other.namespace_name(), m.namespace_name()))
                return true;
        }
    return false;
}

void check_replicas(const Manifest& m, const std::vector<Manifest>& all, const std::vector<Hpa>& scalers,
                    Sink& sink) {
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
    // An HPA targeting the workload (or what an operator creates from it) sets the floor.
    auto hpa_min = [&](const std::vector<std::pair<std::string, std::string>>& targets) -> std::optional<long long> {
        for (const Hpa& h : scalers)
            for (const auto& [kind, name] : targets)
                if (h.kind == kind && h.name == name && same_namespace(h.ns, m.namespace_name())) return h.min;
        return std::nullopt;
    };
    const Json* spec = object_of(&m.doc.value, "spec");
    if (is_inference_service(m)) {
        std::vector<std::pair<std::string, std::string>> targets;
        for (const Implied& i : implied_objects(m)) targets.emplace_back(i.kind, i.name);
        const Json* predictor = object_of(spec, "predictor");
        if (!predictor) return;
        auto min = hpa_min(targets);
        if (!min) min = int_of(predictor, "minReplicas").value_or(1);
        report(member(predictor, "minReplicas") ? "/spec/predictor/minReplicas" : "/spec/predictor", *min,
               "the predictor of " + m.display_name(), "spec.predictor.minReplicas");
        return;
    }
    if (is_seldon_deployment(m)) {
        const Json* predictors = array_of(spec, "predictors");
        for (size_t i = 0; predictors && i < predictors->size(); ++i) {
            const Json* p = &(*predictors)[i];
            if (true_at(p, "shadow")) continue;
            std::string at = ptr("/spec/predictors", i);
            const Json* cs = nullptr;
            if (const Json* specs = array_of(p, "componentSpecs"); specs && !specs->empty()) cs = &(*specs)[0];
            std::string pointer = at;
            long long replicas = int_of(spec, "replicas").value_or(1);
            if (auto r = int_of(p, "replicas")) replicas = *r, pointer = ptr(at, "replicas");
            std::string cs_at = ptr(ptr(at, "componentSpecs"), size_t{0});
            if (auto r = int_of(cs, "replicas")) replicas = *r, pointer = ptr(cs_at, "replicas");
            if (auto r = int_of(object_of(cs, "hpaSpec"), "minReplicas"))
                replicas = *r, pointer = ptr(ptr(cs_at, "hpaSpec"), "minReplicas");
            report(pointer, replicas, "predictor " + shown(string_of(p, "name")) + " of " + m.display_name(),
                   "its replicas (or hpaSpec.minReplicas)");
        }
        return;
    }
    if (replaced_by_rollout(m, all)) return;
    auto min = hpa_min({{m.kind(), m.name()}});
    if (!min) min = int_of(spec, "replicas").value_or(1);
    report(member(spec, "replicas") ? "/spec/replicas" : "/spec", *min, m.display_name(), "spec.replicas");
}

void check_network(const Manifest& m, const std::vector<Manifest>& all, Sink& sink) {
    if (is_rollout(m) && member(object_of(&m.doc.value, "spec"), "workloadRef")) return; // checked at its target
    WorkloadPods pods = pod_labels(m, all);
    if (!pods.known || pods.sets.empty()) return;
    for (const LabelSet& set : pods.sets) {
        bool covered = false;
        for (const Manifest& other : all)
            if (other.kind() == "NetworkPolicy" && api_group(other.api_version()) == "networking.k8s.io" &&
                same_namespace(other.namespace_name(), m.namespace_name()))
                covered |= selector_matches(object_of(object_of(&other.doc.value, "spec"), "podSelector"), set);
        if (covered) continue;
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

void check_policy(const std::vector<Manifest>& all, Sink& sink) {
    std::vector<Hpa> scalers = hpas(all);
    for (const Manifest& m : all) {
        if (!m.doc.value.is_object()) continue;
        std::vector<PodRef> pods = pods_of(m);
        for (const PodRef& pod : pods) {
            for (const ContainerRef& c : pod.containers) {
                check_container_resources(m, pod, c, sink);
                check_image(m, pod, c, sink);
            }
            check_non_root(m, pod, sink);
        }
        if (!is_serving_workload(m)) continue;
        check_replicas(m, all, scalers, sink);
        check_network(m, all, sink);
        if (sink.config().require_signed_images && !replaced_by_rollout(m, all)) check_signed(m, pods, sink);
    }
}

} // namespace mlserve::validate::detail
