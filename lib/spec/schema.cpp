#include "spec/schema.hpp"

namespace mlserve::spec {
namespace {

using core::Json;

// A small builder so that the table below reads as a list of fields.
class F {
public:
    F(std::string name, Kind kind, std::string doc = {}) {
        m_field.name = std::move(name);
        m_field.kind = kind;
        m_field.doc = std::move(doc);
    }
    F&& required() && { return set(m_field.presence, Presence::required); }
    F&& section() && { return set(m_field.presence, Presence::section); }
    F&& def(Json value) && { return set(m_field.default_value, std::move(value)); }
    F&& one_of(std::vector<std::string> values) && { return set(m_field.allowed, std::move(values)); }
    F&& alias(std::string legacy, std::string value) && {
        m_field.aliases.emplace_back(std::move(legacy), std::move(value));
        return std::move(*this);
    }
    F&& format(Format format) && { return set(m_field.format, format); }
    F&& computed() && { return set(m_field.computed, true); }
    F&& partial() && { return set(m_field.partial, true); }
    F&& children(std::vector<Field> children) && { return set(m_field.children, std::move(children)); }
    operator Field() && { return std::move(m_field); }

private:
    template <class T, class V>
    F&& set(T& member, V&& value) {
        member = std::forward<V>(value);
        return std::move(*this);
    }
    Field m_field;
};

F str(std::string name, std::string doc = {}) { return F(std::move(name), Kind::string, std::move(doc)); }

/// The fields, moved into a vector. (A braced list would copy each one, children and all: building the
/// table that way cost a render as much as checking the spec against it.)
template <class... Fields>
std::vector<Field> fields(Fields&&... list) {
    std::vector<Field> out;
    out.reserve(sizeof...(list));
    (out.push_back(std::forward<Fields>(list)), ...);
    return out;
}

std::vector<Field> resources() {
    return fields(F("cpu", Kind::string, "CPU request and limit").format(Format::quantity).def("1"),
            F("memory", Kind::string, "memory request and limit").format(Format::quantity).def("2Gi"),
            F("gpu", Kind::integer, "nvidia.com/gpu request and limit").def(0));
}

std::vector<Field> model_fields() {
    return fields(
        F("format", Kind::string, "model format")
            .required()
            .one_of({"sklearn", "xgboost", "lightgbm", "tensorflow", "pytorch", "onnx", "triton", "mlflow",
                     "huggingface", "custom"}),
        str("formatVersion", "modelFormat.version; picks among a runtime's format versions"),
        F("storageUri", Kind::string, "where the model is stored").format(Format::storage_uri),
        F("runtime", Kind::string, "serving runtime; default chosen from format and protocol like KServe").computed(),
        str("runtimeVersion", "runtime image tag override"),
        F("protocol", Kind::string, "inference protocol; default: the runtime's first protocol")
            .one_of({"v1", "v2", "grpc-v2"})
            .computed(),
        str("image", "container image (format custom)"),
        F("args", Kind::string_list, "extra container arguments"),
        F("env", Kind::string_map, "container environment"),
        F("resources", Kind::object, "requests = limits").children(resources()),
        F("nodeSelector", Kind::string_map, "pod nodeSelector"),
        F("tolerations", Kind::object_list, "pod tolerations")
            .partial()
            .children(fields(str("key"), F("operator", Kind::string).one_of({"Exists", "Equal"}), str("value"),
                       F("effect", Kind::string).one_of({"NoSchedule", "PreferNoSchedule", "NoExecute"}),
                       F("tolerationSeconds", Kind::integer)))
    );
}

std::vector<Field> scaling_policy(const char* window, int percent, int period) {
    return fields(F("stabilizationWindow", Kind::string).format(Format::duration).def(window),
            F("maxPercent", Kind::integer).def(percent), F("periodSeconds", Kind::integer).def(period));
}

Field build_schema() {
    Field metadata =
        F("metadata", Kind::object)
            .required()
            .children(fields(F("name", Kind::string, "DNS-1123 label").required().format(Format::dns_label),
                       F("namespace", Kind::string).format(Format::dns_label).def("default"),
                       F("labels", Kind::string_map, "copied onto every object"),
                       F("annotations", Kind::string_map, "copied onto the main workload object")));
    Field kserve =
        F("kserve", Kind::object)
            .children(fields(F("mode", Kind::string, "deployment mode")
                           .one_of({"Knative", "Standard"})
                           .alias("Serverless", "Knative")
                           .alias("RawDeployment", "Standard")
                           .def("Knative"),
                       F("version", Kind::string, "KServe version in the cluster").format(Format::version).def("0.16"),
                       F("tagRouting", Kind::boolean, "Knative latest-/prev- tag URLs").def(false)));
    Field transformer = F("transformer", Kind::object)
                            .section()
                            .children(fields(str("image").required(), F("args", Kind::string_list),
                                       F("env", Kind::string_map), F("resources", Kind::object).children(resources())));
    Field explainer =
        F("explainer", Kind::object)
            .section()
            .children(fields(F("type", Kind::string)
                           .required()
                           .one_of({"AnchorTabular", "AnchorImages", "AnchorText", "SquareAttack", "custom"}),
                       F("storageUri", Kind::string).format(Format::storage_uri), str("image"),
                       F("resources", Kind::object).children(resources())));
    Field scaling =
        F("scaling", Kind::object)
            .children(fields(F("minReplicas", Kind::integer).def(1), F("maxReplicas", Kind::integer).computed(),
                       F("metric", Kind::string).one_of({"concurrency", "rps", "cpu", "memory", "custom"}).computed(),
                       F("target", Kind::number, "per-pod target or utilisation percent").computed(),
                       F("customMetric", Kind::object, "a Pods metric (averageValue)")
                           .section()
                           .children(fields(str("name").required(),
                                      F("target", Kind::string).required().format(Format::quantity))),
                       F("behavior", Kind::object, "HPA v2 behaviour")
                           .section()
                           .children(fields(F("scaleUp", Kind::object).children(scaling_policy("0s", 100, 15)),
                                      F("scaleDown", Kind::object).children(scaling_policy("5m", 100, 15))))));
    Field canary =
        F("canary", Kind::object)
            .section()
            .children(fields(
                 F("model", Kind::object, "only what differs from spec.model")
                     .required()
                     .partial()
                     .children(model_fields()),
                 F("engine", Kind::string).one_of({"kserve", "seldon", "argo"}).computed(),
                 F("strategy", Kind::string).one_of({"canary", "abtest", "shadow"}).def("canary"),
                 F("steps", Kind::integer_list, "traffic percent per step").def(Json::array({10, 50, 100})),
                 F("interval", Kind::string, "pause between steps").format(Format::duration).def("5m"),
                 F("analysis", Kind::object, "Prometheus gate")
                     .section()
                     .children(fields(F("prometheus", Kind::string).required().format(Format::url),
                                F("maxErrorRate", Kind::string).format(Format::percentage),
                                F("maxLatencyP95", Kind::string).format(Format::duration),
                                F("interval", Kind::string).format(Format::duration).def("1m"),
                                F("failureLimit", Kind::integer).def(1))),
                 F("trafficRouting", Kind::object, "Argo only")
                     .section()
                     .children(fields(F("istio", Kind::object)
                                    .required()
                                    .children(fields(str("host").required(), str("gateway", "namespace/name")))))));
    Field slo = F("slo", Kind::object)
                    .children(fields(F("latencyP95", Kind::string).format(Format::duration),
                               F("latencyP99", Kind::string).format(Format::duration),
                               F("availability", Kind::string).format(Format::percentage)));
    Field monitoring = F("monitoring", Kind::object)
                           .children(fields(F("serviceMonitor", Kind::boolean).def(false),
                                            F("rules", Kind::boolean).def(false),
                                      str("port").def("metrics"), str("path").def("/metrics"),
                                      F("interval", Kind::string).format(Format::duration).def("30s")));
    Field network = F("network", Kind::object, "a NetworkPolicy is rendered when either is set")
                        .children(fields(F("allowFromNamespaces", Kind::string_list),
                                         F("allowFromPodLabels", Kind::string_map)));
    Field security = F("security", Kind::object).children(fields(F("requireSignedImages", Kind::boolean).def(false)));
    Field storage =
        F("storage", Kind::object)
            .children(fields(F("pvc", Kind::object, "the model PVC (pvc:// storageUri only)")
                           .children(fields(F("create", Kind::boolean).def(false),
                                      F("size", Kind::string).format(Format::quantity).def("10Gi"), str("storageClass"),
                                      F("accessMode", Kind::string)
                                          .one_of({"ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany",
                                                   "ReadWriteOncePod"})
                                          .def("ReadWriteOnce")))));
    Field deployment = F("deployment", Kind::object, "backend deployment only")
                           .section()
                           .children(fields(str("image").required(), F("port", Kind::integer).def(8080),
                                      F("command", Kind::string_list), F("args", Kind::string_list),
                                      F("env", Kind::string_map), F("config", Kind::string_map, "ConfigMap data"),
                                      str("readinessPath").def("/v2/health/ready"),
                                      str("livenessPath").def("/v2/health/live")));
    Field gitops =
        F("gitops", Kind::object)
            .section()
            .children(fields(F("argocd", Kind::object, "an Argo CD Application")
                           .required()
                           .children(fields(F("repoURL", Kind::string).required(), str("path").required(),
                                      str("targetRevision").def("HEAD"), str("project").def("default"),
                                      str("namespace").def("argocd"),
                                      str("destinationServer").def("https://kubernetes.default.svc"),
                                      F("automated", Kind::boolean).def(true), F("prune", Kind::boolean).def(true),
                                      F("selfHeal", Kind::boolean).def(true)))));
    Field smoke = F("smokeTest", Kind::object)
                      .children(fields(str("request", "request body file"), F("concurrency", Kind::integer).def(1),
                                 F("duration", Kind::string).format(Format::duration).def("30s")));
    Field overrides =
        F("overrides", Kind::object_list, "post-render patches")
            .children(fields(F("target", Kind::object)
                           .required()
                           .children(fields(str("kind").required(), str("name"), str("apiVersion"))),
                       F("mergePatch", Kind::any_object, "RFC 7386").section(),
                       F("jsonPatch", Kind::any_list, "RFC 6902").section()));
    Field spec = F("spec", Kind::object)
                     .required()
                     .children(fields(
                         F("backend", Kind::string).one_of({"kserve", "seldon", "deployment"}).def("kserve"),
                         std::move(kserve), F("model", Kind::object).required().children(model_fields()),
                         std::move(transformer), std::move(explainer), std::move(scaling), std::move(canary),
                         std::move(slo), std::move(monitoring), std::move(network), std::move(security),
                         std::move(storage), std::move(deployment), std::move(gitops), std::move(smoke),
                         std::move(overrides)));
    return F("", Kind::object)
        .children(fields(F("apiVersion", Kind::string).required().one_of({std::string(k_api_version)}),
                   F("kind", Kind::string).required().one_of({std::string(k_kind)}), std::move(metadata),
                   std::move(spec)));
}

} // namespace

const Field* Field::find(std::string_view child) const {
    for (const auto& c : children)
        if (c.name == child) return &c;
    return nullptr;
}

std::vector<std::string> Field::child_names() const {
    std::vector<std::string> names;
    for (const auto& c : children) names.push_back(c.name);
    return names;
}

const Field& model_deployment_schema() {
    static const Field root = build_schema();
    return root;
}

const Field* find_field(std::string_view dotted_path) {
    const Field* field = &model_deployment_schema();
    while (field && !dotted_path.empty()) {
        size_t dot = dotted_path.find('.');
        field = field->find(dotted_path.substr(0, dot));
        dotted_path = dot == std::string_view::npos ? std::string_view() : dotted_path.substr(dot + 1);
    }
    return field;
}

std::string kind_description(Kind kind) {
    switch (kind) {
    case Kind::string: return "a string";
    case Kind::integer: return "an integer";
    case Kind::number: return "a number";
    case Kind::boolean: return "a boolean (true or false)";
    case Kind::object:
    case Kind::string_map:
    case Kind::any_object: return "a map";
    case Kind::string_list:
    case Kind::integer_list:
    case Kind::object_list:
    case Kind::any_list: return "a list";
    }
    return "a value";
}

} // namespace mlserve::spec
