// Cross-object rules inside one file set: references by name (HPA and Rollout targets, a Rollout's Services
// and AnalysisTemplates) and selectors (Service, NetworkPolicy, ServiceMonitor) that must find something.
//
// A file set is rarely everything in a namespace, so a reference is only checked when the set holds objects of
// the kind it names (a Rollout file alone may rely on AnalysisTemplates applied elsewhere), and a selector only
// when the set holds the workloads it could select, all with known labels.

#include "core/text.hpp"
#include "validate/rules_detail.hpp"

namespace mlserve::validate::detail {
namespace {

struct Named {
    std::string kind, name, ns;
};

// Everything that can be referred to by kind and name: the manifests and what operators create from them.
std::vector<Named> names_in(const std::vector<Manifest>& all) {
    std::vector<Named> out;
    for (const Manifest& m : all) {
        out.push_back({m.kind(), m.name(), m.namespace_name()});
        for (const Implied& implied : implied_objects(m)) out.push_back({implied.kind, implied.name, m.namespace_name()});
    }
    return out;
}

bool exists(const std::vector<Named>& names, const std::string& kind, const std::string& name, const std::string& ns) {
    for (const Named& n : names)
        if (n.kind == kind && n.name == name && same_namespace(n.ns, ns)) return true;
    return false;
}

std::string suggestion(const std::vector<Named>& names, const std::string& kind, const std::string& name) {
    std::vector<std::string> candidates;
    for (const Named& n : names)
        if (n.kind == kind) candidates.push_back(n.name);
    return core::suggestion_hint(name, candidates);
}

void check_reference(const Manifest& m, const std::vector<Named>& names, std::string_view rule,
                     const std::string& pointer, const std::string& kind, const std::string& name,
                     const std::string& what, Sink& sink) {
    if (name.empty() || exists(names, kind, name, m.namespace_name())) return;
    bool kind_in_set = false; // else the object was likely applied on its own: nothing to check against
    for (const Named& n : names) kind_in_set |= n.kind == kind;
    if (!kind_in_set) return;
    std::string hint = suggestion(names, kind, name);
    sink.report(m, rule, pointer, what + " names " + kind + " " + shown(name) + ", which is not in this file set",
                hint.empty() ? "add the " + kind + " to the files validated together, or fix the name" : hint);
}

void check_target_refs(const Manifest& m, const std::vector<Named>& names, Sink& sink) {
    const Json* spec = object_of(&m.doc.value, "spec");
    if (m.kind() == "HorizontalPodAutoscaler" && api_group(m.api_version()) == "autoscaling") {
        const Json* ref = object_of(spec, "scaleTargetRef");
        check_reference(m, names, "cross.hpa-target", "/spec/scaleTargetRef/name", string_of(ref, "kind"),
                        string_of(ref, "name"), "scaleTargetRef", sink);
    }
    if (!is_rollout(m)) return;
    if (const Json* ref = object_of(spec, "workloadRef"))
        check_reference(m, names, "cross.rollout-workload", "/spec/workloadRef/name", string_of(ref, "kind"),
                        string_of(ref, "name"), "workloadRef", sink);
    const Json* strategy = object_of(spec, "strategy");
    for (const char* strategy_name : {"canary", "blueGreen"})
            for (const char* field : {"canaryService", "stableService", "activeService", "previewService"})
                if (const Json* s = object_of(strategy, strategy_name); member(s, field))
                    check_reference(m, names, "cross.rollout-services",
                                    ptr(ptr("/spec/strategy", strategy_name), field), "Service", string_of(s, field),
                                    field, sink);
    auto templates = [&](const Json* holder, const std::string& at) {
        const Json* list = array_of(holder, "templates");
        for (size_t i = 0; list && i < list->size(); ++i) {
            const Json* t = &(*list)[i];
            check_reference(m, names, "cross.analysis-template", ptr(ptr(ptr(at, "templates"), i), "templateName"),
                            true_at(t, "clusterScope") ? "ClusterAnalysisTemplate" : "AnalysisTemplate",
                            string_of(t, "templateName"), "the analysis", sink);
        }
    };
    const Json* canary = object_of(strategy, "canary");
    templates(object_of(canary, "analysis"), "/spec/strategy/canary/analysis");
    const Json* steps = array_of(canary, "steps");
    for (size_t i = 0; steps && i < steps->size(); ++i) {
        std::string at = ptr("/spec/strategy/canary/steps", i);
        templates(object_of(&(*steps)[i], "analysis"), ptr(at, "analysis"));
        const Json* analyses = array_of(object_of(&(*steps)[i], "experiment"), "analyses");
        for (size_t j = 0; analyses && j < analyses->size(); ++j) {
            const Json* a = &(*analyses)[j];
            check_reference(m, names, "cross.analysis-template",
                            ptr(ptr(ptr(ptr(at, "experiment"), "analyses"), j), "templateName"),
                            true_at(a, "clusterScope") ? "ClusterAnalysisTemplate" : "AnalysisTemplate",
                            string_of(a, "templateName"), "the experiment's analysis", sink);
        }
    }
    const Json* blue_green = object_of(strategy, "blueGreen");
    for (const char* phase : {"prePromotionAnalysis", "postPromotionAnalysis"})
        templates(object_of(blue_green, phase), ptr("/spec/strategy/blueGreen", phase));
}

struct Pods {
    std::string ns;
    WorkloadPods pods;
};

// Whether some workload of `ns` runs pods that `matches` selects; nothing when it cannot be told (no workload
// there, or one whose labels are unknown).
template <class Match>
std::optional<bool> any_pods(const std::vector<Pods>& all, const std::string& ns, Match matches) {
    bool seen = false;
    for (const Pods& p : all) {
        if (!same_namespace(p.ns, ns)) continue;
        if (!p.pods.known) return std::nullopt;
        for (const LabelSet& set : p.pods.sets) {
            seen = true;
            if (matches(set)) return true;
        }
    }
    return seen ? std::optional<bool>(false) : std::nullopt;
}

void check_selectors(const std::vector<Manifest>& all, Sink& sink) {
    std::vector<Pods> pods;
    for (const Manifest& m : all)
        if (!is_rollout(m) || !member(object_of(&m.doc.value, "spec"), "workloadRef")) // its target has them
            pods.push_back({m.namespace_name(), pod_labels(m, all)});
    for (const Manifest& m : all) {
        const Json* spec = object_of(&m.doc.value, "spec");
        std::string kind = m.kind(), group = api_group(m.api_version());
        if (kind == "Service" && group.empty() && !string_map(spec, "selector").empty()) {
            auto selector = string_map(spec, "selector");
            auto found = any_pods(pods, m.namespace_name(), [&](const LabelSet& s) { return map_selector_matches(selector, s); });
            if (found == false)
                sink.report(m, "cross.service-selector", "/spec/selector",
                            "the Service's selector matches none of the pods of the workloads in this file set",
                            "make spec.selector a subset of the pod labels of the workload it fronts");
        }
        if (kind == "NetworkPolicy" && group == "networking.k8s.io") {
            const Json* selector = object_of(spec, "podSelector");
            auto found = any_pods(pods, m.namespace_name(), [&](const LabelSet& s) { return selector_matches(selector, s); });
            if (found == false)
                sink.report(m, "cross.networkpolicy-selector", "/spec/podSelector",
                            "the NetworkPolicy's podSelector matches none of the pods of the workloads in this file "
                            "set, so it protects nothing",
                            "select the model's pods by labels their workload gives them");
        }
        if (kind == "ServiceMonitor" && group == "monitoring.coreos.com") {
            const Json* selector = object_of(spec, "selector");
            const Json* scope = object_of(spec, "namespaceSelector");
            bool any_ns = true_at(scope, "any");
            std::vector<std::string> names;
            if (const Json* list = array_of(scope, "matchNames"))
                for (const Json& n : *list)
                    if (n.is_string()) names.push_back(n.get<std::string>());
            auto in_scope = [&](const std::string& ns) {
                if (any_ns) return true;
                if (names.empty()) return same_namespace(ns, m.namespace_name());
                for (const auto& n : names)
                    if (same_namespace(ns, n)) return true;
                return false;
            };
            bool services = false, matched = false;
            for (const Manifest& other : all) {
                if (!in_scope(other.namespace_name())) continue;
                // Services an operator creates carry the workload's labels and more (open sets).
                for (const Implied& i : implied_objects(other))
                    if (i.kind == "Service")
                        for (const LabelSet& set : pod_labels(other, all).sets) matched |= selector_matches(selector, set);
                if (other.kind() != "Service" || !api_group(other.api_version()).empty()) continue;
                services = true;
                LabelSet labels{string_map(object_of(&other.doc.value, "metadata"), "labels"), false};
                matched |= selector_matches(selector, labels);
            }
            if (services && !matched)
                sink.report(m, "cross.servicemonitor-selector", "/spec/selector",
                            "the ServiceMonitor's selector matches none of the Services in this file set, so "
                            "Prometheus scrapes nothing",
                            "select the metrics Service by its metadata.labels");
        }
    }
}

} // namespace

void check_cross(const std::vector<Manifest>& all, Sink& sink) {
    std::vector<Named> names = names_in(all);
    for (const Manifest& m : all) check_target_refs(m, names, sink);
    check_selectors(all, sink);
}

} // namespace mlserve::validate::detail
