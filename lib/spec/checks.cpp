// Checks that relate fields to each other, run on the spec with its defaults applied.
#include <algorithm>

#include "core/units.hpp"
#include "spec/detail.hpp"
#include "spec/names.hpp"
#include "spec/runtimes.hpp"

namespace mlserve::spec::detail {
namespace {

using core::Json;

std::string str(const Json& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// KServe names each component's host "{isvc}-{component}-{namespace}"; one DNS label holds at most 63
// characters, and Knative tag routing prefixes "latest-" or "prev-" (reference/kserve.md §1.6).
core::Result<void> check_names(const Json& value, Reporter& reporter) {
    const Json& spec = value["spec"];
    std::string name = value["metadata"]["name"], ns = value["metadata"]["namespace"];
    if (spec["backend"] != "kserve") return {};
    if (!(name.front() >= 'a' && name.front() <= 'z'))
        return reporter.error("/metadata/name", "an InferenceService name must start with a letter",
                              "KServe requires ^[a-z]([-a-z0-9]*[a-z0-9])?$; e.g. \"m-" + name.substr(0, 60) + "\"");
    // The longest component: a Standard-mode canary (KServe >= 0.20, templates/kserve/inferenceservice.yaml)
    // is predictor "canary", whose Service and host are {name}-canary-predictor (reference/kserve.md §2.2).
    std::string version = spec["kserve"]["version"];
    bool standard_canary = spec.contains("canary") && spec["canary"]["engine"] == "kserve" &&
                           spec["kserve"]["mode"] == "Standard" && version_at_least(version, 0, 20);
    std::string component = standard_canary                ? "canary-predictor"
                            : spec.contains("transformer") ? "transformer"
                                                           : "predictor";
    bool tags = spec["kserve"]["mode"] == "Knative" && spec["kserve"]["tagRouting"] == true;
    std::string host = std::string(tags ? "latest-" : "") + name + "-" + component + "-" + ns;
    if (host.size() > 63)
        return reporter.error("/metadata/name",
                              "the KServe host label \"" + host + "\" is " + std::to_string(host.size()) +
                                  " characters, over the DNS limit of 63",
                              "shorten metadata.name or metadata.namespace by " + std::to_string(host.size() - 63) +
                                  " characters (KServe builds {name}-" + component + "-{namespace}" +
                                  (tags ? " with the latest- tag prefix" : "") + ")");
    return {};
}

core::Result<void> check_labels(const Json& metadata, Reporter& reporter) {
    for (const char* field : {"labels", "annotations"}) {
        for (const auto& [key, item] : metadata[field].items()) {
            std::string pointer = core::pointer_append(std::string("/metadata/") + field, key);
            if (auto problem = label_key_problem(key); !problem.empty())
                return reporter.error(pointer, "invalid " + std::string(field == std::string("labels") ? "label" : "annotation") +
                                                   " key \"" + key.substr(0, 64) + "\": " + problem,
                                      "keys look like team or example.com/team");
            if (field == std::string("labels"))
                if (auto problem = label_value_problem(item.get<std::string>()); !problem.empty())
                    return reporter.error(pointer, "invalid label value: " + problem,
                                          "label values are short words; put free text in annotations");
        }
    }
    return {};
}

core::Result<void> check_env(const Json& env, const std::string& pointer, bool kserve, Reporter& reporter) {
    for (const auto& [key, item] : env.items()) {
        std::string at = core::pointer_append(pointer, key);
        if (key.empty() || key.find('=') != std::string::npos ||
            std::any_of(key.begin(), key.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; }))
            return reporter.error(at, "invalid environment variable name \"" + key.substr(0, 64) + "\"",
                                  "names are like MODEL_NAME: no '=', no control characters");
        if (kserve && key == "PYTHONPATH")
            return reporter.error(at, "KServe rejects PYTHONPATH in container env for security reasons",
                                  "bake the path into the image instead");
    }
    return {};
}

core::Result<void> check_model(const Json& spec, Reporter& reporter) {
    const Json& model = spec["model"];
    std::string backend = spec["backend"], format = model["format"];
    bool custom = format == "custom";
    if (backend != "deployment") {
        if (!custom && str(model, "storageUri").empty())
            return reporter.error("/spec/model", "required field \"storageUri\" is missing",
                                  "add storageUri under spec.model, e.g. s3://bucket/models/" + format +
                                      " (only format custom serves from its image alone)");
        if (custom && str(model, "image").empty())
            return reporter.error("/spec/model", "format custom needs spec.model.image",
                                  "add image under spec.model: the container that serves the model");
    }
    MLSERVE_TRY(check_env(model["env"], "/spec/model/env", backend == "kserve", reporter));
    const Json& resources = model["resources"];
    if (resources["gpu"].get<long long>() < 0)
        return reporter.error("/spec/model/resources/gpu", "gpu must be 0 or more", "request whole GPUs: 0, 1, 2...");
    if (backend == "kserve" && resources["gpu"].get<long long>() > 0) {
        if (const auto* runtime = find_kserve_runtime(str(model, "runtime")); runtime && !runtime->gpu)
            reporter.warn("/spec/model/resources/gpu",
                          "runtime \"" + std::string(runtime->name) + "\" does not use GPUs; the GPU would sit idle",
                          "set gpu: 0, or pick a GPU runtime (kserve-tritonserver, kserve-torchserve, "
                          "kserve-huggingfaceserver)");
    }
    if (spec.contains("transformer")) {
        if (backend == "deployment")
            return reporter.error("/spec/transformer", "a transformer needs backend kserve",
                                  "with backend deployment, run pre-processing inside the image");
        // KServe transformers implement KServe's preprocess/postprocess over its protocol; Seldon calls graph
        // nodes with its own transform-input API, and the Seldon template has no node for it.
        if (backend == "seldon")
            return reporter.error("/spec/transformer",
                                  "a transformer needs backend kserve: a KServe transformer image does not work as a "
                                  "Seldon graph node",
                                  "use backend kserve, or run pre-processing inside the model's image");
        MLSERVE_TRY(check_env(spec["transformer"]["env"], "/spec/transformer/env", backend == "kserve", reporter));
        if (spec["transformer"]["resources"]["gpu"].get<long long>() < 0)
            return reporter.error("/spec/transformer/resources/gpu", "gpu must be 0 or more", "use 0 or more");
    }
    if (spec.contains("explainer")) {
        const Json& explainer = spec["explainer"];
        if (backend != "kserve")
            return reporter.error("/spec/explainer", "an explainer needs backend kserve", "remove spec.explainer");
        if (explainer["type"] == "custom" && str(explainer, "image").empty())
            return reporter.error("/spec/explainer", "explainer type custom needs spec.explainer.image",
                                  "add image under spec.explainer");
    }
    if (spec.contains("deployment") && backend != "deployment")
        return reporter.error("/spec/deployment", "spec.deployment is used only with backend deployment",
                              "remove spec.deployment, or set spec.backend: deployment");
    if (backend == "deployment" && !spec.contains("deployment"))
        return reporter.error("/spec", "backend deployment needs spec.deployment.image",
                              "add deployment: {image: registry.example.com/model:1.0}");
    if (spec["storage"]["pvc"]["create"] == true && !str(model, "storageUri").starts_with("pvc://"))
        return reporter.error("/spec/storage/pvc/create", "storage.pvc.create needs a pvc:// storageUri",
                              "the claim's name comes from spec.model.storageUri, e.g. pvc://model-storage/path");
    if (spec["kserve"]["tagRouting"] == true && spec["kserve"]["mode"] != "Knative")
        return reporter.error("/spec/kserve/tagRouting", "tag routing exists only in KServe's Knative mode",
                              "set tagRouting: false, or mode: Knative");
    return {};
}

core::Result<void> check_scaling(const Json& spec, Reporter& reporter) {
    const Json& s = spec["scaling"];
    long long min = s["minReplicas"], max = s["maxReplicas"];
    bool knative = spec["backend"] == "kserve" && spec["kserve"]["mode"] == "Knative";
    std::string metric = s["metric"];
    if (min < 0) return reporter.error("/spec/scaling/minReplicas", "minReplicas must be 0 or more", "use 0 or more");
    if (min == 0 && !knative)
        return reporter.error("/spec/scaling/minReplicas", "minReplicas 0 (scale to zero) needs KServe's Knative mode",
                              "a HorizontalPodAutoscaler keeps at least 1 replica; set minReplicas: 1");
    if (max < 1) return reporter.error("/spec/scaling/maxReplicas", "maxReplicas must be 1 or more", "use 1 or more");
    if (min > max)
        return reporter.error("/spec/scaling/maxReplicas",
                              "maxReplicas (" + std::to_string(max) + ") is less than minReplicas (" +
                                  std::to_string(min) + ")",
                              "raise maxReplicas to at least " + std::to_string(min));
    if ((metric == "concurrency" || metric == "rps") && !knative)
        return reporter.error("/spec/scaling/metric", "metric " + metric + " needs KServe's Knative mode",
                              "use cpu, memory or custom (a HorizontalPodAutoscaler metric)");
    if (metric == "custom" && !s.contains("customMetric"))
        return reporter.error("/spec/scaling/metric", "metric custom needs spec.scaling.customMetric",
                              "add customMetric: {name: inference_requests_per_second, target: \"10\"}");
    if (metric != "custom" && s.contains("customMetric"))
        return reporter.error("/spec/scaling/customMetric", "customMetric is used only with metric: custom",
                              "set metric: custom, or remove customMetric");
    double target = s["target"];
    if ((metric == "cpu" || metric == "memory") && (target < 1 || target > 100))
        return reporter.error("/spec/scaling/target", "a " + metric + " target is a utilisation percent from 1 to 100",
                              "e.g. target: 80");
    if ((metric == "concurrency" || metric == "rps") && target <= 0)
        return reporter.error("/spec/scaling/target", "the " + metric + " target must be more than 0", "e.g. target: 100");
    if (s.contains("behavior")) {
        for (const char* direction : {"scaleUp", "scaleDown"}) {
            const Json& policy = s["behavior"][direction];
            std::string at = std::string("/spec/scaling/behavior/") + direction;
            auto window = core::parse_duration(policy["stabilizationWindow"].get<std::string>());
            if (window.ok() && *window > std::chrono::hours(1))
                return reporter.error(at + "/stabilizationWindow", "an HPA stabilization window is at most 1h",
                                      "use 0s to 1h");
            long long period = policy["periodSeconds"], percent = policy["maxPercent"];
            if (period < 1 || period > 1800)
                return reporter.error(at + "/periodSeconds", "periodSeconds must be from 1 to 1800", "e.g. 15");
            if (percent < 1) return reporter.error(at + "/maxPercent", "maxPercent must be 1 or more", "e.g. 100");
        }
    }
    return {};
}

core::Result<void> check_misc(const Json& spec, Reporter& reporter) {
    const Json& mon = spec["monitoring"];
    std::string port = mon["port"];
    bool letter = std::any_of(port.begin(), port.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    if (port.size() > 15 || !dns_label_problem(port).empty() || !letter || port.find("--") != std::string::npos)
        return reporter.error("/spec/monitoring/port", "invalid port name \"" + port.substr(0, 64) + "\"",
                              "a port name has at most 15 lower-case letters, digits and '-', e.g. metrics");
    if (!str(mon, "path").starts_with("/"))
        return reporter.error("/spec/monitoring/path", "the metrics path must start with '/'", "e.g. /metrics");
    const Json& net = spec["network"];
    for (size_t i = 0; i < net["allowFromNamespaces"].size(); ++i) {
        std::string ns = net["allowFromNamespaces"][i];
        if (auto problem = dns_label_problem(ns); !problem.empty())
            return reporter.error("/spec/network/allowFromNamespaces/" + std::to_string(i),
                                  "invalid namespace " + ns.substr(0, 64) + ": " + problem, name_hint(ns));
    }
    for (const auto& [key, item] : net["allowFromPodLabels"].items()) {
        std::string at = core::pointer_append("/spec/network/allowFromPodLabels", key);
        if (auto problem = label_key_problem(key); !problem.empty())
            return reporter.error(at, "invalid label key: " + problem, "keys look like app or example.com/app");
        if (auto problem = label_value_problem(item.get<std::string>()); !problem.empty())
            return reporter.error(at, "invalid label value: " + problem, "label values are short words");
    }
    if (spec.contains("deployment")) {
        const Json& d = spec["deployment"];
        long long port_number = d["port"];
        if (port_number < 1 || port_number > 65535)
            return reporter.error("/spec/deployment/port", "port must be from 1 to 65535", "e.g. 8080");
        for (const char* path : {"readinessPath", "livenessPath"})
            if (!str(d, path).starts_with("/"))
                return reporter.error(std::string("/spec/deployment/") + path, "an HTTP path must start with '/'",
                                      "e.g. /v2/health/ready");
        MLSERVE_TRY(check_env(d["env"], "/spec/deployment/env", false, reporter));
    }
    if (spec.contains("gitops")) {
        std::string path = spec["gitops"]["argocd"]["path"];
        if (path.empty() || path.starts_with("/") || path.find("..") != std::string::npos)
            return reporter.error("/spec/gitops/argocd/path", "path must be relative to the repository root",
                                  "e.g. production/fraud-detection");
    }
    const Json& smoke = spec["smokeTest"];
    if (smoke["concurrency"].get<long long>() < 1)
        return reporter.error("/spec/smokeTest/concurrency", "concurrency must be 1 or more", "e.g. 8");
    return {};
}

} // namespace

core::Result<void> check_semantics(const Json& value, Reporter& reporter) {
    MLSERVE_TRY(check_names(value, reporter));
    MLSERVE_TRY(check_labels(value["metadata"], reporter));
    const Json& spec = value["spec"];
    MLSERVE_TRY(check_model(spec, reporter));
    MLSERVE_TRY(check_scaling(spec, reporter));
    MLSERVE_TRY(check_canary(spec, reporter));
    MLSERVE_TRY(check_backends(value, reporter));
    MLSERVE_TRY(check_overrides(spec, reporter));
    MLSERVE_TRY(check_misc(spec, reporter));
    return {};
}

} // namespace mlserve::spec::detail
