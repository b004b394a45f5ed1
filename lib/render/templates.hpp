#pragma once
// The template files render evaluates: the embedded ones, overlaid by a --templates directory.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace mlserve::render {

struct TemplateFile {
    std::string path;   ///< relative to the template root, e.g. "kserve/inferenceservice.yaml"
    std::string origin; ///< the file name for messages: "templates/<path>" when embedded, else "<dir>/<path>"
    /// The file's YAML. Embedded files point into the binary (nothing copied: render reads `packed` instead);
    /// files from disk into `storage`.
    std::string_view text;
    std::string_view packed; ///< an embedded file's documents parsed at build time; empty for files from disk
    std::shared_ptr<const std::string> storage = {}; ///< the text of a file read from disk
};

/// The embedded templates (embedded_templates()) with every *.yaml below `dir` laid over them: a file with
/// the same relative path replaces the embedded one (an empty file disables it), other files are added.
/// Sorted by path. An empty `dir` gives the embedded templates. Errors (exit 2): `dir` missing or unreadable.
core::Result<std::vector<TemplateFile>> template_files(const std::string& dir);

} // namespace mlserve::render
