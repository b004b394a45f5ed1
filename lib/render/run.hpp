#pragma once
// The `render` verb: -f inputs -> specs -> manifests -> stdout or --out-dir.

#include <string>
#include <vector>

#include "core/error.hpp"

namespace mlserve::render {

enum class OutputFormat { yaml, json, name };

struct RenderRequest {
    std::vector<std::string> inputs; ///< -f values: spec files, directories of specs, "-" for stdin
    OutputFormat output = OutputFormat::yaml;
    std::string out_dir;             ///< non-empty: one YAML file per object under this directory
    std::string templates_dir;       ///< --templates: laid over the embedded templates
    bool show_defaults = false;      ///< print the loaded specs with every default instead of manifests
};

/// What the verb produced: the text for stdout and the loader's warnings (for stderr).
struct RenderOutput {
    std::string text;
    std::vector<core::Error> warnings;
};

/// Loads every spec of the inputs (directories walked in sorted order), renders each, and returns what goes
/// to stdout (and the loader's warnings): the manifests of all specs in input order as YAML, a JSON v1 List
/// or names; with --out-dir the files are written and the paths written are returned, one per line.
/// Objects rendered identically by two specs (a shared Namespace) appear once. Errors (exit 2): bad inputs,
/// a spec that does not load, template or override failures, two specs rendering different objects with the
/// same identity, conflicting options. Side effect: writes files under out_dir.
core::Result<RenderOutput> run_render(const RenderRequest& request);

} // namespace mlserve::render
