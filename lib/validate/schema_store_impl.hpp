#pragma once
// Private to lib/validate/schema_store*.cpp: the state behind SchemaStore.

#include <cstddef>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "validate/schema_cache.hpp"
#include "validate/schema_detail.hpp"
#include "validate/schema_sources.hpp"

namespace mlserve::validate {

struct SchemaStore::Impl {
    using Node = schema_detail::Node;
    using ComponentSpan = schema_detail::ComponentSpan;
    using Arena = schema_detail::Arena;
    struct Source {
        std::string name;       ///< path or URL
        bool openapi = false;   ///< else CRD YAML
        bool loaded = false;    ///< `text` read (and, for OpenAPI, scanned)
        std::optional<core::Error> load_error; ///< why loading failed, returned again on every later use
        std::string text;
        bool text_read = false; ///< `text` holds the file (read on demand when the cache answered for it)
        std::string cache_key;  ///< "" when not cached
        bool schemas_cached = false; ///< this CRD file's stripped schemas are in the cache
        std::string group, version; ///< from an OpenAPI file's name; kinds of other group-versions are ignored
        bool named = false;
        std::unordered_map<std::string, ComponentSpan> components;
        bool parsed = false;    ///< CRD YAML parsed into `docs`
        std::vector<core::Document> docs;
    };
    struct Entry {
        std::size_t source;
        std::string component; ///< OpenAPI: the component name; CRD: ""
    };

    std::deque<Source> sources;
    std::unordered_map<std::string, Entry> kinds;                   ///< gvk_key -> where
    std::unordered_map<std::string, std::vector<std::size_t>> lazy; ///< "group/version" -> OpenAPI files not read
    std::unordered_map<std::string, const Schema*> compiled;      ///< gvk_key -> schema (nullptr: none)
    std::vector<std::unique_ptr<Schema>> owned;
    std::unordered_map<std::string, Node*> component_nodes;         ///< "source#component" -> node
    std::vector<std::pair<std::size_t, std::string>> pending;       ///< components referenced, not yet compiled
    std::vector<std::string> fresh_components;                      ///< placeholders made since the last drain
    Arena arena;
    schema_detail::SchemaCache cache;
    const Node* object_meta = nullptr;

    void add_kind(const std::string& key, Entry entry) {
        auto [it, fresh] = kinds.emplace(key, entry);
        if (!fresh && it->second.source > entry.source) it->second = std::move(entry); // earlier sources win
    }

    core::Result<void> add_path(const std::filesystem::path& path, bool explicit_file);
    core::Result<void> add_text(std::string name, std::string text, bool explicit_file, const std::string& key);
    bool apply_index(std::size_t index, const std::string& text);
    core::Result<void> ensure_text(std::size_t index);
    template <class J> // core::Json or nlohmann::json; defined and used in schema_store_crd.cpp
    core::Result<const Schema*> compile_crd_schema(std::size_t index, const J& open_api,
                                                   const core::Document* doc, const std::string& at,
                                                   const schema_detail::LazyText* lazy);
    core::Result<void> load_openapi(std::size_t index);
    void load_all_lazy();
    core::Result<const Node*> component(std::size_t source, const std::string& name);
    core::Result<void> drain();
    core::Result<const Node*> find_object_meta();
    core::Result<const Schema*> compile_openapi(const Entry& entry);
    /// Parses a CRD source (once) and compiles the schema of `key`; with an empty key, only parses and indexes it.
    core::Result<const Schema*> compile_crd(std::size_t source, const std::string& key);
    core::Result<void> parse_crd(std::size_t source);
};


/// "group/version/Kind" (group empty for the core group).
std::string gvk_key(std::string_view group, std::string_view version, std::string_view kind);

} // namespace mlserve::validate
