#pragma once
// For template authors: evaluate one template file against a context file, and export the built-in
// templates to customise them (`kubectl mlserve templates eval|export`).

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "render/embedded.hpp"

namespace mlserve::tmpl {

struct EvalFileOptions {
    std::string template_path;
    std::string context_path;           ///< YAML or JSON; "-" is standard input; "": an empty context
    std::string output = "yaml";        ///< yaml | json
    std::optional<std::string> now;     ///< ISO 8601 time for $fromNow; default: the system clock
};

/// Evaluates every document of the template file against the context (one YAML/JSON object) and
/// formats the results: YAML documents separated by "---" (documents that evaluate to nothing are left
/// out), or JSON (one value, or an array for several documents). Errors (exit 2) locate the problem in
/// the template or context file. Reads files; writes nothing.
core::Result<std::string> eval_template_file(const EvalFileOptions& options);

/// Writes each file under `dir` (creating folders), refusing to overwrite an existing file unless
/// `force`. Nothing is written when any file exists and `force` is false. Returns the written paths.
core::Result<std::vector<std::string>> export_templates(std::span<const render::EmbeddedFile> files,
                                                        const std::string& dir, bool force);

} // namespace mlserve::tmpl
