#pragma once
// A compact binary form of parsed documents (value, source positions), so that the built-in templates are
// parsed from YAML once, at build time, instead of at every start: reading it back costs a small fraction
// of parsing the YAML again.

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/json.hpp"

namespace mlserve::core {

/// Encodes documents with their exact JSON types (integer, unsigned, float) and every node's position.
std::string pack_documents(const std::vector<Document>& documents);

/// Decodes what pack_documents wrote; each document gets `file` as its file name. The values are equal
/// (ordered_json ==, same types) and Document::location gives the same answer for every pointer.
/// Errors (exit 1): bytes that pack_documents did not write (truncated or corrupt).
Result<std::vector<Document>> unpack_documents(std::string_view bytes, const std::string& file);

} // namespace mlserve::core
