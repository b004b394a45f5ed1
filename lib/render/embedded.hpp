#pragma once
// The built-in templates, embedded at build time from templates/ (see cmake/embed_templates.cmake): the source
// text of each file, and its documents as the build parsed them (render/encoded.hpp), so that render parses
// no YAML at start-up and a template that does not parse fails the build.

#include <span>
#include <string_view>

namespace mlserve::render {

struct EmbeddedFile {
    std::string_view path; ///< relative to templates/, e.g. "kserve/inferenceservice.yaml"
    std::string_view text;    ///< the file exactly as in templates/, comments included (templates export)
    std::string_view encoded = {}; ///< core::parse_yaml's documents of `text`, as render::encode_documents wrote them
};

/// Every embedded template file, sorted by path.
std::span<const EmbeddedFile> embedded_templates();

} // namespace mlserve::render
