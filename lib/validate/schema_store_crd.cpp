// SchemaStore's public face (add_location, find, stats) and its CRD half: parsing a CRD file once it is needed
// and compiling one version's openAPIV3Schema with ObjectMeta for its metadata.

#include <sys/stat.h>

#include <algorithm>

#include "core/yaml.hpp"
#include "validate/schema_store_impl.hpp"

namespace mlserve::validate {

using namespace schema_detail;

namespace {

// CRDs are big (the Seldon one is 2.5 MB, 48 levels deep, ~200,000 nodes): roomier bounds than for manifests.
core::YamlLimits crd_limits() {
    core::YamlLimits limits;
    limits.max_bytes = 64u << 20;
    limits.max_depth = 512;
    limits.max_nodes = 20'000'000;
    return limits;
}

template <class J>
const J* member(const J& object, std::string_view key) {
    if (!object.is_object()) return nullptr;
    auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

std::string string_member(const core::Json& object, std::string_view key) {
    const core::Json* value = member(object, key);
    return value && value->is_string() ? value->get<std::string>() : std::string();
}

bool schema_extension(const std::filesystem::path& path) {
    const auto ext = path.extension().string();
    return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

} // namespace

core::Result<void> SchemaStore::Impl::parse_crd(std::size_t index) {
    MLSERVE_TRY(ensure_text(index));
    Source& source = sources[index];
    if (source.parsed) return {};
    auto docs = core::parse_yaml(source.text, source.name, crd_limits());
    if (!docs) return std::move(docs).error();
    std::string index_entry = "crd\n";
    for (const core::Document& doc : *docs) {
        if (string_member(doc.value, "kind") != "CustomResourceDefinition") continue;
        const core::Json* spec = member(doc.value, "spec");
        const core::Json* names = spec ? member(*spec, "names") : nullptr;
        const core::Json* versions = spec ? member(*spec, "versions") : nullptr;
        const std::string group = spec ? string_member(*spec, "group") : std::string();
        const std::string kind = names ? string_member(*names, "kind") : std::string();
        if (group.empty() || kind.empty() || !versions || !versions->is_array())
            return core::input_error("CustomResourceDefinition in " + source.name +
                                         " lacks spec.group, spec.names.kind or spec.versions",
                                     doc.location("/spec"), {}, "give a complete apiextensions.k8s.io/v1 CRD");
        for (const auto& version : *versions) {
            const std::string name = string_member(version, "name");
            const core::Json* served = member(version, "served");
            if (name.empty() || (served && served->is_boolean() && !served->get<bool>())) continue;
            add_kind(gvk_key(group, name, kind), {index, {}});
            index_entry += "k\t" + group + "\t" + name + "\t" + kind + "\t\n";
        }
    }
    cache.write(source.cache_key, ".index", index_entry);
    source.docs = std::move(*docs);
    source.parsed = true;
    source.text.clear();
    source.text.shrink_to_fit();
    return {};
}

core::Result<const Schema*> SchemaStore::Impl::compile_crd(std::size_t index, const std::string& key) {
    if (!sources[index].parsed) {
        if (auto cached = cache.read(sources[index].cache_key, cache_suffix(key))) {
            LazyText& text = arena.lazy_texts.emplace_back();
            text.text = std::move(*cached);
            text.arena = &arena;
            const nlohmann::json root = shallow_schema(text.text, 0, text.text.size());
            if (root.is_object()) return compile_crd_schema(index, root, nullptr, {}, &text);
        }
    }
    MLSERVE_TRY(parse_crd(index));
    const Source& source = sources[index];
    for (const core::Document& doc : source.docs) {
        if (string_member(doc.value, "kind") != "CustomResourceDefinition") continue;
        const core::Json& spec = doc.value["spec"];
        const std::string group = string_member(spec, "group");
        const std::string kind = string_member(spec["names"], "kind");
        const core::Json& versions = spec["versions"];
        for (std::size_t v = 0; v < versions.size(); ++v) {
            const std::string version = string_member(versions[v], "name");
            if (gvk_key(group, version, kind) != key) continue;
            const std::string at = "/spec/versions/" + std::to_string(v);
            const core::Json* schema = member(versions[v], "schema");
            const core::Json* open_api = schema ? member(*schema, "openAPIV3Schema") : nullptr;
            if (!open_api)
                return core::input_error("CustomResourceDefinition " + string_member(doc.value["metadata"], "name") +
                                             " version " + version + " in " + source.name +
                                             " has no schema.openAPIV3Schema",
                                         doc.location(at), {},
                                         "add the version's openAPIV3Schema; objects of a schemaless CRD cannot "
                                         "be checked");
            auto compiled_schema = compile_crd_schema(index, *open_api, &doc, at + "/schema/openAPIV3Schema", nullptr);
            // it compiled whole: the next run may read it from the cache and compile only what it visits
            if (compiled_schema) cache.write(source.cache_key, cache_suffix(key), strip_schema(*open_api).dump());
            return compiled_schema;
        }
    }
    return nullptr;
}

template <class J>
core::Result<const Schema*> SchemaStore::Impl::compile_crd_schema(std::size_t index, const J& open_api,
                                                                  const core::Document* doc, const std::string& at,
                                                                  const LazyText* lazy_text) {
    const Source& source = sources[index];
    Compiler compiler(
        arena,
        [](std::string_view ref) -> core::Result<const Node*> {
            return core::input_error("dangling $ref \"" + std::string(ref) +
                                     "\": a CRD schema cannot refer to other schemas");
        },
        source.name);
    if (doc) compiler.set_document(doc, at);
    compiler.set_lazy(lazy_text);
    Node& root = arena.nodes.emplace_back();
    MLSERVE_TRY(compiler.compile_into(open_api, root));
    auto meta = find_object_meta();
    if (!meta) return std::move(meta).error();
    // The API server checks every custom object's metadata as an ObjectMeta, plus what the CRD adds.
    Node& metadata = arena.nodes.emplace_back();
    metadata.base = *meta;
    const J* crd_properties = member(open_api, "properties");
    if (const J* crd_meta = crd_properties ? member(*crd_properties, "metadata") : nullptr) {
        auto extra = compiler.compile(*crd_meta, false);
        if (!extra) return std::move(extra).error();
        metadata.all_of.push_back(*extra);
    }
    auto& properties = root.properties;
    properties.erase(std::remove_if(properties.begin(), properties.end(),
                                    [](const auto& p) { return p.first == "metadata"; }),
                     properties.end());
    properties.emplace_back("metadata", &metadata);
    static const Node k_string_node = [] {
        Node n;
        n.types = schema_detail::k_string;
        return n;
    }();
    for (const char* name : {"apiVersion", "kind"})
        if (std::none_of(properties.begin(), properties.end(), [&](const auto& p) { return p.first == name; }))
            properties.emplace_back(name, &k_string_node);
    std::sort(properties.begin(), properties.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    auto compiled_schema = std::make_unique<Schema>();
    compiled_schema->root = &root;
    compiled_schema->object_meta = *meta;
    compiled_schema->source = source.name;
    owned.push_back(std::move(compiled_schema));
    return owned.back().get();
}

// ---------------------------------------------------------------------------------------------------------------

SchemaStore::SchemaStore() : m_impl(std::make_unique<Impl>()) {}
SchemaStore::~SchemaStore() = default;
SchemaStore::SchemaStore(SchemaStore&&) noexcept = default;
SchemaStore& SchemaStore::operator=(SchemaStore&&) noexcept = default;

core::Result<void> SchemaStore::add_location(std::string_view location) {
    const std::string where(location);
    if (where.rfind("http://", 0) == 0 || where.rfind("https://", 0) == 0) {
        auto text = fetch_url(where);
        if (!text) return std::move(text).error();
        return m_impl->add_text(where, std::move(*text), true, {});
    }
    std::error_code ec;
    const std::filesystem::path path(where);
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status))
        return core::input_error("schema location " + where + " does not exist", {}, {},
                                 "give a directory, a CRD or OpenAPI file, or an http(s) URL");
    if (!std::filesystem::is_directory(status)) return m_impl->add_path(path, true);
    // Files before subdirectories, each in name order: a folder's own schemas come before older copies kept in
    // its subfolders (kserve/crd/ before kserve/crd/v0.15.2/), and the order never depends on the file system.
    const std::size_t before = m_impl->sources.size();
    std::vector<std::filesystem::path> folders{path};
    while (!folders.empty()) {
        const std::filesystem::path folder = folders.back();
        folders.pop_back();
        std::vector<std::filesystem::path> files, subfolders;
        for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
            const std::string name = entry.path().filename().string();
            if (name.empty() || name[0] == '.') continue;
            if (entry.is_directory(ec)) subfolders.push_back(entry.path());
            else if (schema_extension(entry.path())) files.push_back(entry.path());
        }
        if (ec) return core::input_error("cannot read schema directory " + folder.string() + ": " + ec.message());
        std::sort(files.begin(), files.end());
        std::sort(subfolders.begin(), subfolders.end(), std::greater<>());
        for (const auto& file : files) MLSERVE_TRY(m_impl->add_path(file, false));
        for (const auto& subfolder : subfolders) folders.push_back(subfolder);
    }
    if (m_impl->sources.size() == before)
        return core::input_error("no CRD or OpenAPI schema files in " + where, {}, {},
                                 "the directory should hold CRD YAML files or Kubernetes OpenAPI v3 JSON documents");
    return {};
}

core::Result<const Schema*> SchemaStore::find(std::string_view api_version, std::string_view kind) const {
    Impl& impl = *m_impl;
    const std::size_t slash = api_version.rfind('/');
    const std::string_view group = slash == std::string_view::npos ? std::string_view() : api_version.substr(0, slash);
    const std::string_view version = slash == std::string_view::npos ? api_version : api_version.substr(slash + 1);
    const std::string key = gvk_key(group, version, kind);
    if (auto it = impl.compiled.find(key); it != impl.compiled.end()) return it->second;
    if (auto lazy = impl.lazy.find(std::string(group) + "/" + std::string(version)); lazy != impl.lazy.end()) {
        const std::vector<std::size_t> indexes = lazy->second;
        impl.lazy.erase(lazy);
        for (std::size_t index : indexes) MLSERVE_TRY(impl.load_openapi(index));
    }
    auto entry = impl.kinds.find(key);
    if (entry == impl.kinds.end()) {
        impl.compiled[key] = nullptr;
        return static_cast<const Schema*>(nullptr);
    }
    const Impl::Entry where = entry->second;
    auto schema = where.component.empty() ? impl.compile_crd(where.source, key) : impl.compile_openapi(where);
    if (!schema) return schema;
    impl.compiled[key] = *schema;
    return schema;
}

SchemaStats SchemaStore::stats() const {
    m_impl->load_all_lazy();
    return SchemaStats{m_impl->kinds.size(), m_impl->sources.size()};
}

} // namespace mlserve::validate
