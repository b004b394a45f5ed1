#include "render/context.hpp"

#include <array>
#include <cstdint>
#include <optional>

#include "core/units.hpp"
#include "core/yaml.hpp"
#include "render/patch.hpp"

namespace mlserve::render {

using core::Json;

namespace {

/// Every duration field of the spec, relative to /spec. Templates read them as durationsSeconds.<path>.
constexpr std::array<std::string_view, 9> k_duration_fields = {
    "/canary/interval",
    "/canary/analysis/interval",
    "/canary/analysis/maxLatencyP95",
    "/slo/latencyP95",
    "/slo/latencyP99",
    "/monitoring/interval",
    "/smokeTest/duration",
    "/scaling/behavior/scaleUp/stabilizationWindow",
    "/scaling/behavior/scaleDown/stabilizationWindow",
};

/// Every percentage field of the spec, relative to /spec; derived.fractions.<path> holds them as 0..1.
constexpr std::array<std::string_view, 2> k_percent_fields = {"/canary/analysis/maxErrorRate", "/slo/availability"};

const Json* at_pointer(const Json& root, std::string_view pointer) {
    auto tokens = parse_pointer(pointer);
    if (!tokens) return nullptr;
    const Json* node = &root;
    for (const auto& token : tokens.value()) {
        if (!node->is_object()) return nullptr;
        auto it = node->find(token);
        if (it == node->end()) return nullptr;
        node = &*it;
    }
    return node;
}

/// Sets `value` at `pointer` below `root`, creating objects on the way.
void set_at(Json& root, std::string_view pointer, Json value) {
    auto tokens = parse_pointer(pointer);
    Json* node = &root;
    for (const auto& token : tokens.value()) node = &(*node)[token];
    *node = std::move(value);
}

std::string string_at(const Json& root, std::string_view pointer, std::string fallback = {}) {
    const Json* node = at_pointer(root, pointer);
    return node && node->is_string() ? node->get<std::string>() : fallback;
}

/// A decimal written as digits with `scale` digits after the point, as the nearest double (integral if whole).
Json decimal(std::int64_t digits, int scale) {
    std::int64_t divisor = 1;
    for (int i = 0; i < scale; ++i) divisor *= 10;
    if (digits % divisor == 0) return digits / divisor;
    std::string text = std::to_string(digits);
    if (text.size() <= static_cast<size_t>(scale)) text.insert(0, static_cast<size_t>(scale) + 1 - text.size(), '0');
    text.insert(text.size() - static_cast<size_t>(scale), ".");
    return std::stod(text);
}

/// A Go duration ("300ms", "1.5h", "1h30m") as seconds: integral when whole, else the nearest double.
std::optional<Json> duration_seconds(std::string_view text) {
    auto duration = core::parse_duration(text);
    if (!duration) return std::nullopt;
    return decimal(duration->count(), 9);
}

/// "99.9%" as 0.999 (exact decimal arithmetic, so no 0.9990000000000001); `complement` gives 1 - that.
std::optional<Json> percent_fraction(std::string_view text, bool complement = false) {
    if (text.empty() || text.back() != '%') return std::nullopt;
    text.remove_suffix(1);
    std::int64_t digits = 0;
    int scale = 0;
    bool point = false, any = false;
    for (char c : text) {
        if (c == '.' && !point) {
            point = true;
        } else if (c >= '0' && c <= '9' && scale < 9) {
            digits = digits * 10 + (c - '0');
            scale += point ? 1 : 0;
            any = true;
        } else {
            return std::nullopt;
        }
    }
    if (!any) return std::nullopt;
    std::int64_t hundred = 100;
    for (int i = 0; i < scale; ++i) hundred *= 10;
    return decimal(complement ? hundred - digits : digits, scale + 2);
}

/// {requests, limits} for a resources block {cpu, memory, gpu}; limits equal requests, a GPU only when > 0.
Json kubernetes_resources(const Json* resources) {
    Json requests = Json::object();
    if (resources && resources->is_object()) {
        for (const char* key : {"cpu", "memory"}) {
            auto it = resources->find(key);
            if (it == resources->end()) continue;
            requests[key] = it->is_string() ? it->get<std::string>() : core::format_number(*it);
        }
        auto gpu = resources->find("gpu");
        if (gpu != resources->end()) {
            std::string count = gpu->is_string() ? gpu->get<std::string>() : core::format_number(*gpu);
            if (count != "0" && !count.empty()) requests["nvidia.com/gpu"] = count;
        }
    }
    return Json{{"requests", requests}, {"limits", requests}};
}

/// An env map as a Kubernetes env list [{name, value}], in the order written; [] when absent.
Json env_list(const Json* env) {
    Json list = Json::array();
    if (env && env->is_object())
        for (const auto& [key, value] : env->items())
            list.push_back({{"name", key}, {"value", value.is_string() ? value.get<std::string>() : value.dump()}});
    return list;
}

/// The container port the model server serves Prometheus metrics on, for the metrics Service of
/// templates/common/servicemonitor.yaml: the `prometheus.kserve.io/port` of KServe's ClusterServingRuntimes
/// (TorchServe 8082, Triton 8002, the others 8080), except MLServer, whose metrics server listens on its own
/// `metrics_port` (8082) while kserve-mlserver says 8080; the container port for backend deployment.
Json metrics_port(const Json& body) {
    if (string_at(body, "/backend") == "deployment") {
        const Json* port = at_pointer(body, "/deployment/port");
        return port && port->is_number_integer() ? *port : Json(8080);
    }
    std::string runtime = string_at(body, "/model/runtime");
    if (runtime == "kserve-torchserve" || runtime == "kserve-mlserver") return 8082;
    if (runtime == "kserve-tritonserver") return 8002;
    return 8080;
}

/// "MAJOR.MINOR" (a leading "v" and a patch part are accepted) as a comparable pair.
std::optional<std::pair<int, int>> kserve_version(std::string_view text) {
    if (!text.empty() && text[0] == 'v') text.remove_prefix(1);
    int parts[2] = {0, 0};
    size_t i = 0;
    for (int part = 0; part < 2; ++part) {
        size_t start = i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9' && i - start < 6)
            parts[part] = parts[part] * 10 + (text[i++] - '0');
        if (i == start) return std::nullopt;
        if (part == 0 && (i >= text.size() || text[i++] != '.')) return std::nullopt;
    }
    if (i < text.size() && text[i] != '.') return std::nullopt;
    return std::pair{parts[0], parts[1]};
}

core::Error bad_value(const spec::LoadedSpec& spec, const std::string& pointer, const std::string& what,
                      const std::string& hint) {
    return core::input_error("invalid " + what + " '" + string_at(spec.value(), pointer) + "'",
                             spec.document.location(pointer), core::pointer_to_path(pointer), hint);
}

core::Result<Json> kserve_context(const spec::LoadedSpec& spec) {
    const Json& model = spec.value();
    std::string mode = string_at(model, "/spec/kserve/mode", "Knative");
    if (mode == "Serverless") mode = "Knative";
    if (mode == "RawDeployment") mode = "Standard";
    auto version = kserve_version(string_at(model, "/spec/kserve/version", "0.16"));
    if (!version)
        return bad_value(spec, "/spec/kserve/version", "KServe version",
                         "write the version as MAJOR.MINOR, e.g. \"0.16\"");
    bool old_names = *version < std::pair{0, 16};
    std::string value = mode;
    if (old_names) value = mode == "Knative" ? "Serverless" : "RawDeployment";
    return Json{{"deploymentModeValue", value}, {"standardCanarySupported", *version >= std::pair{0, 20}}};
}

} // namespace

core::Result<Json> build_context(const spec::LoadedSpec& spec) {
    const Json& model = spec.value();
    const Json* spec_node = at_pointer(model, "/spec");
    const Json empty = Json::object();
    const Json& body = spec_node && spec_node->is_object() ? *spec_node : empty;

    std::string name = string_at(model, "/metadata/name");
    Json labels = {{"app.kubernetes.io/name", name},
                   {"app.kubernetes.io/managed-by", "kubectl-mlserve"},
                   {"app.kubernetes.io/part-of", name}};
    if (const Json* user = at_pointer(model, "/metadata/labels"); user && user->is_object())
        for (const auto& [key, value] : user->items()) labels[key] = value;

    auto kserve = kserve_context(spec);
    MLSERVE_TRY(kserve);

    const Json* canary = at_pointer(body, "/canary");
    bool has_canary = canary && canary->is_object();
    Json canary_model = nullptr;
    if (has_canary) {
        const Json* base = at_pointer(body, "/model");
        const Json* changes = at_pointer(*canary, "/model");
        canary_model = merge_patch(base ? *base : Json::object(), changes ? *changes : Json::object());
    }

    Json durations = Json::object();
    for (auto field : k_duration_fields) {
        const Json* node = at_pointer(body, field);
        if (!node || node->is_null() || (node->is_string() && node->get_ref<const std::string&>().empty())) continue;
        std::optional<Json> seconds = node->is_string() ? duration_seconds(node->get<std::string>()) : std::nullopt;
        if (!seconds)
            return bad_value(spec, "/spec" + std::string(field), "duration",
                             "write durations like 500ms, 30s, 5m or 1h");
        set_at(durations, field, std::move(*seconds));
    }

    Json fractions = Json::object();
    for (auto field : k_percent_fields) {
        const Json* node = at_pointer(body, field);
        if (!node || node->is_null() || (node->is_string() && node->get_ref<const std::string&>().empty())) continue;
        std::optional<Json> fraction = node->is_string() ? percent_fraction(node->get<std::string>()) : std::nullopt;
        if (!fraction)
            return bad_value(spec, "/spec" + std::string(field), "percentage",
                             "write percentages like \"1%\" or \"99.9%\"");
        set_at(fractions, field, std::move(*fraction));
        if (field == "/slo/availability")
            set_at(fractions, "/slo/errorBudget", *percent_fraction(node->get<std::string>(), true));
    }

    Json resources = {{"model", kubernetes_resources(at_pointer(body, "/model/resources"))}};
    if (has_canary) resources["canary"] = kubernetes_resources(at_pointer(canary_model, "/resources"));
    for (const char* part : {"transformer", "explainer"})
        if (const Json* node = at_pointer(body, "/" + std::string(part)); node && node->is_object())
            resources[part] = kubernetes_resources(at_pointer(*node, "/resources"));

    Json env = {{"model", env_list(at_pointer(body, "/model/env"))},
                {"canaryModel", has_canary ? env_list(at_pointer(canary_model, "/env")) : Json::array()},
                {"transformer", env_list(at_pointer(body, "/transformer/env"))},
                {"deployment", env_list(at_pointer(body, "/deployment/env"))}};

    // pvc://NAME/path: the claim the model is read from (and that storage.pvc creates).
    Json pvc_name = nullptr;
    std::string uri = string_at(body, "/model/storageUri");
    if (uri.rfind("pvc://", 0) == 0) pvc_name = uri.substr(6, uri.find('/', 6) - 6);

    Json derived = {{"hasCanary", has_canary},
                    {"resources", std::move(resources)},
                    {"env", std::move(env)},
                    {"pvcName", std::move(pvc_name)},
                    {"fractions", std::move(fractions)},
                    {"metricsPort", metrics_port(body)}};

    return Json{{"model", model},
                {"name", name},
                {"namespace", string_at(model, "/metadata/namespace", "default")},
                {"labels", std::move(labels)},
                {"kserve", std::move(*kserve)},
                {"canaryModel", std::move(canary_model)},
                {"durationsSeconds", std::move(durations)},
                {"derived", std::move(derived)}};
}

} // namespace mlserve::render
