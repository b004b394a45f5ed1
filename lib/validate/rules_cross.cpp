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

void check_reference(const Manifest& m, const Index& index, std::string_view rule, const std::string& pointer,
                     const std::string& kind, const std::string& name, const std::string& what, Sink& sink) {
    // Without any object of the kind, the target was likely applied on its own: nothing to check against.
    if (name.empty() || !index.has_kind(kind) || !index.find(kind, name, m.namespace_name()).empty()) return;
    // A "did you mean" among a few hundred names; past that the search would cost more than it helps.
    const auto& names = index.names_of(kind);
    std::string hint = names.size() <= 256 ? core::suggestion_hint(name, names) : std::string();
    sink.report(m, rule, pointer, what + " names " + kind + " " + shown(name) + ", which is not in this file set",
                hint.empty() ? "add the " + kind + " to the files validated together, or fix the name" : hint);
}

void check_analysis(const Manifest& m, const Index& index, const Json* holder, const std::string& at, Sink& sink) {
    const Json* list = array_of(holder, "templates");
    for (size_t i = 0; list && i < list->size(); ++i) {
        const Json* t = &(*list)[i];
        check_reference(m, index, "cross.analysis-template", ptr(ptr(ptr(at, "templates"), i), "templateName"),
                        true_at(t, "clusterScope") ? "ClusterAnalysisTemplate" : "AnalysisTemplate",
                        string_of(t, "templateName"), "the analysis", sink);
    }
}

// trafficRouting.istio.virtualService(s): the VirtualService and the HTTP routes the Rollout rewrites.
void check_virtual_services(const Manifest& m, const Index& index, const Json* canary, Sink& sink) {
    const Json* istio = object_of(object_of(canary, "trafficRouting"), "istio");
    if (!istio || !index.has_kind("VirtualService")) return;
    std::vector<std::pair<std::string, const Json*>> refs;
    if (const Json* one = object_of(istio, "virtualService"))
        refs.emplace_back("/spec/strategy/canary/trafficRouting/istio/virtualService", one);
    if (const Json* many = array_of(istio, "virtualServices"))
        for (size_t i = 0; i < many->size(); ++i)
            refs.emplace_back(ptr("/spec/strategy/canary/trafficRouting/istio/virtualServices", i), &(*many)[i]);
    for (const auto& [at, ref] : refs) {
        // "name" or "name.namespace"
        std::string name = string_of(ref, "name"), ns = m.namespace_name();
        if (name.empty()) continue;
        auto found = index.find("VirtualService", name, ns);
        if (size_t dot = name.find('.'); found.empty() && dot != std::string::npos)
            found = index.find("VirtualService", name.substr(0, dot), name.substr(dot + 1));
        if (found.empty()) {
            check_reference(m, index, "cross.rollout-virtualservice", ptr(at, "name"), "VirtualService", name,
                            "trafficRouting.istio", sink);
            continue;
        }
        const Json* http = array_of(object_of(&index.manifests()[found.front()].doc.value, "spec"), "http");
        const Json* routes = array_of(ref, "routes");
        for (size_t r = 0; http && routes && r < routes->size(); ++r) {
            if (!(*routes)[r].is_string()) continue;
            std::string route = (*routes)[r].get<std::string>();
            bool exists = false;
            for (const Json& h : *http) exists |= string_of(&h, "name") == route;
            if (!exists)
                sink.report(m, "cross.rollout-virtualservice", ptr(ptr(at, "routes"), r),
                            "HTTP Route " + shown(route) + " is not found in the defined Virtual Service " + shown(name),
                            "name the route in the VirtualService's spec.http[].name, or list one of its routes");
        }
    }
}

void check_references(const Manifest& m, const Index& index, Sink& sink) {
    const Json* spec = object_of(&m.doc.value, "spec");
    if (kind_of(m) == "HorizontalPodAutoscaler" && group_of(m) == "autoscaling") {
        const Json* ref = object_of(spec, "scaleTargetRef");
        check_reference(m, index, "cross.hpa-target", "/spec/scaleTargetRef/name", string_of(ref, "kind"),
                        string_of(ref, "name"), "scaleTargetRef", sink);
    }
    if (!is_rollout(m)) return;
    if (const Json* ref = object_of(spec, "workloadRef"))
        check_reference(m, index, "cross.rollout-workload", "/spec/workloadRef/name", string_of(ref, "kind"),
                        string_of(ref, "name"), "workloadRef", sink);
    const Json* strategy = object_of(spec, "strategy");
    for (const char* strategy_name : {"canary", "blueGreen"})
        for (const char* field : {"canaryService", "stableService", "activeService", "previewService"})
            if (const Json* s = object_of(strategy, strategy_name); member(s, field))
                check_reference(m, index, "cross.rollout-services", ptr(ptr("/spec/strategy", strategy_name), field),
                                "Service", string_of(s, field), field, sink);
    const Json* canary = object_of(strategy, "canary");
    check_virtual_services(m, index, canary, sink);
    check_analysis(m, index, object_of(canary, "analysis"), "/spec/strategy/canary/analysis", sink);
    const Json* steps = array_of(canary, "steps");
    for (size_t i = 0; steps && i < steps->size(); ++i) {
        std::string at = ptr("/spec/strategy/canary/steps", i);
        check_analysis(m, index, object_of(&(*steps)[i], "analysis"), ptr(at, "analysis"), sink);
        const Json* analyses = array_of(object_of(&(*steps)[i], "experiment"), "analyses");
        for (size_t j = 0; analyses && j < analyses->size(); ++j) {
            const Json* a = &(*analyses)[j];
            check_reference(m, index, "cross.analysis-template",
                            ptr(ptr(ptr(ptr(at, "experiment"), "analyses"), j), "templateName"),
                            true_at(a, "clusterScope") ? "ClusterAnalysisTemplate" : "AnalysisTemplate",
                            string_of(a, "templateName"), "the experiment's analysis", sink);
        }
    }
    const Json* blue_green = object_of(strategy, "blueGreen");
    for (const char* phase : {"prePromotionAnalysis", "postPromotionAnalysis"})
        check_analysis(m, index, object_of(blue_green, phase), ptr("/spec/strategy/blueGreen", phase), sink);
}

// Does the ServiceMonitor's selector match a Service of the set, in the namespaces it watches? Nothing when
// there is no Service there to judge by.
std::optional<bool> monitor_matches(const Manifest& m, const Index& index, const Json* selector) {
    const Json* scope = object_of(object_of(&m.doc.value, "spec"), "namespaceSelector");
    std::vector<std::string> namespaces;
    if (true_at(scope, "any")) namespaces.push_back("");
    else if (const Json* list = array_of(scope, "matchNames"))
        for (const Json& n : *list)
            if (n.is_string()) namespaces.push_back(n.get<std::string>());
    if (namespaces.empty()) namespaces.push_back(m.namespace_name());
    auto first = first_label(selector);
    bool services = false, matched = false;
    for (const std::string& ns : namespaces) {
        services |= index.has_services(ns);
        index.candidate_services(ns, first, [&](size_t, const LabelSet& s) { return matched = selector_matches(selector, s); });
        if (matched) return true;
        // Services an operator creates (KServe, Seldon) carry their workload's labels and more.
        index.candidate_pods(ns, first, [&](size_t id, const LabelSet& s) {
            const auto& implied = index.implied(index.pod_set(id).manifest);
            bool creates_service = false;
            for (const Implied& i : implied) creates_service |= i.kind == "Service";
            return matched = creates_service && selector_matches(selector, s);
        });
        if (matched) return true;
    }
    return services ? std::optional<bool>(false) : std::nullopt;
}

void check_selectors(const Manifest& m, const Index& index, Sink& sink) {
    const Json* spec = object_of(&m.doc.value, "spec");
    std::string_view kind = kind_of(m), group = group_of(m);
    if (kind == "Service" && group.empty()) {
        auto selector = string_map(spec, "selector");
        if (selector.empty()) return;
        auto found = index.any_pods(m.namespace_name(), first_label(object_of(spec, "selector")),
                                    [&](const LabelSet& s) { return map_selector_matches(selector, s); });
        if (found == false)
            sink.report(m, "cross.service-selector", "/spec/selector",
                        "the Service's selector matches none of the pods of the workloads in this file set",
                        "make spec.selector a subset of the pod labels of the workload it fronts");
    }
    if (kind == "NetworkPolicy" && group == "networking.k8s.io") {
        const Json* selector = object_of(spec, "podSelector");
        auto found = index.any_pods(m.namespace_name(), first_label(selector),
                                    [&](const LabelSet& s) { return selector_matches(selector, s); });
        if (found == false)
            sink.report(m, "cross.networkpolicy-selector", "/spec/podSelector",
                        "the NetworkPolicy's podSelector matches none of the pods of the workloads in this file set, "
                        "so it protects nothing",
                        "select the model's pods by labels their workload gives them");
    }
    if (kind == "ServiceMonitor" && group == "monitoring.coreos.com" &&
        monitor_matches(m, index, object_of(spec, "selector")) == false)
        sink.report(m, "cross.servicemonitor-selector", "/spec/selector",
                    "the ServiceMonitor's selector matches none of the Services in this file set, so Prometheus "
                    "scrapes nothing",
                    "select the metrics Service by its metadata.labels");
}

} // namespace

void check_cross(const Index& index, Sink& sink) {
    for (const Manifest& m : index.manifests()) {
        if (!m.doc.value.is_object()) continue;
        check_references(m, index, sink);
        check_selectors(m, index, sink);
    }
}

} // namespace mlserve::validate::detail
