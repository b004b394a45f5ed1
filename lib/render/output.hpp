#pragma once
// What render prints or writes: canonical YAML, a v1 List as JSON, kubectl-style names, one file per object.

#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/json.hpp"
#include "render/render.hpp"

namespace mlserve::render {

/// Canonical multi-document YAML: each object as one document after "---" (core::to_yaml_stream).
std::string to_yaml_output(const ManifestSet& manifests);

/// {"apiVersion": "v1", "kind": "List", "items": [...]} indented by 4 spaces as `kubectl -o json` prints.
std::string to_json_list(const ManifestSet& manifests);

/// One "kind.group/name" line per object as `kubectl -o name` prints ("service/x", "deployment.apps/x").
std::string to_names(const ManifestSet& manifests);

/// The file an object goes to under --out-dir: "<namespace>/<kind>-<name>.yaml", or "<kind>-<name>.yaml"
/// for a cluster-scoped object. Every part is lowercased and keeps only [a-z0-9.-] (others become '-'),
/// never starts with '.', and is never empty, so the path is relative and cannot leave the directory.
std::string out_dir_path(const core::Json& object);

/// One file for --out-dir.
struct OutputFile {
    std::string path;   ///< relative to the output directory (out_dir_path)
    std::string text;
    std::string origin; ///< what produced it, for collision messages ("specs/a.yaml: kserve/isvc.yaml")
};

/// Creates `dir` if needed and writes every file into it; returns the paths written (dir/path). Nothing is
/// written when two files share a path (exit 2, naming both origins) or a path would resolve outside `dir`
/// through a symbolic link (exit 2). Errors writing are exit 1. Existing files are overwritten.
core::Result<std::vector<std::string>> write_out_dir(const std::string& dir, const std::vector<OutputFile>& files);

} // namespace mlserve::render
