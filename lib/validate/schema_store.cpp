// SchemaStore: indexes sources cheaply when they are added, and compiles a kind's schema the first time a
// manifest asks for it. Kubernetes OpenAPI documents named as the API server names them (api__v1_openapi.json,
// apis__GROUP__VERSION_openapi.json) are not even read until a manifest of their group-version turns up.

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <deque>
#include <filesystem>
#include <unordered_map>

#include "core/text.hpp"
#include "core/yaml.hpp"
#include "validate/schema_store_impl.hpp"

namespace mlserve::validate {

using namespace schema_detail;

namespace {

constexpr std::string_view k_ref_prefix = "#/components/schemas/";
constexpr std::string_view k_object_meta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
constexpr std::string_view k_quantity = "io.k8s.apimachinery.pkg.api.resource.Quantity";
constexpr std::size_t k_max_schema_bytes = 64u << 20;

// "api__v1_openapi.json" -> ("", "v1"); "apis__apps__v1_openapi.json" -> ("apps", "v1"); else false.
bool group_version_from_name(std::string_view name, std::string& group, std::string& version) {
    constexpr std::string_view k_suffix = "_openapi.json";
    if (name.size() <= k_suffix.size() || name.substr(name.size() - k_suffix.size()) != k_suffix) return false;
    name.remove_suffix(k_suffix.size());
    if (name.rfind("api__", 0) == 0) {
        group.clear();
        version = std::string(name.substr(5));
        return version.find("__") == std::string::npos && !version.empty();
    }
    if (name.rfind("apis__", 0) != 0) return false;
    name.remove_prefix(6);
    const std::size_t split = name.find("__");
    if (split == std::string_view::npos) return false;
    group = std::string(name.substr(0, split));
    version = std::string(name.substr(split + 2));
    return !group.empty() && !version.empty() && version.find("__") == std::string::npos;
}

} // namespace

std::string gvk_key(std::string_view group, std::string_view version, std::string_view kind) {
    std::string key(group);
    key += '/';
    key += version;
    key += '/';
    key += kind;
    return key;
}

namespace {

// The index entry of a source, as the cache keeps it: its type, then one line per kind or component.
std::string index_text(bool openapi, const std::unordered_map<std::string, ComponentSpan>& components,
                       const std::vector<std::array<std::string, 4>>& kinds) {
    std::string out = openapi ? "openapi\n" : "crd\n";
    for (const auto& [name, span] : components)
        out += "c\t" + name + "\t" + std::to_string(span.begin) + "\t" + std::to_string(span.end) + "\n";
    for (const auto& kind : kinds) out += "k\t" + kind[0] + "\t" + kind[1] + "\t" + kind[2] + "\t" + kind[3] + "\n";
    return out;
}

bool is_meta_component(std::string_view name) { return name.rfind("io.k8s.apimachinery.pkg.apis.meta.v1.", 0) == 0; }

} // namespace

core::Result<void> SchemaStore::Impl::ensure_text(std::size_t index) {
    Source& source = sources[index];
    if (source.text_read) return {};
    auto text = core::read_file(source.name, k_max_schema_bytes);
    if (!text) return std::move(text).error();
    source.text = std::move(*text);
    source.text_read = true;
    return {};
}

bool SchemaStore::Impl::apply_index(std::size_t index, const std::string& text) {
    Source& source = sources[index];
    std::vector<std::array<std::string, 4>> found;
    std::string_view rest(text);
    std::string_view fields[5];
    while (!rest.empty()) {
        const std::size_t end = std::min(rest.find('\n'), rest.size());
        std::string_view line = rest.substr(0, end);
        rest.remove_prefix(std::min(end + 1, rest.size()));
        std::size_t count = 0;
        while (count < 5) {
            const std::size_t tab = line.find('\t');
            fields[count++] = line.substr(0, tab);
            if (tab == std::string_view::npos) break;
            line.remove_prefix(tab + 1);
        }
        if (count == 4 && fields[0] == "c") {
            ComponentSpan span{std::string(fields[1]), 0, 0};
            auto number = [](std::string_view digits, std::size_t& out) {
                return std::from_chars(digits.data(), digits.data() + digits.size(), out).ec == std::errc();
            };
            if (!number(fields[2], span.begin) || !number(fields[3], span.end)) return false;
            source.components.emplace(span.name, std::move(span));
        } else if (count == 5 && fields[0] == "k") {
            found.push_back({std::string(fields[1]), std::string(fields[2]), std::string(fields[3]),
                             std::string(fields[4])});
        }
    }
    for (const auto& kind : found) add_kind(gvk_key(kind[0], kind[1], kind[2]), {index, kind[3]});
    return true;
}

core::Result<void> SchemaStore::Impl::add_path(const std::filesystem::path& path, bool explicit_file) {
    const std::string name = path.string();
    const std::string key = cache.key_of(name);
    std::string group, version;
    if (group_version_from_name(path.filename().string(), group, version)) {
        Source& source = sources.emplace_back();
        source.name = name;
        source.openapi = true;
        source.named = true;
        source.group = group;
        source.version = version;
        source.cache_key = key;
        lazy[group + "/" + version].push_back(sources.size() - 1);
        return {};
    }
    if (auto index = cache.read(key, ".index")) {
        if (index->rfind("none\n", 0) == 0 && !explicit_file) return {};
        if (index->rfind("crd\n", 0) == 0 || index->rfind("openapi\n", 0) == 0) {
            Source& source = sources.emplace_back();
            source.name = name;
            source.openapi = index->rfind("openapi\n", 0) == 0;
            source.loaded = true;
            source.cache_key = key;
            if (apply_index(sources.size() - 1, *index)) return {};
            sources.pop_back(); // a damaged entry: read the file instead
        }
    }
    auto text = core::read_file(name, k_max_schema_bytes);
    if (!text) return std::move(text).error();
    return add_text(name, std::move(*text), explicit_file, key);
}

core::Result<void> SchemaStore::Impl::add_text(std::string name, std::string text, bool explicit_file,
                                               const std::string& key) {
    const std::size_t first = text.find_first_not_of(" \t\r\n");
    const bool json = first != std::string::npos && text[first] == '{';
    if (json) {
        bool is_openapi = false;
        auto spans = scan_openapi_json(text, name, is_openapi);
        if (!spans && explicit_file) return std::move(spans).error();
        if (spans && is_openapi) {
            Source& source = sources.emplace_back();
            source.name = std::move(name);
            source.openapi = true;
            source.text = std::move(text);
            source.text_read = true;
            source.loaded = true;
            source.cache_key = key;
            const std::size_t index = sources.size() - 1;
            std::vector<std::array<std::string, 4>> provided;
            for (auto& span : *spans) {
                for (const auto& gvk : component_gvks(std::string_view(source.text).substr(span.begin, span.end - span.begin)))
                    if (!is_meta_component(span.name)) provided.push_back({gvk[0], gvk[1], gvk[2], span.name});
                source.components.emplace(span.name, std::move(span));
            }
            for (const auto& kind : provided) add_kind(gvk_key(kind[0], kind[1], kind[2]), {index, kind[3]});
            cache.write(key, ".index", index_text(source.openapi, source.components, provided));
            return {};
        }
        // not an OpenAPI document: it may still be a CRD written as JSON, which the YAML reader takes
    }
    bool claims = false, complete = true;
    auto scans = scan_crd_yaml(text, claims, complete);
    if (json && !claims && text.find("\"CustomResourceDefinition\"") != std::string::npos) {
        claims = true; // a CRD written as JSON: the line scan cannot index it, the parser below can
        complete = false;
    }
    if (!claims) {
        if (explicit_file)
            return core::input_error("no CustomResourceDefinition or OpenAPI v3 document in schema file " + name,
                                     core::SourceLocation{name, 0, 0}, {},
                                     "give CRD YAML files or Kubernetes OpenAPI v3 JSON (/openapi/v3/...) documents");
        cache.write(key, ".index", "none\n");
        return {}; // a kustomization, a patch, ... beside the schemas
    }
    Source& source = sources.emplace_back();
    source.name = std::move(name);
    source.text = std::move(text);
    source.text_read = true;
    source.loaded = true;
    source.cache_key = key;
    const std::size_t index = sources.size() - 1;
    if (!complete) {
        // flow style or broken: parse it now, which names the problem if there is one
        return parse_crd(index);
    }
    std::vector<std::array<std::string, 4>> provided;
    for (const auto& scan : scans)
        for (const auto& version : scan.versions) provided.push_back({scan.group, version, scan.kind, ""});
    for (const auto& kind : provided) add_kind(gvk_key(kind[0], kind[1], kind[2]), {index, {}});
    cache.write(key, ".index", index_text(source.openapi, source.components, provided));
    return {};
}

core::Result<void> SchemaStore::Impl::load_openapi(std::size_t index) {
    Source& source = sources[index];
    if (source.load_error) return *source.load_error;
    if (source.loaded) return {};
    source.loaded = true;
    if (auto cached = cache.read(source.cache_key, ".index"); cached && cached->rfind("openapi\n", 0) == 0) {
        if (apply_index(index, *cached)) return {};
        source.components.clear();
    }
    auto failed = [&](core::Error error) -> core::Result<void> {
        source.load_error = error;
        return error;
    };
    if (auto read = ensure_text(index); !read) return failed(std::move(read).error());
    bool is_openapi = false;
    auto spans = scan_openapi_json(source.text, source.name, is_openapi);
    if (!spans) return failed(std::move(spans).error());
    if (!is_openapi)
        return failed(core::input_error("no components.schemas in OpenAPI document " + source.name,
                                        core::SourceLocation{source.name, 0, 0}, {},
                                        "the file must be an OpenAPI v3 document such as the API server serves at "
                                        "/openapi/v3/apis/GROUP/VERSION"));
    std::vector<std::array<std::string, 4>> provided;
    for (auto& span : *spans) {
        for (const auto& gvk : component_gvks(std::string_view(source.text).substr(span.begin, span.end - span.begin)))
            if (gvk[0] == source.group && gvk[1] == source.version && !is_meta_component(span.name))
                provided.push_back({gvk[0], gvk[1], gvk[2], span.name});
        source.components.emplace(span.name, std::move(span));
    }
    for (const auto& kind : provided) add_kind(gvk_key(kind[0], kind[1], kind[2]), {index, kind[3]});
    cache.write(source.cache_key, ".index", index_text(source.openapi, source.components, provided));
    return {};
}

void SchemaStore::Impl::load_all_lazy() {
    for (auto& [group_version, indexes] : lazy)
        for (std::size_t index : indexes) (void)load_openapi(index);
    lazy.clear();
}

core::Result<const Node*> SchemaStore::Impl::component(std::size_t index, const std::string& name) {
    std::string key = std::to_string(index) + "#" + name;
    if (auto it = component_nodes.find(key); it != component_nodes.end()) return it->second;
    if (!sources[index].components.count(name))
        return core::input_error("dangling $ref \"" + std::string(k_ref_prefix) + name + "\" in " + sources[index].name,
                                 core::SourceLocation{sources[index].name, 0, 0}, {},
                                 "the document has no components.schemas entry of that name");
    Node* node = &arena.nodes.emplace_back();
    fresh_components.push_back(key);
    component_nodes.emplace(std::move(key), node);
    pending.emplace_back(index, name);
    return node;
}

core::Result<void> SchemaStore::Impl::drain() {
    // On failure, forget the placeholders of this round: a later find must fail the same way, not see them empty.
    auto failed = [this](core::Error error) -> core::Result<void> {
        for (const auto& key : fresh_components) component_nodes.erase(key);
        fresh_components.clear();
        pending.clear();
        return error;
    };
    // A worklist rather than recursion: a chain of $refs as long as the document may be does not grow the stack.
    while (!pending.empty()) {
        const std::size_t index = pending.back().first; // not a structured binding: lambdas below capture it
        const std::string name = std::move(pending.back().second);
        pending.pop_back();
        Node* node = component_nodes.at(std::to_string(index) + "#" + name);
        if (auto read = ensure_text(index); !read) return failed(std::move(read).error());
        const Source& source = sources[index];
        const ComponentSpan& span = source.components.at(name);
        if (span.end > source.text.size() || span.begin > span.end)
            return failed(core::input_error("schema file " + source.name + " changed while it was read"));
        if (name == k_quantity) {
            node->types = k_string | k_number;
            node->quantity = true;
            continue;
        }
        const std::string_view text = std::string_view(source.text).substr(span.begin, span.end - span.begin);
        nlohmann::json json = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
        if (json.is_discarded())
            return failed(core::input_error("malformed JSON in schema " + name + " of " + source.name,
                                            core::SourceLocation{source.name, line_of(source.text, span.begin), 0}));
        Compiler compiler(
            arena,
            [this, index](std::string_view ref) -> core::Result<const Node*> {
                if (ref.rfind(k_ref_prefix, 0) != 0)
                    return core::input_error("unsupported $ref \"" + std::string(ref) +
                                             "\": only #/components/schemas/NAME is supported");
                return component(index, std::string(ref.substr(k_ref_prefix.size())));
            },
            source.name + " (" + name + ")");
        if (auto done = compiler.compile_into(json, *node); !done) {
            core::Error error = std::move(done).error();
            error.location = core::SourceLocation{source.name, line_of(source.text, span.begin), 0};
            return failed(std::move(error));
        }
    }
    fresh_components.clear();
    return {};
}

core::Result<const Node*> SchemaStore::Impl::find_object_meta() {
    if (object_meta) return object_meta;
    // The smallest OpenAPI document holds the same ObjectMeta as the largest: read as little as possible.
    std::vector<std::pair<std::uintmax_t, std::size_t>> candidates;
    for (std::size_t i = 0; i < sources.size(); ++i) {
        if (!sources[i].openapi) continue;
        std::error_code ec;
        const auto size = sources[i].loaded ? sources[i].text.size() : std::filesystem::file_size(sources[i].name, ec);
        candidates.emplace_back(ec ? UINTMAX_MAX : size, i);
    }
    std::sort(candidates.begin(), candidates.end());
    for (const auto& [size, index] : candidates) {
        if (!load_openapi(index) || !sources[index].components.count(std::string(k_object_meta))) continue;
        auto node = component(index, std::string(k_object_meta));
        if (!node) return node;
        MLSERVE_TRY(drain());
        object_meta = *node;
        return object_meta;
    }
    object_meta = basic_object_meta(arena);
    return object_meta;
}

core::Result<const Schema*> SchemaStore::Impl::compile_openapi(const Entry& entry) {
    auto root = component(entry.source, entry.component);
    if (!root) return std::move(root).error();
    MLSERVE_TRY(drain());
    auto meta = find_object_meta();
    if (!meta) return std::move(meta).error();
    auto schema = std::make_unique<Schema>();
    schema->root = *root;
    schema->object_meta = *meta;
    schema->source = sources[entry.source].name + "#" + entry.component;
    owned.push_back(std::move(schema));
    return owned.back().get();
}

} // namespace mlserve::validate
