// The pod-spec walker (every pod template a manifest describes), the pod labels operators give each
// workload, the objects they create from it, and label-selector matching.

#include <algorithm>
#include <tuple>

#include "validate/rules_detail.hpp"

namespace mlserve::validate::detail {
namespace {

// Legacy per-framework predictor fields; the mutating webhook rewrites each into `model:`.
constexpr std::string_view k_frameworks[] = {"sklearn", "xgboost", "tensorflow", "pytorch", "triton", "onnx",
                                             "huggingface", "pmml", "lightgbm", "paddle"};

void add_containers(PodRef& pod, std::string_view spec_pointer, const Json* spec) {
    for (const char* key : {"containers", "initContainers"}) {
        const Json* list = array_of(spec, key);
        if (!list) continue;
        for (size_t i = 0; i < list->size(); ++i)
            if ((*list)[i].is_object())
                pod.containers.push_back(
                    {ptr(ptr(spec_pointer, key), i), &(*list)[i], std::string_view(key) == "initContainers", false});
    }
}

std::map<std::string, std::string> merged(std::map<std::string, std::string> a,
                                          const std::map<std::string, std::string>& b) {
    for (const auto& [k, v] : b) a[k] = v;
    return a;
}

// One KServe component (predictor, canary predictor, transformer, explainer): its inline PodSpec, the
// framework or model container whose image the serving runtime supplies, and its workers.
void kserve_component(std::vector<PodRef>& out, const std::string& role, const std::string& pointer,
                      const Json* component, const std::map<std::string, std::string>& isvc_annotations) {
    if (!component || !component->is_object()) return;
    PodRef pod{role, pointer, component, {}, merged(isvc_annotations, string_map(component, "annotations"))};
    add_containers(pod, pointer, component);
    for (std::string_view key : k_frameworks)
        if (const Json* c = object_of(component, key)) pod.containers.push_back({ptr(pointer, key), c, false, true});
    for (const char* key : {"model", "art"})
        if (const Json* c = object_of(component, key)) pod.containers.push_back({ptr(pointer, key), c, false, true});
    out.push_back(std::move(pod));
    if (const Json* workers = object_of(component, "workerSpec")) {
        PodRef worker{role + " workers", ptr(pointer, "workerSpec"), workers, {}, out.back().annotations};
        add_containers(worker, worker.spec_pointer, workers);
        out.push_back(std::move(worker));
    }
}

std::string component_name(const Manifest& m, const std::string& role, const Json* component) {
    std::string own = string_of(component, "name");
    if (role == "predictor" || role.starts_with("canary"))
        return own.empty() ? m.name() + "-predictor" : m.name() + "-" + own + "-predictor";
    return m.name() + "-" + role;
}

// KServe components as (role, pointer, object), the canaries named canary[i].
std::vector<std::tuple<std::string, std::string, const Json*>> all_kserve_components(const Manifest& m) {
    std::vector<std::tuple<std::string, std::string, const Json*>> out;
    const Json* spec = object_of(&m.doc.value, "spec");
    if (const Json* p = object_of(spec, "predictor")) out.emplace_back("predictor", "/spec/predictor", p);
    if (const Json* canaries = array_of(spec, "canary"))
        for (size_t i = 0; i < canaries->size(); ++i)
            if (const Json* p = object_of(&(*canaries)[i], "predictor"))
                out.emplace_back("canary[" + std::to_string(i) + "]", ptr(ptr("/spec/canary", i), "predictor"), p);
    for (const char* role : {"transformer", "explainer"})
        if (const Json* c = object_of(spec, role)) out.emplace_back(role, ptr("/spec", role), c);
    return out;
}

// The pod template pointer of a plain workload kind, or "" when the kind has none.
std::string template_pointer(const Manifest& m) {
    std::string_view kind = kind_of(m), group = group_of(m);
    if (group == "apps" && (kind == "Deployment" || kind == "StatefulSet" || kind == "DaemonSet" || kind == "ReplicaSet"))
        return "/spec/template";
    if (group == "batch" && kind == "Job") return "/spec/template";
    if (group == "batch" && kind == "CronJob") return "/spec/jobTemplate/spec/template";
    if (group == "argoproj.io" && kind == "Rollout") return "/spec/template";
    if (group.empty() && kind == "PodTemplate") return "/template";
    if (group.empty() && kind == "ReplicationController") return "/spec/template";
    return {};
}

bool implementation_set(const Json* unit) {
    std::string impl = string_of(unit, "implementation");
    return !impl.empty() && impl != "UNKNOWN_IMPLEMENTATION";
}

void graph_names_with_implementation(const Json* unit, std::vector<std::string>& out, int depth = 0) {
    if (!unit || depth > 64) return;
    if (implementation_set(unit)) out.push_back(string_of(unit, "name"));
    if (const Json* children = array_of(unit, "children"))
        for (const Json& child : *children) graph_names_with_implementation(&child, out, depth + 1);
}

} // namespace

bool is_inference_service(const Manifest& m) {
    return kind_of(m) == "InferenceService" && group_of(m) == "serving.kserve.io";
}
bool is_seldon_deployment(const Manifest& m) {
    return kind_of(m) == "SeldonDeployment" && group_of(m) == "machinelearning.seldon.io";
}
bool is_rollout(const Manifest& m) { return kind_of(m) == "Rollout" && group_of(m) == "argoproj.io"; }

std::string kserve_mode(const Manifest& m) {
    std::string mode = string_of(object_of(object_of(&m.doc.value, "metadata"), "annotations"),
                                 "serving.kserve.io/deploymentMode");
    if (mode == "Serverless") return "Knative";
    if (mode == "RawDeployment") return "Standard";
    return mode;
}

std::vector<PodRef> pods_of(const Manifest& m) {
    std::vector<PodRef> out;
    const Json& root = m.doc.value;
    const Json* metadata = object_of(&root, "metadata");
    if (is_inference_service(m)) {
        auto annotations = string_map(metadata, "annotations");
        for (const auto& [role, pointer, component] : all_kserve_components(m))
            kserve_component(out, role, pointer, component, annotations);
        return out;
    }
    if (is_seldon_deployment(m)) {
        const Json* spec = object_of(&root, "spec");
        auto base = merged(string_map(metadata, "annotations"), string_map(spec, "annotations"));
        const Json* predictors = array_of(spec, "predictors");
        for (size_t i = 0; predictors && i < predictors->size(); ++i) {
            const Json* predictor = &(*predictors)[i];
            std::string at = ptr("/spec/predictors", i);
            std::vector<std::string> prepackaged;
            graph_names_with_implementation(object_of(predictor, "graph"), prepackaged);
            auto annotations = merged(base, string_map(predictor, "annotations"));
            const Json* specs = array_of(predictor, "componentSpecs");
            if (!specs || specs->empty()) // a prepackaged server alone still runs a pod, with nothing written
                out.push_back({string_of(predictor, "name") + " graph", "", nullptr, {}, annotations});
            for (size_t j = 0; specs && j < specs->size(); ++j) {
                const Json* cs = &(*specs)[j];
                std::string cs_at = ptr(ptr(at, "componentSpecs"), j);
                PodRef pod{string_of(predictor, "name") + " componentSpecs[" + std::to_string(j) + "]",
                           ptr(cs_at, "spec"), object_of(cs, "spec"), {},
                           merged(annotations, string_map(object_of(cs, "metadata"), "annotations"))};
                add_containers(pod, pod.spec_pointer, pod.spec);
                for (ContainerRef& c : pod.containers)
                    c.image_from_elsewhere = std::find(prepackaged.begin(), prepackaged.end(),
                                                       string_of(c.value, "name")) != prepackaged.end();
                out.push_back(std::move(pod));
            }
            if (const Json* explainer = object_of(predictor, "explainer"))
                if (const Json* c = object_of(explainer, "containerSpec")) {
                    PodRef pod{string_of(predictor, "name") + " explainer", "", nullptr, {}, annotations};
                    pod.containers.push_back({ptr(ptr(at, "explainer"), "containerSpec"), c, false, true});
                    out.push_back(std::move(pod));
                }
        }
        return out;
    }
    if (kind_of(m) == "Pod" && group_of(m).empty()) {
        PodRef pod{"pod", "/spec", object_of(&root, "spec"), {}, string_map(metadata, "annotations")};
        add_containers(pod, "/spec", pod.spec);
        out.push_back(std::move(pod));
        return out;
    }
    std::string t = template_pointer(m);
    if (t.empty()) return out;
    const Json* tmpl = at_pointer(root, t);
    if (!tmpl || !tmpl->is_object()) return out;
    PodRef pod{"template", ptr(t, "spec"), object_of(tmpl, "spec"), {},
               string_map(object_of(tmpl, "metadata"), "annotations")};
    add_containers(pod, pod.spec_pointer, pod.spec);
    out.push_back(std::move(pod));
    return out;
}

bool is_serving_workload(const Manifest& m) {
    if (is_inference_service(m)) return kserve_mode(m) != "ModelMesh";
    if (is_seldon_deployment(m) || is_rollout(m)) return true;
    std::string_view kind = kind_of(m);
    return group_of(m) == "apps" && (kind == "Deployment" || kind == "StatefulSet");
}

bool selector_matches(const Json* selector, const LabelSet& set) {
    if (!selector || !selector->is_object()) return true;
    if (const Json* labels = member(selector, "matchLabels")) {
        if (!labels->is_object()) return true;
        for (const auto& [key, value] : labels->items()) {
            if (!value.is_string()) return true;
            auto it = set.labels.find(key);
            if (it == set.labels.end() ? !set.open : it->second != value.get<std::string>()) return false;
        }
    }
    if (const Json* expressions = member(selector, "matchExpressions")) {
        if (!expressions->is_array()) return true;
        for (const Json& e : *expressions) {
            std::string key = string_of(&e, "key"), op = string_of(&e, "operator");
            std::vector<std::string> values;
            if (const Json* list = array_of(&e, "values"))
                for (const Json& v : *list)
                    if (v.is_string()) values.push_back(v.get<std::string>());
            auto it = set.labels.find(key);
            bool present = it != set.labels.end();
            bool in = present && std::find(values.begin(), values.end(), it->second) != values.end();
            if (op == "In") {
                if (!(in || (!present && set.open))) return false;
            } else if (op == "NotIn") {
                if (in) return false;
            } else if (op == "Exists") {
                if (!present && !set.open) return false;
            } else if (op == "DoesNotExist") {
                if (present) return false;
            } else {
                return true;
            }
        }
    }
    return true;
}

bool map_selector_matches(const std::map<std::string, std::string>& selector, const LabelSet& set) {
    for (const auto& [key, value] : selector) {
        auto it = set.labels.find(key);
        if (it == set.labels.end() ? !set.open : it->second != value) return false;
    }
    return true;
}

WorkloadPods pod_labels(const Manifest& m) {
    WorkloadPods out;
    const Json* metadata = object_of(&m.doc.value, "metadata");
    if (is_inference_service(m)) {
        std::string mode = kserve_mode(m);
        if (mode == "ModelMesh") return {{}, false};
        auto base = string_map(metadata, "labels");
        for (const auto& [role, pointer, component] : all_kserve_components(m)) {
            LabelSet set{merged(base, string_map(component, "labels")), true};
            set.labels["serving.kserve.io/inferenceservice"] = m.name();
            set.labels["component"] = role.starts_with("canary") ? "predictor" : role;
            if (mode != "Knative") set.labels["app"] = "isvc." + component_name(m, role, component);
            out.sets.push_back(std::move(set));
        }
        return out;
    }
    if (is_seldon_deployment(m)) {
        const Json* predictors = array_of(object_of(&m.doc.value, "spec"), "predictors");
        for (size_t i = 0; predictors && i < predictors->size(); ++i) {
            const Json* predictor = &(*predictors)[i];
            LabelSet base{string_map(predictor, "labels"), true};
            base.labels["seldon-deployment-id"] = m.name();
            base.labels["seldon-app"] = m.name() + "-" + string_of(predictor, "name");
            const Json* specs = array_of(predictor, "componentSpecs");
            if (!specs || specs->empty()) out.sets.push_back(base);
            for (size_t j = 0; specs && j < specs->size(); ++j)
                out.sets.push_back(
                    {merged(base.labels, string_map(object_of(&(*specs)[j], "metadata"), "labels")), true});
        }
        return out;
    }
    if (is_rollout(m) && member(object_of(&m.doc.value, "spec"), "workloadRef")) return {{}, false};
    if (kind_of(m) == "Pod" && group_of(m).empty()) {
        out.sets.push_back({string_map(metadata, "labels"), false});
        return out;
    }
    std::string t = template_pointer(m);
    if (t.empty()) return out;
    const Json* tmpl = at_pointer(m.doc.value, t);
    out.sets.push_back({string_map(object_of(tmpl, "metadata"), "labels"), is_rollout(m)});
    return out;
}

std::vector<Implied> implied_objects(const Manifest& m) {
    std::vector<Implied> out;
    if (is_inference_service(m)) {
        if (kserve_mode(m) == "ModelMesh") return out;
        for (const auto& [role, pointer, component] : all_kserve_components(m)) {
            std::string name = component_name(m, role, component);
            // Standard mode: Deployment, Service and HPA of this name; Knative mode: a Knative Service and a
            // Kubernetes Service of this name. Unannotated ISVCs follow the cluster's default, so both.
            for (const char* kind : {"Deployment", "Service", "HorizontalPodAutoscaler"}) out.push_back({kind, name});
        }
        return out;
    }
    if (is_seldon_deployment(m)) {
        const Json* predictors = array_of(object_of(&m.doc.value, "spec"), "predictors");
        for (size_t i = 0; predictors && i < predictors->size(); ++i) {
            const Json* predictor = &(*predictors)[i];
            std::string prefix = m.name() + "-" + string_of(predictor, "name");
            out.push_back({"Service", prefix});
            const Json* specs = array_of(predictor, "componentSpecs");
            for (size_t j = 0; specs && j < specs->size(); ++j) {
                const Json* cs = &(*specs)[j];
                std::string named = string_of(object_of(cs, "metadata"), "name");
                std::string deployment = prefix + "-" + std::to_string(j);
                if (const Json* containers = array_of(object_of(cs, "spec"), "containers"))
                    for (const Json& c : *containers) {
                        out.push_back({"Service", prefix + "-" + string_of(&c, "name")});
                        deployment += "-" + string_of(&c, "name");
                    }
                out.push_back({"Deployment", named.empty() ? deployment : named});
            }
        }
    }
    return out;
}

} // namespace mlserve::validate::detail
