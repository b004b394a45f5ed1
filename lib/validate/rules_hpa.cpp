// HorizontalPodAutoscaler (autoscaling/v2) rules: what the API server's validation rejects
// (k8s.io/kubernetes pkg/apis/autoscaling/validation, messages verbatim) and targets whose type and value
// disagree. Also the generic pod rule: requests at most limits.

#include "core/units.hpp"
#include "core/yaml.hpp"
#include "validate/rules_detail.hpp"

namespace mlserve::validate::detail {
namespace {

// metric type -> the source field it names
constexpr std::pair<std::string_view, std::string_view> k_sources[] = {
    {"Resource", "resource"}, {"Pods", "pods"}, {"Object", "object"}, {"External", "external"},
    {"ContainerResource", "containerResource"}};

void check_target(const Manifest& m, const std::string& at, const Json* target, std::string_view type,
                  Sink& sink) {
    std::string target_type = string_of(target, "type");
    // Which value field each source's target needs (validateResourceSource, validatePodsSource, ...).
    bool utilization = member(target, "averageUtilization"), average = member(target, "averageValue"),
         value = member(target, "value");
    std::string target_at = ptr(at, "target");
    if (type == "Resource" || type == "ContainerResource") {
        if (!utilization && !average)
            sink.report(m, "hpa.metric-source", target_at, "must set either a target raw value or a target utilization",
                        "e.g. target: {type: Utilization, averageUtilization: 80}");
        if (utilization && average)
            sink.report(m, "hpa.metric-source", ptr(target_at, "averageValue"),
                        "may not set both a target raw value and a target utilization", "keep one of them", true);
    } else if (type == "Pods") {
        if (!average)
            sink.report(m, "hpa.metric-source", target_at, "must specify a positive target averageValue",
                        "e.g. target: {type: AverageValue, averageValue: \"10\"}");
    } else if (type == "Object" || type == "External") {
        if (!value && !average)
            sink.report(m, "hpa.metric-source", target_at, "must set either a target value or averageValue",
                        "e.g. target: {type: Value, value: \"100\"}");
    }
    if (target_type.empty()) {
        if (target)
            sink.report(m, "hpa.metric-source", target_at, "must specify a metric target type",
                        "add type: Utilization, Value or AverageValue");
        return;
    }
    if (target_type != "Utilization" && target_type != "Value" && target_type != "AverageValue") {
        sink.report(m, "hpa.metric-source", ptr(target_at, "type"), "must be either Utilization, Value, or AverageValue",
                    "use Utilization, Value or AverageValue");
        return;
    }
    const char* wanted = target_type == "Utilization" ? "averageUtilization"
                         : target_type == "Value"     ? "value"
                                                      : "averageValue";
    bool has_wanted = member(target, wanted) != nullptr;
    if (!has_wanted && (utilization || average || value))
        sink.report(m, "hpa.metric-target", ptr(target_at, "type"),
                    "target type " + target_type + " names " + wanted + ", which is not set; the autoscaler uses " +
                        std::string(utilization ? "averageUtilization" : average ? "averageValue" : "value") +
                        " instead",
                    std::string("set ") + wanted + ", or change type to match the value given");
    if (auto u = int_of(target, "averageUtilization"); u && *u < 1)
        sink.report(m, "hpa.metric-source", ptr(target_at, "averageUtilization"), "must be greater than 0",
                    "a utilisation target is a percentage of the request, e.g. 80");
}

} // namespace

void check_hpa(const Manifest& m, Sink& sink) {
    if (kind_of(m) != "HorizontalPodAutoscaler" || group_of(m) != "autoscaling") return;
    const Json* spec = object_of(&m.doc.value, "spec");
    if (!spec) return;
    auto min = int_of(spec, "minReplicas");
    auto max = int_of(spec, "maxReplicas");
    if (min && *min < 1)
        sink.report(m, "hpa.replicas", "/spec/minReplicas", "must be greater than or equal to 1",
                    "an HPA keeps at least 1 replica (0 needs the HPAScaleToZero feature gate and object or external "
                    "metrics)");
    if (max && *max < 1) sink.report(m, "hpa.replicas", "/spec/maxReplicas", "must be greater than 0", "e.g. 10");
    if (max && *max >= 1 && *max < min.value_or(1))
        sink.report(m, "hpa.replicas", "/spec/maxReplicas",
                    "must be greater than or equal to `minReplicas` (" + std::to_string(*max) + " < " +
                        std::to_string(min.value_or(1)) + ")",
                    "raise maxReplicas to at least " + std::to_string(min.value_or(1)));
    if (m.api_version() == "autoscaling/v1") return; // targetCPUUtilizationPercentage only
    const Json* metrics = array_of(spec, "metrics");
    for (size_t i = 0; metrics && i < metrics->size(); ++i) {
        const Json* metric = &(*metrics)[i];
        std::string at = ptr("/spec/metrics", i), type = string_of(metric, "type");
        std::string_view wanted;
        for (const auto& [t, field] : k_sources)
            if (t == type) wanted = field;
        if (wanted.empty()) {
            sink.report(m, "hpa.metric-source", ptr(at, "type"),
                        "must be either Resource, Pods, Object, External or ContainerResource",
                        "e.g. type: Resource with resource: {name: cpu, target: ...}");
            continue;
        }
        const Json* source = object_of(metric, wanted);
        if (!source) {
            sink.report(m, "hpa.metric-source", at, "must populate information for the given metric source",
                        "metric type " + type + " reads its settings from " + std::string(wanted) + ":");
            continue;
        }
        for (const auto& [t, field] : k_sources)
            if (field != wanted && member(metric, field))
                sink.report(m, "hpa.metric-source", ptr(at, field), "must populate the given metric source only",
                            "metric type " + type + " reads only " + std::string(wanted) + "; remove " +
                                std::string(field),
                            true);
        check_target(m, ptr(at, wanted), object_of(source, "target"), type, sink);
    }
}

void check_pod_semantics(const Manifest& m, const std::vector<PodRef>& pods, Sink& sink) {
    for (const PodRef& pod : pods)
        for (const ContainerRef& c : pod.containers) {
            const Json* resources = object_of(c.value, "resources");
            const Json* requests = object_of(resources, "requests");
            const Json* limits = object_of(resources, "limits");
            if (!requests || !limits) continue;
            for (const auto& [name, request] : requests->items()) {
                const Json* limit = member(limits, name);
                if (!limit) continue;
                auto text = [](const Json& v) {
                    return v.is_string() ? v.get<std::string>() : v.is_number() ? core::format_number(v) : std::string();
                };
                auto r = core::parse_quantity(text(request));
                auto l = core::parse_quantity(text(*limit));
                if (!r.ok() || !l.ok() || r->value <= l->value) continue;
                std::string resources_at = ptr(c.pointer, "resources");
                sink.report(m, "pod.requests-within-limits", ptr(ptr(resources_at, "requests"), name),
                            name + " request " + shown(r->text) + " is more than its limit " + shown(l->text) +
                                ": the API server rejects it (must be less than or equal to " + name + " limit of " +
                                l->text + ")",
                            "lower the request or raise the limit");
            }
        }
}

} // namespace mlserve::validate::detail
