#include "render/run.hpp"

#include <optional>
#include <sstream>
#include <unordered_map>
#include <vector>

#include "core/yaml.hpp"
#include "render/fingerprint.hpp"
#include "render/manifests.hpp"
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

/// Renders spec after spec and writes each one's objects before the next spec is read. Of the objects
/// already written it keeps only what the cross-spec check needs: identity -> digest and spec. The digests
/// of a spec's objects are worked out once another spec follows (most runs render one spec, and need none).
class Renderer {
public:
    Renderer(const RenderRequest& request, std::ostream& out, const WarningSink& warn)
        : m_request(request), m_out(out), m_warn(warn), m_writer(out, request.output, request.show_defaults) {}

    core::Result<void> open() {
        if (m_request.out_dir.empty()) return {};
        auto dir = OutDirWriter::open(m_request.out_dir);
        MLSERVE_TRY(dir);
        m_dir.emplace(std::move(*dir));
        return {};
    }

    core::Result<void> add(core::Document&& document) {
        auto spec = spec::load_spec(document);
        MLSERVE_TRY(spec);
        for (const auto& warning : spec->warnings)
            if (m_warn) m_warn(warning);
        if (m_request.show_defaults) {
            m_writer.write(spec->value());
            return {};
        }
        auto manifests = render(*spec, RenderOptions{m_request.templates_dir});
        MLSERVE_TRY(manifests);
        m_origins.push_back(spec->document.location("").to_string());
        MLSERVE_TRY(keep_new(*manifests));
        if (m_dir) MLSERVE_TRY(write_files(*manifests));
        else
            for (const auto& manifest : *manifests) m_writer.write(manifest.object);
        m_undigested = std::move(*manifests);
        return {};
    }

    void finish() {
        if (!m_dir) m_writer.finish();
    }

private:
    /// Drops the objects an earlier spec rendered identically; refuses one it rendered differently.
    core::Result<void> keep_new(ManifestSet& manifests) {
        digest_previous_spec();
        size_t spec = m_origins.size() - 1;
        ManifestSet fresh;
        fresh.reserve(manifests.size());
        std::vector<Printed*> entries;
        for (auto& manifest : manifests) {
            // canonical_order let no two objects of one spec share an identity: a match is an earlier spec's.
            auto [it, inserted] = m_printed.try_emplace(object_identity(manifest.object), Printed{{}, spec});
            if (!inserted) {
                if (it->second.digest == fingerprint(manifest.object)) continue;
                return core::input_error("two specs render " + describe_object(manifest.object) + " differently: " +
                                             m_origins[it->second.spec] + " and " + m_origins[spec],
                                         {}, {}, "give the models different names or namespaces");
            }
            entries.push_back(&it->second);
            fresh.push_back(std::move(manifest));
        }
        manifests = std::move(fresh);
        m_undigested_entries = std::move(entries);
        return {};
    }

    /// Fills in the digests of the objects the previous spec added to m_printed.
    void digest_previous_spec() {
        for (size_t i = 0; i < m_undigested.size(); ++i)
            m_undigested_entries[i]->digest = fingerprint(m_undigested[i].object);
        m_undigested.clear();
        m_undigested_entries.clear();
    }

    core::Result<void> write_files(const ManifestSet& manifests) {
        std::vector<OutputFile> files;
        files.reserve(manifests.size());
        for (const auto& manifest : manifests)
            files.push_back({out_dir_path(manifest.object), core::to_yaml(manifest.object),
                             m_origins.back() + " (template " + manifest.source + ")"});
        auto written = m_dir->write(files);
        MLSERVE_TRY(written);
        for (const auto& path : *written) m_out << path << '\n';
        return {};
    }

    /// What the cross-spec check keeps of an object already written.
    struct Printed {
        Fingerprint digest;
        size_t spec; ///< index into m_origins
    };

    const RenderRequest& m_request;
    std::ostream& m_out;
    const WarningSink& m_warn;
    ObjectWriter m_writer;
    std::optional<OutDirWriter> m_dir;
    std::vector<std::string> m_origins; ///< "file:line:col" of each spec rendered so far
    std::unordered_map<std::string, Printed> m_printed;
    ManifestSet m_undigested; ///< the previous spec's objects, whose digests m_printed still lacks
    std::vector<Printed*> m_undigested_entries; ///< their entries in m_printed (parallel)
};

} // namespace

core::Result<void> run_render(const RenderRequest& request, std::ostream& out, const WarningSink& warn) {
    MLSERVE_TRY(check_request(request));
    Renderer renderer(request, out, warn);
    MLSERVE_TRY(renderer.open());
    MLSERVE_TRY(for_each_spec_document(request.inputs,
                                       [&](core::Document&& document) { return renderer.add(std::move(document)); }));
    renderer.finish();
    return {};
}

core::Result<RenderOutput> run_render(const RenderRequest& request) {
    RenderOutput output;
    std::ostringstream out;
    MLSERVE_TRY(run_render(request, out, [&](const core::Error& warning) { output.warnings.push_back(warning); }));
    output.text = std::move(out).str();
    return output;
}

} // namespace mlserve::render
