#pragma once
// The ModelDeployment spec: strict loading, defaults applied in one place, checks before rendering.

#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/json.hpp"

namespace mlserve::spec {

/// A ModelDeployment as loaded: `document.value` holds the spec with every default applied (the shape of
/// DESIGN.md §3, finalised in lib/spec/), `document.positions` where each written field came from.
struct LoadedSpec {
    core::Document document;
    /// Non-fatal findings with location and hint (a legacy mode name normalised, a GPU on a CPU-only runtime,
    /// a runtime that is not built into KServe). The CLI prints them as warnings.
    std::vector<core::Error> warnings;
    const core::Json& value() const { return document.value; }
};

/// Spec files larger than this are refused before parsing (no spec needs more than a few kilobytes).
inline constexpr size_t k_max_spec_bytes = 1u << 20;

/// Checks one parsed document strictly (unknown fields, types, names, quantities, durations, percentages,
/// canary steps, replicas, storage URIs, format/runtime/protocol, GPUs), then applies defaults.
/// Errors (exit 2) carry file:line:col, the field path and a hint.
core::Result<LoadedSpec> load_spec(const core::Document& document);

/// Reads a file ("-" for stdin) holding one or more ModelDeployment documents.
core::Result<std::vector<LoadedSpec>> load_spec_file(const std::string& path);

} // namespace mlserve::spec
