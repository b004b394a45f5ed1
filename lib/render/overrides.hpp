#pragma once
// The spec's `overrides`: post-render patches for what the templates do not cover.

#include "core/error.hpp"
#include "core/json.hpp"
#include "render/render.hpp"

namespace mlserve::render {

/// Applies `spec.overrides` of `spec` (each {target: {kind, name?, apiVersion?}, mergePatch | jsonPatch}) in
/// order to every matching manifest. Errors (exit 2) carry the spec's file:line:col and the field path:
/// a target that matches nothing (the hint lists what was rendered), an invalid entry, or a failing patch
/// operation (path spec.overrides[I].jsonPatch[J]).
core::Result<void> apply_overrides(ManifestSet& manifests, const core::Document& spec);

} // namespace mlserve::render
