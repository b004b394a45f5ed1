#include "render/run.hpp"

#include <unordered_map>

#include "core/yaml.hpp"
#include "render/manifests.hpp"
#include "render/output.hpp"
#include "render/patch.hpp"
#include "render/render.hpp"
#include "render/tree.hpp"
#include "spec/spec.hpp"

namespace mlserve::render {

using core::Json;

namespace {

core::Result<void> check_request(const RenderRequest& request) {
    if (request.inputs.empty())
        return core::input_error("no spec given", {}, {}, "pass -f SPEC, -f DIR or -f - (standard input)");
    if (!request.out_dir.empty() && request.output != OutputFormat::yaml)
        return core::input_error("--out-dir writes YAML files and cannot be combined with -o json or -o name", {}, {},
                                 "drop -o, or drop --out-dir to print to standard output");
    if (request.show_defaults && (request.output == OutputFormat::name || !request.out_dir.empty()))
        return core::input_error("--show-defaults prints the specs as YAML or JSON", {}, {},
                                 "drop --out-dir and -o name, or drop --show-defaults");
    return {};
}

std::string show_defaults(const std::vector<spec::LoadedSpec>& specs, OutputFormat output) {
    std::vector<Json> values;
    for (const auto& spec : specs) values.push_back(spec.value());
    if (output == OutputFormat::yaml) return core::to_yaml_stream(values);
    if (values.size() == 1) return values[0].dump(4, ' ', false, Json::error_handler_t::replace) + "\n";
    ManifestSet as_list;
    for (auto& value : values) as_list.push_back({std::move(value), {}});
    return to_json_list(as_list);
}

/// Every spec's manifests in input order; an object that two specs render identically (a shared Namespace)
/// is kept once, the same identity rendered differently is an error. `origins` gets each object's spec file.
core::Result<ManifestSet> render_all(const std::vector<spec::LoadedSpec>& specs, const std::string& templates_dir,
                                     std::vector<std::string>& origins) {
    ManifestSet all;
    std::unordered_map<std::string, size_t> seen;
    for (const auto& spec : specs) {
        auto manifests = render(spec, RenderOptions{templates_dir});
        MLSERVE_TRY(manifests);
        std::string origin = spec.document.location("").to_string();
        for (auto& manifest : *manifests) {
            auto [it, fresh] = seen.emplace(object_identity(manifest.object), all.size());
            if (!fresh) {
                if (json_equal(all[it->second].object, manifest.object)) continue;
                return core::input_error("two specs render " + describe_object(manifest.object) + " differently: " +
                                             origins[it->second] + " and " + origin,
                                         {}, {}, "give the models different names or namespaces");
            }
            all.push_back(std::move(manifest));
            origins.push_back(origin);
        }
    }
    return all;
}

core::Result<std::string> write_files(const ManifestSet& manifests, const std::vector<std::string>& origins,
                                      const std::string& dir) {
    std::vector<OutputFile> files;
    files.reserve(manifests.size());
    for (size_t i = 0; i < manifests.size(); ++i)
        files.push_back({out_dir_path(manifests[i].object), core::to_yaml(manifests[i].object),
                         origins[i] + " (template " + manifests[i].source + ")"});
    auto written = write_out_dir(dir, files);
    MLSERVE_TRY(written);
    std::string out;
    for (const auto& path : *written) out += path + "\n";
    return out;
}

core::Result<std::string> render_text(const RenderRequest& request, std::vector<core::Error>& warnings) {
    MLSERVE_TRY(check_request(request));
    auto documents = collect_spec_documents(request.inputs);
    MLSERVE_TRY(documents);
    std::vector<spec::LoadedSpec> specs;
    specs.reserve(documents->size());
    for (const auto& document : *documents) {
        auto spec = spec::load_spec(document);
        MLSERVE_TRY(spec);
        for (const auto& warning : spec->warnings) warnings.push_back(warning);
        specs.push_back(std::move(*spec));
    }
    if (request.show_defaults) return show_defaults(specs, request.output);

    std::vector<std::string> origins;
    auto manifests = render_all(specs, request.templates_dir, origins);
    MLSERVE_TRY(manifests);
    if (!request.out_dir.empty()) return write_files(*manifests, origins, request.out_dir);
    switch (request.output) {
    case OutputFormat::json: return to_json_list(*manifests);
    case OutputFormat::name: return to_names(*manifests);
    case OutputFormat::yaml: break;
    }
    return to_yaml_output(*manifests);
}

} // namespace

core::Result<RenderOutput> run_render(const RenderRequest& request) {
    RenderOutput output;
    auto text = render_text(request, output.warnings);
    MLSERVE_TRY(text);
    output.text = std::move(*text);
    return output;
}

} // namespace mlserve::render
