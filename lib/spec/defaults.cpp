// The one place where defaults are applied: the table's static defaults and empty values, then the
// defaults that depend on other fields (runtime and protocol, replicas, metric, target, canary engine).
#include <algorithm>

#include "spec/detail.hpp"
#include "spec/runtimes.hpp"

namespace mlserve::spec::detail {
namespace {

using core::Json;

Json empty_value(const Field& field);

// Builds the value of an object field in table order: written values, then defaults for the rest.
Json fill_object(const Field& field, const Json* written) {
    if (field.partial) return written ? *written : Json::object();
    Json out = Json::object();
    for (const auto& child : field.children) {
        const Json* w = nullptr;
        if (written) {
            auto it = written->find(child.name);
            if (it != written->end()) w = &*it;
        }
        if (w) {
            if (child.kind == Kind::object) {
                out[child.name] = fill_object(child, w);
            } else if (child.kind == Kind::object_list && !child.partial) {
                Json items = Json::array();
                for (const auto& item : *w) items.push_back(fill_object(child, &item));
                out[child.name] = std::move(items);
            } else {
                out[child.name] = *w;
            }
        } else if (child.presence == Presence::optional) {
            out[child.name] = child.computed ? Json() : (child.default_value.is_null() ? empty_value(child)
                                                                                         : child.default_value);
        }
    }
    return out;
}

Json empty_value(const Field& field) {
    switch (field.kind) {
    case Kind::string: return "";
    case Kind::integer: return 0;
    case Kind::number: return 0;
    case Kind::boolean: return false;
    case Kind::object: return fill_object(field, nullptr);
    case Kind::string_map:
    case Kind::any_object: return Json::object();
    default: return Json::array();
    }
}

std::string text(const Json& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

struct Choice {
    std::string runtime;
    std::string protocol;
};

core::Result<Choice> choose_kserve(const Json& model, const std::string& pointer, Reporter& reporter) {
    std::string format = text(model, "format"), version = text(model, "formatVersion");
    std::string runtime = text(model, "runtime"), protocol = text(model, "protocol");
    std::string model_label = "format \"" + format + "\"" + (version.empty() ? "" : " version \"" + version + "\"");
    if (!runtime.empty()) {
        const KserveRuntime* known = find_kserve_runtime(runtime);
        if (!known) {
            reporter.warn(pointer + "/runtime", "\"" + runtime + "\" is not a built-in KServe ClusterServingRuntime",
                          "make sure the cluster has a ServingRuntime or ClusterServingRuntime of that name");
            return Choice{runtime, protocol.empty() ? "v1" : protocol};
        }
        if (!runtime_serves(*known, format, version)) {
            std::vector<std::string_view> serving;
            for (const auto& r : kserve_runtimes())
                if (runtime_serves(r, format, version)) serving.push_back(r.name);
            return reporter.error(pointer + "/runtime", "runtime \"" + runtime + "\" does not serve " + model_label,
                                  serving.empty() ? "no built-in runtime serves it; remove formatVersion or runtime"
                                                  : "runtimes that do: " + join_names(serving));
        }
        if (protocol.empty()) protocol = known->protocols.empty() ? "v1" : std::string(known->protocols.front());
        if (!runtime_speaks(*known, protocol))
            return reporter.error(pointer + "/protocol",
                                  "runtime \"" + runtime + "\" does not speak protocol \"" + protocol + "\"",
                                  "it speaks: " + join_names(known->protocols));
        return Choice{runtime, protocol};
    }
    const KserveRuntime* chosen = nullptr;
    if (!protocol.empty()) {
        chosen = select_kserve_runtime(format, protocol, version);
        if (!chosen) {
            std::vector<std::string> options;
            for (const char* p : {"v1", "v2", "grpc-v2"})
                if (const auto* r = select_kserve_runtime(format, p, version))
                    options.push_back(std::string(p) + " (" + std::string(r->name) + ")");
            return reporter.error(pointer + "/protocol",
                                  "no built-in KServe runtime serves " + model_label + " over protocol \"" + protocol + "\"",
                                  options.empty() ? "set spec.model.runtime to a ServingRuntime of your cluster"
                                                  : "protocols that work: " + join(options) +
                                                        "; or set spec.model.runtime to your own ServingRuntime");
        }
        return Choice{std::string(chosen->name), protocol};
    }
    // KServe's default protocol is v1; a format no v1 runtime serves gets its best runtime's first protocol.
    chosen = select_kserve_runtime(format, "v1", version);
    if (!chosen) chosen = select_kserve_runtime(format, "", version);
    if (!chosen) {
        std::vector<std::string> versions;
        for (const auto& r : kserve_runtimes())
            for (const auto& f : r.formats)
                if (f.name == format && f.auto_select && r.installed_by_default && !f.version.empty() &&
                    std::find(versions.begin(), versions.end(), f.version) == versions.end())
                    versions.emplace_back(f.version);
        return reporter.error(pointer + (version.empty() ? "/format" : "/formatVersion"),
                              "no built-in KServe runtime serves " + model_label,
                              versions.empty() ? "set spec.model.runtime to a ServingRuntime of your cluster"
                                               : "versions served: " + join(versions) + "; or remove formatVersion");
    }
    protocol = chosen->protocols.empty() ? "v1" : std::string(chosen->protocols.front());
    chosen = select_kserve_runtime(format, protocol, version);
    return Choice{std::string(chosen->name), protocol};
}

core::Result<Choice> choose_seldon(const Json& model, const std::string& pointer, Reporter& reporter) {
    std::string format = text(model, "format"), runtime = text(model, "runtime"), protocol = text(model, "protocol");
    std::vector<std::string_view> names;
    for (const auto& s : seldon_servers()) names.push_back(s.implementation);
    const SeldonServer* server = nullptr;
    if (!runtime.empty()) {
        server = find_seldon_server(runtime);
        if (!server)
            return reporter.error(pointer + "/runtime", "\"" + runtime + "\" is not a Seldon Core prepackaged server",
                                  "with backend seldon, runtime is one of: " + join_names(names) +
                                      "; for your own image use format custom");
        if (std::find(server->formats.begin(), server->formats.end(), format) == server->formats.end())
            return reporter.error(pointer + "/runtime", runtime + " does not serve format \"" + format + "\"",
                                  "it serves: " + join_names(server->formats));
    } else {
        server = select_seldon_server(format, protocol);
        if (!server) {
            bool any = select_seldon_server(format, "") != nullptr;
            return reporter.error(pointer + (any ? "/protocol" : "/format"),
                                  any ? "no Seldon Core prepackaged server serves format \"" + format +
                                            "\" over protocol \"" + protocol + "\""
                                      : "Seldon Core has no prepackaged server for format \"" + format + "\"",
                                  any ? "remove protocol to get the server's default"
                                      : "use backend kserve, or format custom with your own image");
        }
    }
    if (protocol.empty()) protocol = std::string(server->protocols.front());
    if (std::find(server->protocols.begin(), server->protocols.end(), protocol) == server->protocols.end())
        return reporter.error(pointer + "/protocol",
                              std::string(server->implementation) + " does not speak protocol \"" + protocol + "\"",
                              "it speaks: " + join_names(server->protocols));
    return Choice{std::string(server->implementation), protocol};
}

core::Result<Choice> choose(const std::string& backend, const Json& model, const std::string& pointer,
                            Reporter& reporter) {
    std::string runtime = text(model, "runtime"), protocol = text(model, "protocol");
    if (backend == "deployment") return Choice{runtime, protocol.empty() ? "v2" : protocol};
    if (text(model, "format") == "custom") return Choice{runtime, protocol.empty() ? "v1" : protocol};
    if (backend == "seldon") return choose_seldon(model, pointer, reporter);
    return choose_kserve(model, pointer, reporter);
}

// A canary that changes format, version, runtime or protocol gets its own runtime and protocol.
core::Result<void> choose_for_canary(const std::string& backend, const Json& stable, Json& overlay,
                                     Reporter& reporter) {
    bool touches = false;
    for (const char* key : {"format", "formatVersion", "runtime", "protocol"}) touches |= overlay.contains(key);
    if (!touches) return {};
    Json merged = stable;
    bool same_format = !overlay.contains("format") || overlay["format"] == stable["format"];
    merged["runtime"] = overlay.value("runtime", "");
    merged["protocol"] = overlay.value("protocol", same_format ? stable.value("protocol", "") : std::string());
    for (const char* key : {"format", "formatVersion"})
        if (overlay.contains(key)) merged[key] = overlay[key];
    auto choice = choose(backend, merged, "/spec/canary/model", reporter);
    if (!choice.ok()) return std::move(choice).error();
    if (choice->runtime != stable["runtime"] || overlay.contains("runtime")) overlay["runtime"] = choice->runtime;
    if (choice->protocol != stable["protocol"] || overlay.contains("protocol")) overlay["protocol"] = choice->protocol;
    return {};
}

int default_target(const std::string& metric) {
    if (metric == "cpu" || metric == "memory") return 80; // KServe's default targetUtilizationPercentage
    if (metric == "custom") return 0;                     // the target is customMetric.target
    return 100;                                           // Knative's default concurrency target
}

} // namespace

core::Result<Json> apply_defaults(const Json& written, Reporter& reporter) {
    Json out = fill_object(model_deployment_schema(), &written);
    Json& spec = out["spec"];
    std::string backend = spec["backend"];
    bool knative = backend == "kserve" && spec["kserve"]["mode"] == "Knative";

    Json& model = spec["model"];
    auto choice = choose(backend, model, "/spec/model", reporter);
    if (!choice.ok()) return std::move(choice).error();
    model["runtime"] = choice->runtime;
    model["protocol"] = choice->protocol;

    Json& scaling = spec["scaling"];
    if (scaling["maxReplicas"].is_null())
        scaling["maxReplicas"] = std::max<long long>(scaling["minReplicas"].get<long long>(), 1);
    if (scaling["metric"].is_null()) scaling["metric"] = knative ? "concurrency" : "cpu";
    if (scaling["target"].is_null()) scaling["target"] = default_target(scaling["metric"]);

    if (spec.contains("canary")) {
        Json& canary = spec["canary"];
        if (canary["engine"].is_null())
            canary["engine"] = backend == "kserve" ? "kserve" : backend == "seldon" ? "seldon" : "argo";
        MLSERVE_TRY(choose_for_canary(backend, model, canary["model"], reporter));
    }
    return out;
}

} // namespace mlserve::spec::detail
