#include "spec/starter.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "core/text.hpp"
#include "core/yaml.hpp"
#include "spec/names.hpp"
#include "spec/schema.hpp"
#include "spec/spec.hpp"

namespace mlserve::spec {
namespace {

constexpr size_t k_comment_column = 36;

// One line of YAML with its comment aligned.
std::string line(const std::string& text, const std::string& comment = {}) {
    if (comment.empty()) return text + "\n";
    std::string out = text;
    out.append(out.size() < k_comment_column ? k_comment_column - out.size() : 1, ' ');
    return out + "# " + comment + "\n";
}

core::Result<void> check_choice(const std::string& flag, const std::string& value, const char* field) {
    const auto& allowed = find_field(field)->allowed;
    if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return {};
    std::string all;
    for (const auto& a : allowed) (all += all.empty() ? "" : ", ") += a;
    std::string best = value.size() <= 64 ? core::closest_match(value, allowed) : std::string();
    return core::input_error("unsupported " + flag + " \"" + value.substr(0, 64) + "\"", {}, {},
                             best.empty() ? "one of: " + all : "did you mean '" + best + "'? one of: " + all);
}

struct Parts {
    std::string format, backend, name, ns;
    std::string runtime, protocol; ///< the defaults, shown as comments
};

std::string model_section(const Parts& p) {
    bool custom = p.format == "custom", plain = p.backend == "deployment";
    std::string out = line("  model:");
    out += line("    format: " + p.format, "sklearn xgboost lightgbm tensorflow pytorch onnx triton mlflow huggingface custom");
    if (plain) {
        out += line("    # storageUri: s3://my-bucket/models/" + p.name + "/v1", "optional: the image may hold the model");
    } else if (custom) {
        out += line("    image: registry.example.com/" + p.name + ":1.0", "the container that serves the model");
        out += line("    # storageUri: s3://my-bucket/models/" + p.name + "/v1", "optional, mounted at /mnt/models");
    } else {
        std::string uri = p.format == "huggingface" ? "hf://my-org/" + p.name : "s3://my-bucket/models/" + p.name + "/v1";
        out += line("    storageUri: " + uri, "gs:// s3:// pvc:// hf:// oci:// https:// ...");
        out += line("    # runtime: " + p.runtime, "the default for this format and protocol");
        out += line("    # protocol: " + p.protocol, "v1 | v2 | grpc-v2; default: the runtime's first");
    }
    out += line("    resources:", "requests = limits");
    out += line("      cpu: \"1\"", "Kubernetes quantities: 500m, 2, 1.5");
    out += line("      memory: " + std::string(p.format == "huggingface" ? "8Gi" : "2Gi"), "512Mi, 8Gi");
    out += line("      gpu: 0", "nvidia.com/gpu, whole GPUs");
    out += line("    # env: {LOG_LEVEL: info}", "container environment, strings only");
    return out;
}

std::string body(const Parts& p) {
    bool kserve = p.backend == "kserve", plain = p.backend == "deployment", custom = p.format == "custom";
    std::string out = "# A ModelDeployment: one short spec for the manifests that serve a model.\n"
                      "#   kubectl mlserve render -f FILE                   # the manifests\n"
                      "#   kubectl mlserve render -f FILE --show-defaults   # this spec with every default filled in\n";
    out += line("apiVersion: " + std::string(k_api_version));
    out += line("kind: " + std::string(k_kind));
    out += line("metadata:");
    out += line("  name: " + p.name, "lower-case letters, digits and '-'; " +
                                         std::string(kserve  ? "{name}-predictor-{namespace} at most 63"
                                                     : plain ? "at most 63, 56 with a canary"
                                                             : "at most 55 ({name}-default Service)"));
    out += line("  namespace: " + p.ns, "where every object goes");
    out += line("  # labels: {team: my-team}", "copied onto every object");
    out += line("spec:");
    out += line("  backend: " + p.backend, "kserve | seldon | deployment");
    if (kserve) {
        out += line("  kserve:");
        out += line("    mode: Knative", "Knative (revisions, scale to zero) | Standard");
        out += line("    version: \"0.16\"", "your cluster's KServe, quoted; Standard canaries need \"0.20\"");
    }
    out += model_section(p);
    if (plain) {
        out += line("  deployment:", "a plain Deployment + Service + ConfigMap");
        out += line("    image: registry.example.com/" + p.name + ":1.0", "the serving container");
        out += line("    port: 8080", "the container's HTTP port");
        out += line("    readinessPath: /v2/health/ready", "HTTP readiness probe");
        out += line("    livenessPath: /v2/health/live", "HTTP liveness probe");
        out += line("    # config: {threshold: \"0.5\"}", "ConfigMap data at /etc/model-config");
    }
    out += line("  scaling:");
    out += line("    minReplicas: 1", kserve ? "0 scales to zero (Knative mode only)" : "1 or more");
    out += line("    maxReplicas: 3", "at least minReplicas");
    out += line("    # metric: " + std::string(kserve ? "concurrency" : "cpu"),
                kserve ? "concurrency | rps (Knative) | cpu | memory | custom" : "cpu | memory | custom");
    out += line("    # target: " + std::string(kserve ? "100" : "80"), kserve ? "per pod" : "utilisation percent");
    out += line("  monitoring:");
    out += line("    serviceMonitor: false", "a ServiceMonitor for the model's /metrics");
    out += line("    rules: false", "PrometheusRule alerts from spec.slo");
    out += line("  # slo: {latencyP95: 500ms, latencyP99: 1s, availability: \"99.9%\"}", "durations and percentages");
    if (!plain) {
        out += line("  # canary:", "add while a new version rolls out");
        out += line(std::string("  #   model: {") + (custom ? "image: registry.example.com/" + p.name + ":1.1"
                                                           : "storageUri: s3://my-bucket/models/" + p.name + "/v2") +
                        "}",
                    "only what differs from spec.model");
        out += line("  #   steps: [10, 50, 100]", "percent of traffic at each step");
        out += line("  #   interval: 5m", "pause between steps (Go duration)");
    }
    out += line("  # network: {allowFromNamespaces: [my-gateway]}", "renders a NetworkPolicy");
    return out;
}

} // namespace

core::Result<std::string> starter_spec(const StarterOptions& options) {
    MLSERVE_TRY(check_choice("format", options.format, "spec.model.format"));
    MLSERVE_TRY(check_choice("backend", options.backend, "spec.backend"));
    Parts p{options.format, options.backend, options.name.empty() ? options.format + "-model" : options.name,
            options.namespace_.empty() ? "default" : options.namespace_, {}, {}};
    for (const auto& [flag, value] : {std::pair{"--name", p.name}, std::pair{"--namespace", p.ns}})
        if (auto problem = dns_label_problem(value); !problem.empty())
            return core::input_error("invalid " + std::string(flag) + " \"" + value.substr(0, 64) + "\": " + problem, {},
                                     {}, name_hint(value));
    if (p.backend == "seldon" && p.format == "lightgbm")
        return core::input_error("Seldon Core has no prepackaged server for lightgbm", {}, {},
                                 "use --backend kserve, or --format custom with your own image");
    // The starter must load as it is; loading it also yields the default runtime and protocol it shows
    // (they are comments, so the first text loads the same as the final one).
    auto docs = core::parse_yaml(body(p), "starter.yaml");
    if (!docs.ok()) return std::move(docs).error();
    auto loaded = load_spec(docs->at(0));
    if (!loaded.ok()) return std::move(loaded).error();
    p.runtime = loaded->value()["spec"]["model"]["runtime"];
    p.protocol = loaded->value()["spec"]["model"]["protocol"];
    return body(p);
}

core::Result<std::string> init_spec(const StarterOptions& options) {
    auto text = starter_spec(options);
    if (!text.ok() || options.output.empty() || options.output == "-") return text;
    std::error_code ec;
    if (std::filesystem::exists(options.output, ec) && !options.force)
        return core::input_error(options.output + " already exists", core::SourceLocation{options.output, 0, 0}, {},
                                 "pass --force to replace it, or choose another -o file");
    std::ofstream out(options.output, std::ios::binary | std::ios::trunc);
    out << *text;
    out.close();
    if (!out)
        return core::Error{core::ExitCode::failure, "cannot write " + options.output, "check the directory and its permissions",
                           core::SourceLocation{options.output, 0, 0}, {}, {}};
    return std::string();
}

} // namespace mlserve::spec
