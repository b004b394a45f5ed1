#include "spec/runtimes.hpp"

#include <algorithm>

namespace mlserve::spec {
namespace {

// Facts from KServe v0.20's config/runtimes (formats, autoSelect, priority, protocolVersions, workerSpec) and
// its kustomization (which runtimes a default install creates). `gpu` follows UpdateImageTag and the images:
// TF Serving, TorchServe and the Hugging Face server switch to a -gpu tag, Triton and vLLM are CUDA builds.
const std::vector<KserveRuntime>& runtime_table() {
    static const std::vector<KserveRuntime> table = {
        {"kserve-sklearnserver", {{"sklearn", "1", true, 1}}, {"v1", "v2"}, true, false, false},
        {"kserve-xgbserver", {{"xgboost", "2", true, 1}}, {"v1", "v2"}, true, false, false},
        {"kserve-lgbserver", {{"lightgbm", "4", true, 1}}, {"v1", "v2"}, true, false, false},
        {"kserve-pmmlserver", {{"pmml", "3", true, 1}, {"pmml", "4", true, 1}}, {"v1", "v2"}, true, false, false},
        {"kserve-paddleserver", {{"paddle", "2", true, 1}}, {"v1", "v2"}, true, false, false},
        {"kserve-autogluonserver", {{"autogluon", "1", true, 1}}, {"v1", "v2"}, true, false, false},
        {"kserve-predictiveserver",
         {{"sklearn", "1", false, 3}, {"xgboost", "2", false, 3}, {"lightgbm", "4", false, 3}},
         {"v1", "v2"},
         true,
         false,
         false},
        {"kserve-mlserver",
         {{"sklearn", "0", true, 2},
          {"sklearn", "1", true, 2},
          {"xgboost", "1", true, 2},
          {"xgboost", "2", true, 2},
          {"lightgbm", "3", true, 2},
          {"lightgbm", "4", true, 2},
          {"mlflow", "1", true, 1},
          {"mlflow", "2", true, 1}},
         {"v2"},
         true,
         false,
         false},
        {"kserve-tensorflow-serving",
         {{"tensorflow", "1", true, 2}, {"tensorflow", "2", true, 2}},
         {"v1", "grpc-v1"},
         true,
         false,
         true},
        {"kserve-torchserve", {{"pytorch", "1", true, 2}}, {"v1", "v2", "grpc-v2"}, true, false, true},
        {"kserve-tritonserver",
         {{"tensorrt", "8", true, 1},
          {"tensorflow", "1", true, 1},
          {"tensorflow", "2", true, 1},
          {"onnx", "1", true, 1},
          {"pytorch", "1", false, 0},
          {"triton", "2", true, 1}},
         {"v2", "grpc-v2"},
         true,
         false,
         true},
        {"kserve-huggingfaceserver", {{"huggingface", "1", true, 1}}, {"v2", "v1"}, true, false, true},
        {"kserve-huggingfaceserver-multinode", {{"huggingface", "1", true, 2}}, {"v2", "v1"}, true, true, true},
        {"kserve-vllmserver", {{"vLLM", "1", true, 1}}, {}, true, false, true},
        {"kserve-openvino",
         {{"openvino", "10", true, 1}, {"onnx", "1", true, 2}, {"tensorflow", "1", true, 3}, {"huggingface", "", true, 0}},
         {"v1", "v2", "grpc-v2"},
         false,
         false,
         false},
    };
    return table;
}

// Seldon Core v1 prepack.go servers; SKLEARN/XGBOOST/MLFLOW run MLServer for protocol v2, Triton speaks only v2,
// TF Serving only the tensorflow protocol, and the Hugging Face server is an MLServer runtime (v2).
const std::vector<SeldonServer>& seldon_table() {
    static const std::vector<SeldonServer> table = {
        {"SKLEARN_SERVER", {"sklearn"}, {"v2", "v1"}},
        {"XGBOOST_SERVER", {"xgboost"}, {"v2", "v1"}},
        {"MLFLOW_SERVER", {"mlflow"}, {"v2", "v1"}},
        {"TENSORFLOW_SERVER", {"tensorflow"}, {"v1"}},
        {"TRITON_SERVER", {"triton", "onnx", "pytorch", "tensorflow"}, {"v2", "grpc-v2"}},
        {"HUGGINGFACE_SERVER", {"huggingface"}, {"v2"}},
    };
    return table;
}

// KServe's ServingRuntimeSpec.GetPriority: the priority of the first entry with the format's name.
int priority_for(const KserveRuntime& runtime, std::string_view format) {
    for (const auto& f : runtime.formats)
        if (f.name == format) return f.priority;
    return 0;
}

} // namespace

std::span<const KserveRuntime> kserve_runtimes() { return runtime_table(); }

const KserveRuntime* find_kserve_runtime(std::string_view name) {
    for (const auto& runtime : runtime_table())
        if (runtime.name == name) return &runtime;
    return nullptr;
}

bool runtime_serves(const KserveRuntime& runtime, std::string_view format, std::string_view format_version) {
    return std::any_of(runtime.formats.begin(), runtime.formats.end(), [&](const RuntimeFormat& f) {
        return f.name == format && (format_version.empty() || f.version == format_version);
    });
}

bool runtime_speaks(const KserveRuntime& runtime, std::string_view protocol) {
    return runtime.protocols.empty() ||
           std::find(runtime.protocols.begin(), runtime.protocols.end(), protocol) != runtime.protocols.end();
}

const KserveRuntime* select_kserve_runtime(std::string_view format, std::string_view protocol,
                                           std::string_view format_version) {
    std::vector<const KserveRuntime*> candidates;
    for (const auto& runtime : runtime_table()) {
        if (!runtime.installed_by_default || runtime.multinode) continue;
        bool labelled = std::any_of(runtime.formats.begin(), runtime.formats.end(), [&](const RuntimeFormat& f) {
            return f.auto_select && f.name == format && (format_version.empty() || f.version == format_version);
        });
        if (labelled && (protocol.empty() || runtime_speaks(runtime, protocol))) candidates.push_back(&runtime);
    }
    std::stable_sort(candidates.begin(), candidates.end(), [&](const KserveRuntime* a, const KserveRuntime* b) {
        int pa = priority_for(*a, format), pb = priority_for(*b, format);
        if (pa == 0 || pb == 0) return pa != 0 && pb == 0;
        return pa > pb;
    });
    return candidates.empty() ? nullptr : candidates.front();
}

std::span<const SeldonServer> seldon_servers() { return seldon_table(); }

const SeldonServer* find_seldon_server(std::string_view implementation) {
    for (const auto& server : seldon_table())
        if (server.implementation == implementation) return &server;
    return nullptr;
}

const SeldonServer* select_seldon_server(std::string_view format, std::string_view protocol) {
    for (const auto& server : seldon_table()) {
        bool serves = std::find(server.formats.begin(), server.formats.end(), format) != server.formats.end();
        bool speaks = protocol.empty() ||
                      std::find(server.protocols.begin(), server.protocols.end(), protocol) != server.protocols.end();
        if (serves && speaks) return &server;
    }
    return nullptr;
}

std::string join_names(std::span<const std::string_view> names) {
    std::string out;
    for (size_t i = 0; i < names.size(); ++i) (out += i ? ", " : "") += names[i];
    return out;
}

} // namespace mlserve::spec
