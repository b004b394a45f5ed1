#pragma once
// Private to lib/validate/schema_*.cpp: an on-disk cache of what reading schema files costs most, keyed by each
// file's path, size and modification time: the index of a file (which kinds it provides, where an OpenAPI
// document's components lie) and each CRD version's schema as compact JSON stripped of documentation (a 2 MB CRD
// takes yaml-cpp about a second; its cached schema parses in milliseconds).
//
// Where: $MLSERVE_SCHEMA_CACHE_DIR, else $XDG_CACHE_HOME/kubectl-mlserve/schemas, else
// ~/.cache/kubectl-mlserve/schemas. MLSERVE_SCHEMA_CACHE_DIR=off turns it off. A cache that cannot be written is
// silently not used: it only ever saves time.

#include <optional>
#include <string>
#include <string_view>

#include "core/json.hpp"

namespace mlserve::validate::schema_detail {

class SchemaCache {
public:
    /// Resolves the folder from the environment.
    SchemaCache();

    /// A key for the file at `path` (path, size, mtime), or "" when it cannot be stat'ed, caching is off, or the
    /// file is small enough (under 64 KiB) that reading it costs no more than reading a cache entry.
    std::string key_of(const std::string& path) const;
    /// The cached entry `key` + `suffix`, if any.
    std::optional<std::string> read(const std::string& key, std::string_view suffix) const;
    /// Stores an entry atomically (write to a temporary file, then rename).
    void write(const std::string& key, std::string_view suffix, std::string_view content) const;
    bool enabled() const { return !m_dir.empty(); }

private:
    std::string m_dir;
};

/// A schema without what validation never reads (description, example, title, externalDocs, default), property
/// names left alone.
core::Json strip_schema(const core::Json& schema);

/// A file name part for a group/version/kind.
std::string cache_suffix(std::string_view gvk_key);

} // namespace mlserve::validate::schema_detail
