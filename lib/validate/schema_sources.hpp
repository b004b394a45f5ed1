#pragma once
// Private to lib/validate/schema_*.cpp: cheap looks at schema sources, so that a store knows which kinds each
// file provides without parsing it, and fetching URLs through a libcurl loaded only when needed.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace mlserve::validate::schema_detail {

/// What a text scan of one CustomResourceDefinition document found.
struct CrdScan {
    std::string group;
    std::string kind;
    std::vector<std::string> versions; ///< served versions
};

/// Scans a YAML stream's block-style structure (not its content) for CRDs. `claims_crd` is set when some
/// document says `kind: CustomResourceDefinition`; `complete` is false when such a document's group, kind or
/// versions could not be found this way (flow style, say): the caller then parses the file.
std::vector<CrdScan> scan_crd_yaml(std::string_view text, bool& claims_crd, bool& complete);

/// One member of components.schemas in an OpenAPI v3 JSON document: its name and where its value lies.
struct ComponentSpan {
    std::string name;
    std::size_t begin = 0, end = 0;
};

/// Finds components.schemas members in JSON text without building a tree. Sets `is_openapi` when the document
/// has them. Errors (exit 2) carry the line of malformed JSON.
core::Result<std::vector<ComponentSpan>> scan_openapi_json(std::string_view text, const std::string& name,
                                                           bool& is_openapi);

/// The x-kubernetes-group-version-kind entries of one component's JSON text, as (group, version, kind).
std::vector<std::vector<std::string>> component_gvks(std::string_view component);

/// GETs an http(s) URL through libcurl, loaded with dlopen on first use (the binary does not link it).
/// Errors (exit 1): libcurl missing, connection failures, HTTP status >= 400.
core::Result<std::string> fetch_url(const std::string& url);

/// The schema object at text[begin, end) one level deep: each subschema (under properties, items,
/// additionalProperties, not, allOf, anyOf, oneOf) is left as {"$lazy": [begin, end]} for the Compiler to
/// compile when a manifest first reaches it. Null when the text is not well formed.
nlohmann::json shallow_schema(std::string_view text, std::size_t begin, std::size_t end);

/// 1-based line of byte `offset` in `text`.
int line_of(std::string_view text, std::size_t offset);

} // namespace mlserve::validate::schema_detail
