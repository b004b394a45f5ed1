// Argo Rollouts Rollout rules: the controller's InvalidSpec checks (pkg/apis/rollouts/validation/
// validation.go, messages verbatim), which the Rollout only reports as a Degraded phase after it is applied.

#include "validate/rules_detail.hpp"

namespace mlserve::validate::detail {
namespace {

constexpr std::string_view k_step_kinds[] = {"setWeight",      "pause",          "analysis",       "experiment",
                                             "setCanaryScale", "setHeaderRoute", "setMirrorRoute", "plugin"};

constexpr const char* k_step_message =
    "Step must have one of the following set: experiment, setWeight, setCanaryScale or pause";

// An int-or-string such as 25, "25%" or "0"; nothing when it cannot be read.
std::optional<long long> int_or_percent(const Json* object, std::string_view key) {
    const Json* value = member(object, key);
    if (!value) return std::nullopt;
    if (value->is_string()) {
        std::string text = value->get<std::string>();
        if (text.ends_with("%")) text.pop_back();
        if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos)
            return std::nullopt;
        return std::stoll(text);
    }
    return int_of(object, key);
}

bool managed_route(const Json* routing, const std::string& name) {
    if (const Json* routes = array_of(routing, "managedRoutes"))
        for (const Json& r : *routes)
            if (string_of(&r, "name") == name) return true;
    return false;
}

void check_steps(const Manifest& m, const Json* canary, Sink& sink) {
    const Json* steps = array_of(canary, "steps");
    const Json* routing = object_of(canary, "trafficRouting");
    long long max_weight = int_of(routing, "maxTrafficWeight").value_or(100);
    for (size_t i = 0; steps && i < steps->size(); ++i) {
        const Json* step = &(*steps)[i];
        std::string at = ptr("/spec/strategy/canary/steps", i);
        std::vector<std::string> kinds;
        for (auto kind : k_step_kinds)
            if (member(step, kind) && !member(step, kind)->is_null()) kinds.emplace_back(kind);
        if (kinds.size() != 1)
            sink.report(m, "argo.step-kind", at,
                        std::string(k_step_message) +
                            (kinds.empty() ? " (this step sets none)"
                                           : " (this step sets " + kinds[0] + " and " + kinds[1] + ")"),
                        kinds.empty() ? "e.g. - setWeight: 20, or - pause: {duration: 5m}"
                                      : "split it into one step per kind, in the order they should run");
        if (auto weight = int_of(step, "setWeight"); weight && (*weight < 0 || *weight > max_weight))
            sink.report(m, "argo.set-weight", ptr(at, "setWeight"),
                        "SetWeight needs to be between 0 and " + std::to_string(max_weight),
                        "weights are percentages of traffic (of maxTrafficWeight when set)");
        if (member(step, "setCanaryScale") && !routing)
            sink.report(m, "argo.traffic-routing", ptr(at, "setCanaryScale"),
                        "SetCanaryScale requires TrafficRouting to be set",
                        "add strategy.canary.trafficRouting, or use setWeight alone");
        if (member(step, "setHeaderRoute") && !(member(routing, "istio") || member(routing, "alb") ||
                                                member(routing, "apisix") || member(routing, "plugins")))
            sink.report(m, "argo.traffic-routing", ptr(at, "setHeaderRoute"),
                        "SetHeaderRoute requires TrafficRouting, supports Istio and ALB and Apisix",
                        "add trafficRouting.istio (or alb, apisix, a plugin)");
        if (member(step, "setMirrorRoute") && !member(routing, "istio"))
            sink.report(m, "argo.traffic-routing", ptr(at, "setMirrorRoute"),
                        "SetMirrorRoute requires TrafficRouting, supports Istio only", "add trafficRouting.istio");
        for (const char* kind : {"setHeaderRoute", "setMirrorRoute"}) {
            const Json* route = object_of(step, kind);
            if (!route || !routing) continue;
            if (!member(routing, "managedRoutes"))
                sink.report(m, "argo.traffic-routing", "/spec/strategy/canary/trafficRouting",
                            "Rollout has missing field 'spec.strategy.canary.trafficRouting.managedRoutes'",
                            "list the route " + shown(string_of(route, "name")) + " under managedRoutes");
            else if (!managed_route(routing, string_of(route, "name")))
                sink.report(m, "argo.traffic-routing", ptr(ptr(at, kind), "name"),
                            "Steps define a route that does not exist in "
                            "spec.strategy.canary.trafficRouting.managedRoutes",
                            "add {name: " + string_of(route, "name") + "} to trafficRouting.managedRoutes");
        }
    }
}

// requireCanaryStableServices: every traffic router except Istio with a DestinationRule (subsets) and ALB
// with ping-pong needs both Services.
bool needs_services(const Json* canary) {
    const Json* routing = object_of(canary, "trafficRouting");
    if (!routing) return false;
    if (member(routing, "alb") && !member(canary, "pingPong")) return true;
    if (const Json* istio = object_of(routing, "istio"); istio && !member(istio, "destinationRule")) return true;
    for (const char* router : {"smi", "apisix", "ambassador", "nginx", "appMesh", "traefik"})
        if (member(routing, router)) return true;
    return false;
}

void check_canary(const Manifest& m, const Json* canary, Sink& sink) {
    const std::string at = "/spec/strategy/canary";
    std::string canary_service = string_of(canary, "canaryService"), stable_service = string_of(canary, "stableService");
    if (!canary_service.empty() && canary_service == stable_service)
        sink.report(m, "argo.services", ptr(at, "stableService"),
                    "This rollout uses the same service for the stable and canary services, but two different "
                    "services are required",
                    "name two Services, e.g. " + m.name() + "-stable and " + m.name() + "-canary");
    if (needs_services(canary))
        for (const char* field : {"stableService", "canaryService"})
            if (string_of(canary, field).empty())
                sink.report(m, "argo.services", member(canary, field) ? ptr(at, field) : at,
                            "Canary service and Stable service must to be set to use Traffic Routing",
                            std::string("set ") + field + " to a Service selecting the Rollout's pods");
    const Json* routing = object_of(canary, "trafficRouting");
    if (!routing && member(canary, "scaleDownDelaySeconds"))
        sink.report(m, "argo.traffic-routing", ptr(at, "scaleDownDelaySeconds"),
                    "Canary scaleDownDelaySeconds can only be used with traffic routing", "remove it", true);
    if (!routing && true_at(canary, "dynamicStableScale"))
        sink.report(m, "argo.traffic-routing", ptr(at, "dynamicStableScale"),
                    "Canary dynamicStableScale can only be used with traffic routing", "remove it", true);
    if (routing && member(canary, "scaleDownDelaySeconds") && true_at(canary, "dynamicStableScale"))
        sink.report(m, "argo.traffic-routing", ptr(at, "dynamicStableScale"),
                    "Canary dynamicStableScale cannot be used with scaleDownDelaySeconds", "keep one of them", true);
    auto surge = int_or_percent(canary, "maxSurge"), unavailable = int_or_percent(canary, "maxUnavailable");
    // Both default to 25%.
    if (surge.value_or(25) == 0 && unavailable.value_or(25) == 0 && (surge || unavailable))
        sink.report(m, "argo.surge-unavailable", member(canary, "maxSurge") ? ptr(at, "maxSurge") : ptr(at, "maxUnavailable"),
                    "MaxSurge and MaxUnavailable both can not be zero",
                    "allow at least one extra or one missing pod, e.g. maxSurge: 1");
    check_steps(m, canary, sink);
}

void check_selector(const Manifest& m, const Json* spec, Sink& sink) {
    if (member(spec, "workloadRef")) {
        if (const Json* tmpl = object_of(spec, "template"); tmpl && !tmpl->empty())
            sink.report(m, "argo.selector", "/spec/template", "template must be empty for workload reference rollout",
                        "remove spec.template: the pods come from the workloadRef's template", true);
        return;
    }
    const Json* selector = member(spec, "selector");
    if (!selector) {
        sink.report(m, "argo.selector", "/spec", "Rollout has missing field '.spec.selector'",
                    "add selector: {matchLabels: {...}} matching spec.template.metadata.labels");
        return;
    }
    if (!selector->is_object()) return;
    const Json* labels = object_of(selector, "matchLabels");
    const Json* expressions = array_of(selector, "matchExpressions");
    if ((!labels || labels->empty()) && (!expressions || expressions->empty())) {
        sink.report(m, "argo.selector", "/spec/selector", "empty selector is invalid for deployment",
                    "select the pods by a label of spec.template.metadata.labels");
        return;
    }
    const Json* tmpl = object_of(spec, "template");
    if (!tmpl) return;
    LabelSet pods{string_map(object_of(tmpl, "metadata"), "labels"), false};
    if (!selector_matches(selector, pods))
        sink.report(m, "argo.selector", "/spec/selector", "`selector` does not match template `labels`",
                    "make spec.selector select spec.template.metadata.labels");
}

} // namespace

void check_argo(const Manifest& m, Sink& sink) {
    if (!is_rollout(m)) return;
    const Json* spec = object_of(&m.doc.value, "spec");
    if (!spec) return;
    check_selector(m, spec, sink);
    const Json* strategy = member(spec, "strategy");
    if (strategy && !strategy->is_object()) return;
    const Json* canary = object_of(strategy, "canary");
    const Json* blue_green = object_of(strategy, "blueGreen");
    if (!canary && !blue_green) {
        sink.report(m, "argo.strategy", strategy ? "/spec/strategy" : "/spec",
                    "Rollout has missing field '.spec.strategy.canary or .spec.strategy.blueGreen'",
                    "add strategy: {canary: {steps: [...]}}");
        return;
    }
    if (canary && blue_green) {
        sink.report(m, "argo.strategy", "/spec/strategy", "Multiple Strategies can not be listed",
                    "keep canary or blueGreen");
        return;
    }
    if (canary) check_canary(m, canary, sink);
    if (blue_green) {
        std::string active = string_of(blue_green, "activeService");
        if (active == string_of(blue_green, "previewService") && !active.empty())
            sink.report(m, "argo.services", "/spec/strategy/blueGreen/activeService",
                        "This rollout uses the same service for the active and preview services, but two different "
                        "services are required",
                        "name two Services, e.g. " + m.name() + "-active and " + m.name() + "-preview");
    }
}

} // namespace mlserve::validate::detail
