#pragma once
// spec -> context -> templates -> overrides -> manifests.

#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/json.hpp"
#include "spec/spec.hpp"

namespace mlserve::render {

/// One rendered Kubernetes object and the template it came from.
struct Manifest {
    core::Json object;
    std::string source; ///< template path relative to the template root, e.g. "kserve/inferenceservice.yaml"
};

/// Objects in canonical order (see render.cpp: by kind order, then namespace, then name).
using ManifestSet = std::vector<Manifest>;

struct RenderOptions {
    std::string templates_dir; ///< empty: the embedded templates; else files under this dir replace them
};

/// Renders one loaded spec into its manifests, with the spec's `overrides` applied.
core::Result<ManifestSet> render(const spec::LoadedSpec& spec, const RenderOptions& options = {});

} // namespace mlserve::render
