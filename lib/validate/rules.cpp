// The semantic and policy rule catalogues, check_rules(), and the small readers every rule file shares.

#include <algorithm>
#include <cmath>

#include "validate/rules_detail.hpp"

namespace mlserve::validate {
namespace {

RuleInfo semantic(std::string id, Severity severity, std::string doc) {
    return RuleInfo{std::move(id), "semantic", severity, std::move(doc)};
}

RuleInfo policy(std::string id, Severity severity, std::string doc) {
    return RuleInfo{std::move(id), "policy", severity, std::move(doc)};
}

} // namespace

const std::vector<RuleInfo>& semantic_rules() {
    static const std::vector<RuleInfo> k_rules = {
        semantic("kserve.name", Severity::error,
                 "an InferenceService name matches [a-z]([-a-z0-9]*[a-z0-9])? (KServe's validating webhook)"),
        semantic("kserve.host-length", Severity::error,
                 "{name}-{component}-{namespace} fits one 63-character DNS label (KServe fails at reconcile)"),
        semantic("kserve.one-implementation", Severity::error,
                 "each component sets exactly one of model, a framework field or containers (KServe's webhook)"),
        semantic("kserve.runtime", Severity::error,
                 "a built-in serving runtime serves the model's format over its protocol"),
        semantic("kserve.deployment-mode", Severity::error,
                 "serving.kserve.io/deploymentMode is Knative, Standard, ModelMesh, Serverless or RawDeployment"),
        semantic("kserve.canary-mode", Severity::error,
                 "canaryTrafficPercent only in Knative mode, spec.canary[] only in Standard mode"),
        semantic("kserve.canary-entries", Severity::error,
                 "spec.canary[] entries are named, unique, sum to at most 100% and carry no autoscaling fields"),
        semantic("kserve.autoscaling", Severity::error,
                 "autoscalerClass, scaleMetric, scaleTarget and autoScaling.metrics fit the deployment mode"),
        semantic("kserve.replicas", Severity::error, "minReplicas and maxReplicas are >= 0 and min <= max (max 0 = unset)"),
        semantic("kserve.storage-uri", Severity::error,
                 "storageUri uses a scheme KServe's storage initializer reads; storageUri and storageUris exclusive"),
        semantic("kserve.blocked-env", Severity::error, "no PYTHONPATH in container env (KServe's webhook)"),
        semantic("pod.requests-within-limits", Severity::error,
                 "every container's resource requests are at most its limits (the API server rejects more)"),
        semantic("seldon.predictors", Severity::error, "a SeldonDeployment has predictors with unique names"),
        semantic("seldon.traffic-sum", Severity::error, "non-shadow predictor traffic sums to 100"),
        semantic("seldon.traffic-zero", Severity::warning,
                 "no `traffic: 0` beside other predictors (omitted when serialised, Ambassador splits evenly)"),
        semantic("seldon.shadow", Severity::error, "at most one shadow predictor, never the only one, traffic 0..100"),
        semantic("seldon.graph-names", Severity::error, "graph node names are unique within a predictor"),
        semantic("seldon.graph-containers", Severity::error,
                 "each graph node without an implementation has a componentSpecs container of its name"),
        semantic("seldon.prepackaged-server", Severity::error,
                 "prepackaged servers have a modelUri and speak the deployment's protocol"),
        semantic("argo.strategy", Severity::error, "a Rollout has exactly one of strategy.canary and strategy.blueGreen"),
        semantic("argo.step-kind", Severity::error, "each canary step sets exactly one kind of step"),
        semantic("argo.set-weight", Severity::error, "setWeight is between 0 and the maximum traffic weight"),
        semantic("argo.services", Severity::error,
                 "traffic routing names canary and stable Services, and they (and blue-green's) differ"),
        semantic("argo.traffic-routing", Severity::error,
                 "steps and fields that need traffic routing (setCanaryScale, header/mirror routes) have it"),
        semantic("argo.surge-unavailable", Severity::error, "maxSurge and maxUnavailable are not both zero"),
        semantic("argo.selector", Severity::error,
                 "a Rollout without workloadRef has a selector matching its template's labels"),
        semantic("hpa.replicas", Severity::error, "an HPA's minReplicas >= 1 and maxReplicas >= minReplicas"),
        semantic("hpa.metric-source", Severity::error,
                 "each metric fills in exactly the source its type names, with the target that source needs"),
        semantic("hpa.metric-target", Severity::warning,
                 "a metric target's type matches the field set (Utilization, Value, AverageValue)"),
        semantic("cross.hpa-target", Severity::error, "an HPA's scaleTargetRef names a workload in the file set"),
        semantic("cross.rollout-workload", Severity::error, "a Rollout's workloadRef names a workload in the file set"),
        semantic("cross.rollout-services", Severity::error,
                 "the Services a Rollout names (canary, stable, active, preview) are in the file set"),
        semantic("cross.rollout-virtualservice", Severity::error,
                 "the Istio VirtualService a Rollout routes through, and its named HTTP routes, are in the file set"),
        semantic("cross.analysis-template", Severity::error,
                 "AnalysisTemplates a Rollout references are in the file set"),
        semantic("cross.service-selector", Severity::warning, "a Service's selector matches pods in the file set"),
        semantic("cross.networkpolicy-selector", Severity::warning,
                 "a NetworkPolicy's podSelector matches pods in the file set"),
        semantic("cross.servicemonitor-selector", Severity::warning,
                 "a ServiceMonitor's selector matches a Service in the file set"),
    };
    return k_rules;
}

const std::vector<RuleInfo>& policy_rules() {
    static const std::vector<RuleInfo> k_rules = {
        policy("policy.resources", Severity::error, "every container sets cpu and memory requests and limits"),
        policy("policy.gpu-request-limit", Severity::error,
               "GPU requests equal GPU limits (nvidia.com/gpu, amd.com/gpu and other accelerators)"),
        policy("policy.min-replicas", Severity::warning,
               "serving workloads run at least 2 replicas (in the production namespaces; all when none are named)"),
        policy("policy.image-pinned", Severity::error, "images name a tag other than latest, or a digest"),
        policy("policy.network-policy", Severity::warning,
               "a NetworkPolicy in the file set selects the pods of each serving workload"),
        policy("policy.signed-image", Severity::error,
               "pods carry mlserve.io/require-signed-images: \"true\" (only when signed images are required)"),
        policy("policy.non-root", Severity::warning, "pods set securityContext.runAsNonRoot: true"),
    };
    return k_rules;
}

void check_rules(const std::vector<Manifest>& manifests, const RuleConfig& config, std::vector<Finding>& out) {
    detail::Sink sink(config, out);
    detail::Index index(manifests);
    for (size_t i = 0; i < manifests.size(); ++i) {
        const Manifest& manifest = manifests[i];
        if (!manifest.doc.value.is_object()) continue;
        detail::check_kserve(manifest, index.pod_refs(i), index, sink);
        detail::check_seldon(manifest, sink);
        detail::check_argo(manifest, sink);
        detail::check_hpa(manifest, sink);
        detail::check_pod_semantics(manifest, index.pod_refs(i), sink);
    }
    detail::check_cross(index, sink);
    detail::check_policy(index, sink);
}

namespace detail {

const Json* member(const Json* object, std::string_view key) {
    if (!object || !object->is_object()) return nullptr;
    auto it = object->find(key);
    return it == object->end() ? nullptr : &*it;
}

std::string string_of(const Json* object, std::string_view key) {
    const Json* value = member(object, key);
    return value && value->is_string() ? value->get<std::string>() : std::string();
}

std::optional<long long> int_of(const Json* object, std::string_view key) {
    const Json* value = member(object, key);
    if (!value) return std::nullopt;
    if (value->is_number_integer()) return value->get<long long>();
    if (value->is_number_unsigned()) {
        auto u = value->get<unsigned long long>();
        return u > 9'000'000'000'000'000'000ull ? std::nullopt : std::optional<long long>(static_cast<long long>(u));
    }
    if (value->is_number_float()) {
        double d = value->get<double>();
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9e15) return static_cast<long long>(d);
    }
    return std::nullopt;
}

bool true_at(const Json* object, std::string_view key) {
    const Json* value = member(object, key);
    return value && value->is_boolean() && value->get<bool>();
}

const Json* array_of(const Json* object, std::string_view key) {
    const Json* value = member(object, key);
    return value && value->is_array() ? value : nullptr;
}

const Json* object_of(const Json* object, std::string_view key) {
    const Json* value = member(object, key);
    return value && value->is_object() ? value : nullptr;
}

std::map<std::string, std::string> string_map(const Json* object, std::string_view key) {
    std::map<std::string, std::string> out;
    if (const Json* map = object_of(object, key))
        for (const auto& [k, v] : map->items())
            if (v.is_string()) out.emplace(k, v.get<std::string>());
    return out;
}

std::string ptr(std::string_view parent, std::string_view token) { return core::pointer_append(parent, token); }

std::string ptr(std::string_view parent, size_t index) { return core::pointer_append(parent, std::to_string(index)); }

std::string_view kind_of(const Manifest& manifest) {
    const Json* kind = member(&manifest.doc.value, "kind");
    return kind && kind->is_string() ? std::string_view(kind->get_ref<const std::string&>()) : std::string_view();
}

std::string_view group_of(const Manifest& manifest) {
    const Json* version = member(&manifest.doc.value, "apiVersion");
    if (!version || !version->is_string()) return {};
    std::string_view text = version->get_ref<const std::string&>();
    size_t slash = text.find('/');
    return slash == std::string_view::npos ? std::string_view() : text.substr(0, slash);
}

std::string shown(std::string_view text) {
    std::string out(text.substr(0, 64));
    if (text.size() > 64) out += "...";
    return "\"" + out + "\"";
}

const RuleInfo* find_rule(std::string_view rule) {
    for (const auto* list : {&semantic_rules(), &policy_rules()})
        for (const RuleInfo& info : *list)
            if (info.id == rule) return &info;
    return nullptr;
}

Sink::Sink(const RuleConfig& config, std::vector<Finding>& out) : m_config(config), m_out(out) {}

bool Sink::enabled(std::string_view rule) const {
    if (m_config.disabled.count(std::string(rule))) return false;
    const RuleInfo* info = find_rule(rule);
    return !(info && m_config.disabled.count(info->category));
}

void Sink::report(const Manifest& manifest, std::string_view rule, std::string_view pointer, std::string message,
                  std::string hint, bool at_key) {
    if (!enabled(rule)) return;
    const RuleInfo* info = find_rule(rule);
    Finding finding;
    finding.rule = std::string(rule);
    finding.severity = info ? info->default_severity : Severity::error;
    if (auto it = m_config.severity.find(finding.rule); it != m_config.severity.end()) finding.severity = it->second;
    finding.message = std::move(message);
    finding.hint = std::move(hint);
    // A map or list is located at its key ("predictor:"), where a reader looks for it, not at its first entry.
    if (!at_key) {
        const Json* node = at_pointer(manifest.doc.value, pointer);
        at_key = node && node->is_structured();
    }
    finding.location = at_key ? manifest.doc.key_location(pointer) : manifest.doc.location(pointer);
    finding.path = core::pointer_to_path(pointer);
    finding.object = manifest.display_name();
    m_out.push_back(std::move(finding));
}

const Json* at_pointer(const Json& root, std::string_view pointer) {
    const Json* node = &root;
    while (node && !pointer.empty()) {
        pointer.remove_prefix(1); // the '/'
        size_t end = pointer.find('/');
        std::string token(pointer.substr(0, end));
        pointer = end == std::string_view::npos ? std::string_view() : pointer.substr(end);
        for (size_t at = 0; (at = token.find('~', at)) != std::string::npos; ++at)
            token.replace(at, 2, at + 1 < token.size() && token[at + 1] == '1' ? "/" : "~");
        if (node->is_object()) {
            node = member(node, token);
        } else if (node->is_array() && !token.empty() && token.find_first_not_of("0123456789") == std::string::npos &&
                   token.size() < 10) {
            size_t index = std::stoul(token);
            node = index < node->size() ? &(*node)[index] : nullptr;
        } else {
            node = nullptr;
        }
    }
    return node;
}

bool same_namespace(std::string_view a, std::string_view b) { return a.empty() || b.empty() || a == b; }

} // namespace detail
} // namespace mlserve::validate
