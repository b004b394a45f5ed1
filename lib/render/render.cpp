#include "render/render.hpp"

#include <map>
#include <memory>
#include <mutex>

#include "core/yaml.hpp"
#include "render/context.hpp"
#include "render/manifests.hpp"
#include "render/overrides.hpp"
#include "render/templates.hpp"
#include "template/template.hpp"

namespace mlserve::render {

namespace {

/// The compiled documents of one template file.
struct CompiledFile {
    std::string path;
    std::vector<tmpl::CompiledTemplate> documents;
};

using TemplateSet = std::vector<CompiledFile>;

core::Result<std::shared_ptr<const TemplateSet>> compile_all(const std::string& dir) {
    auto files = template_files(dir);
    MLSERVE_TRY(files);
    auto set = std::make_shared<TemplateSet>();
    for (const auto& file : *files) {
        auto documents = core::parse_yaml(file.text, file.origin);
        MLSERVE_TRY(documents);
        CompiledFile compiled{file.path, {}};
        for (const auto& document : *documents) {
            auto one = tmpl::compile_template(document);
            MLSERVE_TRY(one);
            compiled.documents.push_back(std::move(*one));
        }
        if (!compiled.documents.empty()) set->push_back(std::move(compiled));
    }
    return std::shared_ptr<const TemplateSet>(std::move(set));
}

/// Templates are parsed and compiled once per process and directory: `render -f DIR` renders hundreds of
/// specs with the same set.
core::Result<std::shared_ptr<const TemplateSet>> compiled_templates(const std::string& dir) {
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<const TemplateSet>> cache;
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
        for (const auto& compiled : file.documents) {
            auto result = tmpl::evaluate(compiled, *context);
            MLSERVE_TRY(result);
            MLSERVE_TRY(collect_objects(*result, file.path, manifests));
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
