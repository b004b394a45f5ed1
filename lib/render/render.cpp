#include "render/render.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "core/once.hpp"
#include "core/packed.hpp"
#include "core/yaml.hpp"
#include "render/context.hpp"
#include "render/manifests.hpp"
#include "render/overrides.hpp"
#include "render/templates.hpp"
#include "template/template.hpp"

namespace mlserve::render {

namespace {

/// Compiles a packed built-in document lazily, unpacked without its positions: a message that needs one
/// unpacks the document again, with them. Messages are rare; recording every node's position is not.
core::Result<tmpl::CompiledTemplate> compile_packed(std::string_view packed, const std::string& file) {
    auto document = core::unpack_document(packed, file, static_cast<size_t>(-1), false);
    MLSERVE_TRY(document);
    return tmpl::compile_template_lazily(std::move(*document), [packed, file](std::string_view pointer) {
        auto positioned = core::unpack_document(packed, file);
        return positioned.ok() ? positioned->positions.find(pointer) : core::Mark{};
    });
}

/// One template document, compiled when first needed. A built-in document of the form
/// {$if: COND, then: ...} without `else` gets a guard, {$if: COND, then: true}: it is evaluated first, and
/// null means that the template does not apply, so it is never unpacked in full nor compiled. Most
/// built-in templates have that form and most apply to one backend only, so rendering one spec compiles
/// about half of them; within those, the branches of every `$if` are compiled only once taken
/// (tmpl::compile_template_lazily). Only built-in templates are guarded and compiled lazily: they are known
/// to compile (tests/unit/render/test_templates.cpp), so skipping a part hides no error; a --templates file
/// is compiled up front and reports its errors at once.
class TemplateDocument {
public:
    /// A document parsed from a --templates file: compiled now.
    static core::Result<std::unique_ptr<TemplateDocument>> compile(const core::Document& document) {
        auto out = std::unique_ptr<TemplateDocument>(new TemplateDocument());
        out->m_full.emplace(tmpl::compile_template(document));
        if (!out->m_full->ok()) return out->m_full->error();
        return out;
    }

    /// A packed built-in document (core::split_packed): guarded when it has the form above.
    static core::Result<std::unique_ptr<TemplateDocument>> embedded(std::string_view packed, const std::string& file) {
        auto top = core::unpack_document(packed, file, 1);
        MLSERVE_TRY(top);
        const core::Json& value = top->value;
        if (!(value.is_object() && value.size() == 2 && value.contains("$if") && value["$if"].is_string() &&
              value.contains("then"))) {
            auto out = std::unique_ptr<TemplateDocument>(new TemplateDocument());
            out->m_full.emplace(compile_packed(packed, file));
            if (!out->m_full->ok()) return out->m_full->error();
            return out;
        }
        auto out = std::unique_ptr<TemplateDocument>(new TemplateDocument());
        core::Document guard{core::Json::object(), {}, file};
        guard.value["$if"] = value["$if"];
        guard.value["then"] = true;
        for (const char* pointer : {"", "/$if", "/then"}) guard.positions.set(pointer, top->positions.find(pointer));
        auto compiled = tmpl::compile_template(guard);
        MLSERVE_TRY(compiled);
        out->m_guard.emplace(std::move(*compiled));
        out->m_packed = packed;
        out->m_file = file;
        return out;
    }

    /// The template's result for one context; null when it does not apply.
    core::Result<core::Json> evaluate(const core::Json& context) const {
        if (m_guard) {
            auto applies = tmpl::evaluate(*m_guard, context);
            MLSERVE_TRY(applies);
            if (applies->is_null()) return core::Json();
            m_once.run([this] { m_full.emplace(compile_packed(m_packed, m_file)); });
        }
        if (!m_full->ok()) return m_full->error();
        return tmpl::evaluate(m_full->value(), context);
    }

private:
    TemplateDocument() = default;

    std::optional<tmpl::CompiledTemplate> m_guard;
    std::string_view m_packed;     ///< guarded: the packed document (embedded, so it lives as long as the process)
    std::string m_file;
    mutable core::Once m_once; ///< guarded: unpacks and compiles the document into m_full
    mutable std::optional<core::Result<tmpl::CompiledTemplate>> m_full;
};

/// The documents of one template file.
struct CompiledFile {
    std::string path;
    std::vector<std::unique_ptr<TemplateDocument>> documents;
};

using TemplateSet = std::vector<CompiledFile>;

core::Result<std::shared_ptr<const TemplateSet>> compile_all(const std::string& dir) {
    auto files = template_files(dir);
    MLSERVE_TRY(files);
    auto set = std::make_shared<TemplateSet>();
    for (const auto& file : *files) {
        CompiledFile compiled{file.path, {}};
        if (!file.packed.empty()) {
            // A built-in template, parsed at build time.
            auto documents = core::split_packed(file.packed, file.origin);
            MLSERVE_TRY(documents);
            for (auto packed : *documents) {
                auto one = TemplateDocument::embedded(packed, file.origin);
                MLSERVE_TRY(one);
                compiled.documents.push_back(std::move(*one));
            }
        } else {
            auto documents = core::parse_yaml(file.text, file.origin);
            MLSERVE_TRY(documents);
            for (const auto& document : *documents) {
                auto one = TemplateDocument::compile(document);
                MLSERVE_TRY(one);
                compiled.documents.push_back(std::move(*one));
            }
        }
        if (!compiled.documents.empty()) set->push_back(std::move(compiled));
    }
    return std::shared_ptr<const TemplateSet>(std::move(set));
}

/// Templates are parsed and compiled once per process and directory: `render -f DIR` renders hundreds of
/// specs with the same set.
core::Result<std::shared_ptr<const TemplateSet>> compiled_templates(const std::string& dir) {
    static std::mutex mutex;
    // Never destroyed: freeing thousands of template nodes at exit would cost a render about as much as
    // compiling them did, and the process is ending anyway (the pointer stays reachable for leak checkers).
    static auto& cache = *new std::map<std::string, std::shared_ptr<const TemplateSet>>();
    std::lock_guard lock(mutex);
    if (auto it = cache.find(dir); it != cache.end()) return it->second;
    auto compiled = compile_all(dir);
    MLSERVE_TRY(compiled);
    cache.emplace(dir, *compiled);
    return *compiled;
}

/// Says which spec was being rendered: with `render -f DIR` the failing spec is one of hundreds.
core::Error in_spec(core::Error error, const spec::LoadedSpec& spec) {
    const core::Json& model = spec.value();
    std::string name = model.contains("metadata") && model["metadata"].is_object()
                           ? model["metadata"].value("name", std::string())
                           : std::string();
    error.details.push_back("while rendering ModelDeployment " + name + " from " +
                            spec.document.location("").to_string());
    return error;
}

core::Result<ManifestSet> render_spec(const spec::LoadedSpec& spec, const RenderOptions& options) {
    auto templates = compiled_templates(options.templates_dir);
    MLSERVE_TRY(templates);
    auto context = build_context(spec);
    MLSERVE_TRY(context);

    ManifestSet manifests;
    for (const auto& file : **templates) {
        for (const auto& document : file.documents) {
            auto result = document->evaluate(*context);
            MLSERVE_TRY(result);
            MLSERVE_TRY(collect_objects(std::move(*result), file.path, manifests));
        }
    }
    MLSERVE_TRY(apply_overrides(manifests, spec.document));
    for (const auto& manifest : manifests)
        MLSERVE_TRY(check_object(manifest.object, "after spec.overrides, an object from template " + manifest.source));
    MLSERVE_TRY(canonical_order(manifests));
    return manifests;
}

} // namespace

core::Result<ManifestSet> render(const spec::LoadedSpec& spec, const RenderOptions& options) {
    auto manifests = render_spec(spec, options);
    if (!manifests) return in_spec(std::move(manifests).error(), spec);
    return manifests;
}

} // namespace mlserve::render
