#pragma once
// A compact binary form of parsed YAML documents (values and source positions). The build converts every
// built-in template with it (packaging/tools/embed_templates.cpp), so that starting the tool parses no YAML:
// decoding is a few times cheaper than yaml-cpp, and it gives back exactly what core::parse_yaml gave,
// number types and positions included (MessagePack or CBOR would turn positive integers into unsigned ones).

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/json.hpp"

namespace mlserve::render {

/// Encodes the values and positions of `documents` (their file names are left out). Deterministic: the same
/// documents always give the same bytes. Errors (exit 1): a value YAML cannot hold (binary, discarded).
core::Result<std::string> encode_documents(const std::vector<core::Document>& documents);

/// Decodes what encode_documents wrote; every document gets `file` as its file name, for messages.
/// Errors (exit 1): bytes that encode_documents did not write (truncated or corrupt data).
core::Result<std::vector<core::Document>> decode_documents(std::string_view encoded, std::string_view file);

} // namespace mlserve::render
