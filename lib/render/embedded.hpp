#pragma once
// The built-in templates, embedded at build time from templates/ (see cmake/embed_templates.cmake).

#include <span>
#include <string_view>

namespace mlserve::render {

struct EmbeddedFile {
    std::string_view path; ///< relative to templates/, e.g. "kserve/inferenceservice.yaml"
    std::string_view text;
    std::string_view packed = {}; ///< the text's documents as parsed at build time (core::pack_documents)
};

/// Every embedded template file, sorted by path.
std::span<const EmbeddedFile> embedded_templates();

} // namespace mlserve::render
