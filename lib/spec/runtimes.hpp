#pragma once
// Which serving runtime runs which model format over which protocol: our own table of facts about KServe's
// built-in ClusterServingRuntimes and Seldon Core v1's prepackaged servers, compiled into the binary.
// tests/unit/spec/test_runtimes.cpp checks the KServe half against the upstream manifests.

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mlserve::spec {

/// One `supportedModelFormats` entry of a ClusterServingRuntime. `priority` 0 means "not set".
struct RuntimeFormat {
    std::string_view name;
    std::string_view version; ///< "" when the runtime lists no version
    bool auto_select = false;
    int priority = 0;
};

/// A KServe ClusterServingRuntime as far as runtime selection and checks need it.
struct KserveRuntime {
    std::string_view name;
    std::vector<RuntimeFormat> formats;
    std::vector<std::string_view> protocols; ///< in the manifest's order; empty means any protocol
    bool installed_by_default = true;        ///< listed in KServe's config/runtimes kustomization
    bool multinode = false;                  ///< has a workerSpec (never auto-selected for a single-node model)
    bool gpu = false;                        ///< its image can use an NVIDIA GPU (a -gpu tag or a CUDA build)
};

/// Every built-in ClusterServingRuntime of KServe v0.20 (also those not installed by default).
std::span<const KserveRuntime> kserve_runtimes();

/// The runtime named `name`, or nullptr.
const KserveRuntime* find_kserve_runtime(std::string_view name);

/// True when `runtime` serves `format` (any entry, autoSelect or not, as KServe checks an explicit runtime)
/// and, when `format_version` is not empty, that exact version.
bool runtime_serves(const KserveRuntime& runtime, std::string_view format, std::string_view format_version);

/// True when `runtime` accepts `protocol` (an empty protocol list accepts every protocol).
bool runtime_speaks(const KserveRuntime& runtime, std::string_view protocol);

/// The runtime KServe would pick for a model with no `runtime` set: default-installed, single-node runtimes
/// whose autoSelect formats hold the `mt:<format>[:<version>]` label and that speak `protocol` ("" = any),
/// highest priority for the format first (runtimes without a priority last, ties in table order).
/// nullptr when none does.
const KserveRuntime* select_kserve_runtime(std::string_view format, std::string_view protocol,
                                           std::string_view format_version = {});

/// A Seldon Core v1 prepackaged server (`graph.implementation`).
struct SeldonServer {
    std::string_view implementation;
    std::vector<std::string_view> formats;
    std::vector<std::string_view> protocols; ///< our protocol names; v1 = Seldon's "seldon"/"tensorflow" protocol
};

/// Seldon Core v1's prepackaged servers that our formats map to, in order of preference.
std::span<const SeldonServer> seldon_servers();

/// The server named `implementation`, or nullptr.
const SeldonServer* find_seldon_server(std::string_view implementation);

/// The first prepackaged server serving `format` over `protocol` ("" = any), or nullptr.
const SeldonServer* select_seldon_server(std::string_view format, std::string_view protocol);

/// Names for messages: "a, b, c".
std::string join_names(std::span<const std::string_view> names);

} // namespace mlserve::spec
