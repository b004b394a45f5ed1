#pragma once
// The `render` verb: -f inputs -> specs -> manifests -> stdout or --out-dir.

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "render/output.hpp"

namespace mlserve::render {

struct RenderRequest {
    std::vector<std::string> inputs; ///< -f values: spec files, directories of specs, "-" for stdin
    OutputFormat output = OutputFormat::yaml;
    std::string out_dir;             ///< non-empty: one YAML file per object under this directory
    std::string templates_dir;       ///< --templates: laid over the embedded templates
    bool show_defaults = false;      ///< print the loaded specs with every default instead of manifests
};

/// Receives the loader's warnings as they are found (the CLI prints them on stderr).
using WarningSink = std::function<void(const core::Error&)>;

/// Loads the specs of the inputs (directories walked in sorted path order) one at a time, renders each and
/// writes its manifests to `out` before reading the next, so memory does not grow with the number of specs:
/// YAML documents, one JSON v1 List (written item by item), or names; with --out-dir one file per object
/// under the directory and the paths written to `out`, one per line. Objects rendered identically by two
/// specs (a shared Namespace) are written once, where they first appear; the same identity rendered
/// differently is an error. Errors (exit 2): bad inputs, a spec that does not load, template or override
/// failures, such a conflict, conflicting options; an out-dir path that collides or escapes (see
/// OutDirWriter). An error stops the run: what earlier specs produced has been written already (an
/// unfinished JSON List stays unclosed, so that it does not parse). Side effects: writes `out`, files
/// under out_dir, warnings to `warn`.
core::Result<void> run_render(const RenderRequest& request, std::ostream& out, const WarningSink& warn);

/// What the buffered form produced: the text for stdout and the loader's warnings (for stderr).
struct RenderOutput {
    std::string text;
    std::vector<core::Error> warnings;
};

/// run_render into memory, for callers that want all or nothing: on error no text is returned (files
/// already written under out_dir stay).
core::Result<RenderOutput> run_render(const RenderRequest& request);

} // namespace mlserve::render
