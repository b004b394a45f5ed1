// Checks of spec.canary (engine, strategy, steps against backend and KServe version) and spec.overrides.
#include <array>

#include "core/text.hpp"
#include "spec/detail.hpp"
#include "spec/names.hpp"

namespace mlserve::spec::detail {
namespace {

using core::Json;

// Kinds the built-in templates render; an override naming something close to one is a typo.
const std::vector<std::string>& rendered_kinds() {
    static const std::vector<std::string> kinds = {
        "InferenceService", "SeldonDeployment", "Deployment",       "Service",        "ConfigMap",
        "HorizontalPodAutoscaler", "ServiceMonitor", "PrometheusRule", "NetworkPolicy", "Rollout",
        "AnalysisTemplate", "VirtualService", "Application", "PersistentVolumeClaim"};
    return kinds;
}

core::Result<void> check_engine(const Json& spec, Reporter& reporter) {
    const Json& canary = spec["canary"];
    std::string engine = canary["engine"], backend = spec["backend"], strategy = canary["strategy"];
    std::string mode = spec["kserve"]["mode"], version = spec["kserve"]["version"];
    const char* at = "/spec/canary/engine";
    if (engine == "kserve" && backend != "kserve")
        return reporter.error(at, "canary engine kserve needs backend kserve",
                              "use engine " + std::string(backend == "seldon" ? "seldon" : "argo") + " with backend " +
                                  backend);
    if (engine == "seldon" && backend != "seldon")
        return reporter.error(at, "canary engine seldon needs backend seldon",
                              "use engine " + std::string(backend == "kserve" ? "kserve or argo" : "argo") +
                                  " with backend " + backend);
    if (engine == "kserve" && mode == "Standard" && !version_at_least(version, 0, 20))
        return reporter.error(at, "a KServe canary in Standard mode needs KServe 0.20 or later (spec.kserve.version is \"" +
                                      version + "\")",
                              "before 0.20 KServe ignores canaryTrafficPercent in Standard mode; set kserve.version: "
                              "\"0.20\" if the cluster runs it, use mode Knative, or engine argo");
    if (engine == "argo" && !(backend == "deployment" || (backend == "kserve" && mode == "Standard")))
        return reporter.error(at, "canary engine argo needs KServe Standard mode or backend deployment",
                              backend == "seldon" ? "Seldon's operator reverts changes to its Deployments; use engine seldon"
                                                  : "in Knative mode there is no Deployment for a Rollout to take over; "
                                                    "set kserve.mode: Standard or use engine kserve");
    if ((strategy == "abtest" || strategy == "shadow") && engine != "seldon")
        return reporter.error("/spec/canary/strategy", "strategy " + strategy + " needs the seldon engine (backend seldon)",
                              "use strategy canary with engine " + engine);
    if (canary.contains("trafficRouting") && engine != "argo")
        return reporter.error("/spec/canary/trafficRouting", "trafficRouting is used only with engine argo",
                              "remove trafficRouting; engine " + engine + " routes traffic itself");
    return {};
}

core::Result<void> check_steps(const Json& canary, Reporter& reporter) {
    const Json& steps = canary["steps"];
    if (steps.empty())
        return reporter.error("/spec/canary/steps", "steps is empty", "list traffic percents, e.g. [10, 50, 100]");
    long long previous = 0;
    for (size_t i = 0; i < steps.size(); ++i) {
        long long step = steps[i];
        std::string at = "/spec/canary/steps/" + std::to_string(i);
        if (step < 1 || step > 100)
            return reporter.error(at, "step " + std::to_string(step) + " is outside 1..100",
                                  "each step is the percent of traffic the new version gets");
        if (step <= previous)
            return reporter.error(at, "steps must increase: " + std::to_string(step) + " follows " + std::to_string(previous),
                                  "list each percent once, smallest first, e.g. [10, 25, 50, 100]");
        previous = step;
    }
    return {};
}

core::Result<void> check_canary_parts(const Json& spec, Reporter& reporter) {
    const Json& canary = spec["canary"];
    const Json& model = canary["model"];
    if (model.empty())
        return reporter.error("/spec/canary/model", "canary.model changes nothing",
                              "set what the new version changes, e.g. canary.model.storageUri");
    // The canary is spec.model with these fields replaced; it must still be a complete model.
    auto merged = [&](const char* key) { return model.contains(key) ? model[key] : spec["model"][key]; };
    if (merged("format") == "custom" && merged("image") == "")
        return reporter.error("/spec/canary/model", "the canary's format is custom but it has no image",
                              "add image under spec.canary.model");
    if (merged("format") != "custom" && spec["backend"] != "deployment" && merged("storageUri") == "")
        return reporter.error("/spec/canary/model", "the canary's model has no storageUri",
                              "add storageUri under spec.canary.model");
    if (model.contains("resources") && model["resources"].value("gpu", 0LL) < 0)
        return reporter.error("/spec/canary/model/resources/gpu", "gpu must be 0 or more", "use 0 or more");
    if (canary.contains("analysis")) {
        const Json& analysis = canary["analysis"];
        if (analysis["maxErrorRate"] == "" && analysis["maxLatencyP95"] == "")
            return reporter.error("/spec/canary/analysis", "the analysis sets no threshold",
                                  "set maxErrorRate (e.g. \"1%\") or maxLatencyP95 (e.g. 500ms)");
        if (analysis["failureLimit"].get<long long>() < 0)
            return reporter.error("/spec/canary/analysis/failureLimit", "failureLimit must be 0 or more", "e.g. 1");
    }
    if (canary.contains("trafficRouting")) {
        std::string gateway = canary["trafficRouting"]["istio"]["gateway"];
        if (!gateway.empty()) {
            for (const auto& part : core::split(gateway, '/'))
                if (!dns_label_problem(part).empty() || std::count(gateway.begin(), gateway.end(), '/') > 1)
                    return reporter.error("/spec/canary/trafficRouting/istio/gateway",
                                          "invalid gateway \"" + gateway.substr(0, 64) + "\"",
                                          "write namespace/name or name, e.g. istio-system/ml-gateway");
        }
        std::string host = canary["trafficRouting"]["istio"]["host"];
        if (auto problem = dns_subdomain_problem(host); !problem.empty())
            return reporter.error("/spec/canary/trafficRouting/istio/host", "invalid host: " + problem,
                                  "e.g. fraud-detection.example.com");
    }
    return {};
}

bool valid_pointer(const std::string& pointer) {
    if (!pointer.empty() && pointer.front() != '/') return false;
    for (size_t i = 0; i < pointer.size(); ++i)
        if (pointer[i] == '~' && (i + 1 == pointer.size() || (pointer[i + 1] != '0' && pointer[i + 1] != '1')))
            return false;
    return true;
}

core::Result<void> check_json_patch(const Json& ops, const std::string& pointer, Reporter& reporter) {
    static const std::vector<std::string> members = {"op", "path", "value", "from"};
    static const std::vector<std::string> names = {"add", "remove", "replace", "move", "copy", "test"};
    for (size_t i = 0; i < ops.size(); ++i) {
        const Json& op = ops[i];
        std::string at = pointer + "/" + std::to_string(i);
        if (!op.is_object())
            return reporter.error(at, "a JSON patch operation is a map",
                                  "write {op: replace, path: /spec/replicas, value: 3}");
        for (const auto& [key, unused] : op.items()) {
            if (std::find(members.begin(), members.end(), key) != members.end()) continue;
            auto best = key.size() <= 64 ? core::closest_match(key, members) : std::string();
            return reporter.error(core::pointer_append(at, key), "unknown member \"" + key.substr(0, 64) + "\" in a JSON patch operation",
                                  best.empty() ? "members are op, path, value and from" : "did you mean '" + best + "'?");
        }
        if (!op.contains("op") || !op["op"].is_string() ||
            std::find(names.begin(), names.end(), op["op"].get<std::string>()) == names.end())
            return reporter.error(op.contains("op") ? at + "/op" : at, "op must be one of: " + join(names),
                                  "RFC 6902 operations: add, remove, replace, move, copy, test");
        std::string name = op["op"];
        for (const char* key : {"path", "from"}) {
            bool needed = std::string(key) == "path" || name == "move" || name == "copy";
            if (!op.contains(key)) {
                if (needed)
                    return reporter.error(at, "a " + name + " operation needs \"" + key + "\"",
                                          "a JSON pointer such as /spec/template/spec/containers/0/image");
                continue;
            }
            if (!op[key].is_string() || !valid_pointer(op[key].get<std::string>()))
                return reporter.error(at + "/" + key, std::string(key) + " must be a JSON pointer",
                                      "start with '/', escape '~' as ~0 and '/' as ~1, e.g. /metadata/labels/app");
        }
        if ((name == "add" || name == "replace" || name == "test") && !op.contains("value"))
            return reporter.error(at, "a " + name + " operation needs \"value\"", "add value: <the new value>");
    }
    return {};
}

} // namespace

core::Result<void> check_canary(const Json& spec, Reporter& reporter) {
    if (!spec.contains("canary")) return {};
    MLSERVE_TRY(check_engine(spec, reporter));
    MLSERVE_TRY(check_steps(spec["canary"], reporter));
    return check_canary_parts(spec, reporter);
}

core::Result<void> check_overrides(const Json& spec, Reporter& reporter) {
    const Json& overrides = spec["overrides"];
    for (size_t i = 0; i < overrides.size(); ++i) {
        const Json& o = overrides[i];
        std::string at = "/spec/overrides/" + std::to_string(i);
        std::string kind = o["target"]["kind"];
        const auto& kinds = rendered_kinds();
        if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
            if (auto best = kind.size() <= 64 ? core::closest_match(kind, kinds) : std::string(); !best.empty())
                return reporter.error(at + "/target/kind", "unknown kind \"" + kind + "\"", "did you mean '" + best + "'?");
            if (kind.empty() || !(kind.front() >= 'A' && kind.front() <= 'Z'))
                return reporter.error(at + "/target/kind", "invalid kind \"" + kind.substr(0, 64) + "\"",
                                      "kinds are written like InferenceService or HorizontalPodAutoscaler");
        }
        bool merge = o.contains("mergePatch"), json = o.contains("jsonPatch");
        if (merge == json)
            return reporter.error(at, merge ? "an override has both mergePatch and jsonPatch"
                                            : "an override needs mergePatch or jsonPatch",
                                  "write exactly one: mergePatch (RFC 7386) or jsonPatch (RFC 6902)");
        if (json) MLSERVE_TRY(check_json_patch(o["jsonPatch"], at + "/jsonPatch", reporter));
    }
    return {};
}

} // namespace mlserve::spec::detail
