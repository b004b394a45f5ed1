// KServe autoscaling rules per deployment mode (inference_service_validation.go validateAutoScalingCompExtension
// and component.go validateReplicas, messages verbatim): the autoscaler class annotation, HPA, KEDA and
// Knative (KPA) fields, and replica bounds.

#include "validate/rules_detail.hpp"

namespace mlserve::validate::detail {
namespace {

void check_hpa_fields(const Manifest& m, const KserveComponent& c, Sink& sink) {
    std::string metric = string_of(c.value, "scaleMetric");
    if (metric.empty()) metric = "cpu";
    if (metric != "cpu" && metric != "memory")
        sink.report(m, "kserve.autoscaling", ptr(c.pointer, "scaleMetric"), "[" + metric + "] is not a supported metric",
                    "with the hpa autoscaler class scaleMetric is cpu or memory");
    if (auto target = int_of(c.value, "scaleTarget")) {
        if (metric == "cpu" && (*target < 1 || *target > 100))
            sink.report(m, "kserve.autoscaling", ptr(c.pointer, "scaleTarget"),
                        "the target utilization percentage should be a [1-100] integer", "e.g. scaleTarget: 80");
        if (metric == "memory" && *target < 1)
            sink.report(m, "kserve.autoscaling", ptr(c.pointer, "scaleTarget"),
                        "the target memory should be greater than 1 MiB", "e.g. scaleTarget: 512");
    }
    const Json* metrics = array_of(object_of(c.value, "autoScaling"), "metrics");
    for (size_t i = 0; metrics && i < metrics->size(); ++i) {
        std::string type = string_of(&(*metrics)[i], "type");
        if (type != "Resource")
            sink.report(m, "kserve.autoscaling", ptr(ptr(ptr(c.pointer, "autoScaling"), "metrics"), i),
                        "invalid HPA metric source type with value [" + type + "],valid metric source types are Resource",
                        "use type: Resource, or the keda autoscaler class for External and PodMetric");
    }
}

void check_keda_fields(const Manifest& m, const KserveComponent& c, Sink& sink) {
    if (member(c.value, "scaleMetric"))
        sink.report(m, "kserve.autoscaling", ptr(c.pointer, "scaleMetric"), "ScaleMetric is not supported for KEDA",
                    "describe the metric under autoScaling.metrics instead");
    const Json* metrics = array_of(object_of(c.value, "autoScaling"), "metrics");
    for (size_t i = 0; metrics && i < metrics->size(); ++i) {
        const Json* metric = &(*metrics)[i];
        std::string at = ptr(ptr(ptr(c.pointer, "autoScaling"), "metrics"), i), type = string_of(metric, "type");
        auto fail = [&](std::string message, std::string hint) {
            sink.report(m, "kserve.autoscaling", at, std::move(message), std::move(hint));
        };
        if (type == "Resource") {
            const Json* resource = object_of(metric, "resource");
            std::string name = string_of(resource, "name");
            std::string target = string_of(object_of(resource, "target"), "type");
            if (!resource) fail("metricSpec.Resource is not set for resource metric source type", "add resource:");
            else if (name == "cpu" && target != "Utilization")
                fail("the cpu target value type should be Utilization", "use target: {type: Utilization, ...}");
            else if (name == "memory" && target != "AverageValue" && target != "Utilization")
                fail("the memory target value type should be AverageValue or Utilization", "e.g. type: AverageValue");
            else if (name != "cpu" && name != "memory")
                fail("resource type " + name + " is not supported", "use cpu or memory");
        } else if (type == "External" || type == "PodMetric") {
            const Json* source = object_of(metric, type == "External" ? "external" : "podmetric");
            if (!source) {
                fail("metricSpec." + type + " is not set for " + (type == "External" ? "external" : "pod") +
                         " metric source type", "add the metric source");
            } else if (string_of(object_of(source, "metric"), "query").empty()) {
                fail("the query should not be empty", "add metric.query");
            } else if (!member(object_of(source, "target"), "value")) {
                fail("the target threshold value should not be empty", "add target.value");
            }
        } else {
            fail("unknown KEDA metric type with value [" + type + "].Valid types are Resource,External,PodMetric",
                 "use Resource, External or PodMetric");
        }
    }
}

void check_kpa_fields(const Manifest& m, const KserveComponent& c, Sink& sink) {
    if (member(c.value, "deploymentStrategy"))
        sink.report(m, "kserve.autoscaling", ptr(c.pointer, "deploymentStrategy"),
                    "customizing deploymentStrategy is only supported for raw deployment mode",
                    "remove deploymentStrategy, or use deploymentMode Standard", true);
    std::string metric = string_of(c.value, "scaleMetric");
    if (metric.empty()) metric = "concurrency";
    if (metric != "concurrency" && metric != "rps")
        sink.report(m, "kserve.autoscaling", ptr(c.pointer, "scaleMetric"), "[" + metric + "] is not a supported metric",
                    "Knative's autoscaler scales on concurrency or rps; cpu and memory need deploymentMode Standard");
    if (auto target = int_of(c.value, "scaleTarget"); target && metric == "rps" && *target < 1)
        sink.report(m, "kserve.autoscaling", ptr(c.pointer, "scaleTarget"), "the target for rps should be greater than 1",
                    "e.g. scaleTarget: 10");
}

} // namespace

void check_kserve_scaling(const Manifest& m, const std::string& mode, Sink& sink) {
    const Json* annotations = object_of(object_of(&m.doc.value, "metadata"), "annotations");
    const Json* cls = member(annotations, "serving.kserve.io/autoscalerClass");
    std::string autoscaler = cls && cls->is_string() ? cls->get<std::string>() : "";
    if (cls && autoscaler != "hpa" && autoscaler != "external" && autoscaler != "keda" && autoscaler != "none")
        sink.report(m, "kserve.autoscaling", "/metadata/annotations/serving.kserve.io~1autoscalerClass",
                    "[" + autoscaler + "] is not a supported autoscaler class type",
                    "use hpa, keda, external or none (Knative's own autoscaler is chosen by deploymentMode Knative)");
    for (const KserveComponent& c : kserve_components(object_of(&m.doc.value, "spec"))) {
        auto min = int_of(c.value, "minReplicas");
        auto max = int_of(c.value, "maxReplicas");
        if (min && *min < 0)
            sink.report(m, "kserve.replicas", ptr(c.pointer, "minReplicas"), "'MinReplicas' cannot be less than 0",
                        "use 0 (scale to zero, Knative mode) or more");
        if (max && *max < 0)
            sink.report(m, "kserve.replicas", ptr(c.pointer, "maxReplicas"), "'MaxReplicas' cannot be less than 0",
                        "use 0 (no maximum) or more");
        if (max && *max > 0 && min.value_or(1) > *max)
            sink.report(m, "kserve.replicas", ptr(c.pointer, min ? "minReplicas" : "maxReplicas"),
                        "'MinReplicas' cannot be greater than MaxReplicas (" + std::to_string(min.value_or(1)) + " > " +
                            std::to_string(*max) + ")",
                        "raise maxReplicas to at least " + std::to_string(min.value_or(1)));
        if (mode == "Standard" && autoscaler == "hpa") check_hpa_fields(m, c, sink);
        if (mode == "Standard" && autoscaler == "keda") check_keda_fields(m, c, sink);
        if (mode == "Knative") {
            if (string_of(annotations, "autoscaling.knative.dev/class") == "hpa.autoscaling.knative.dev")
                check_hpa_fields(m, c, sink);
            else
                check_kpa_fields(m, c, sink);
        }
    }
}

std::vector<KserveComponent> kserve_components(const Json* spec) {
    std::vector<KserveComponent> out;
    for (const char* role : {"predictor", "transformer", "explainer"})
        if (const Json* c = object_of(spec, role)) out.push_back({role, ptr("/spec", role), c});
    return out;
}

} // namespace mlserve::validate::detail
