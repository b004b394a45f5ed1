#pragma once
// A compact binary form of parsed documents (value, source positions), so that the built-in templates are
// parsed from YAML once, at build time, instead of at every start: reading it back costs a small fraction
// of parsing the YAML again.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/json.hpp"

namespace mlserve::core {

/// Encodes documents with their exact JSON types (integer, unsigned, float) and every node's position.
std::string pack_documents(const std::vector<Document>& documents);

/// The documents of what pack_documents wrote, each still packed (for unpack_document), found without
/// decoding them. Errors (exit 1): bytes that pack_documents did not write.
Result<std::vector<std::string_view>> split_packed(std::string_view bytes, const std::string& file);

/// Decodes one document of split_packed, named `file`. Arrays and objects at depth `max_depth` or deeper
/// (the root is at depth 0, its members at 1) are walked over and read as null, their own positions still
/// recorded: a cheap look at the top of a document. Without `positions` the document's position maps stay
/// empty (a quarter of the work saved, for a caller that looks positions up again only when it needs one).
/// Errors (exit 1): corrupt bytes.
Result<Document> unpack_document(std::string_view packed, const std::string& file,
                                 size_t max_depth = static_cast<size_t>(-1), bool positions = true);

/// Decodes what pack_documents wrote; each document gets `file` as its file name. The values are equal
/// (ordered_json ==, same types) and Document::location gives the same answer for every pointer.
/// Errors (exit 1): bytes that pack_documents did not write (truncated or corrupt).
Result<std::vector<Document>> unpack_documents(std::string_view bytes, const std::string& file);

} // namespace mlserve::core
