// `validate -f ...`: files, directories and stdin to the objects to check, specs rendered on the way.

#include "validate/inputs.hpp"

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>

#include "core/yaml.hpp"
#include "render/render.hpp"
#include "render/tree.hpp"
#include "spec/spec.hpp"

namespace mlserve::validate {

namespace fs = std::filesystem;
using core::Json;

namespace {

bool manifest_name(const fs::path& path) {
    std::string ext = path.extension().string();
    return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

bool hidden(const fs::path& path) {
    std::string name = path.filename().string();
    return !name.empty() && name[0] == '.';
}

core::Result<std::vector<std::string>> list_directory(const std::string& dir, bool recursive) {
    std::vector<std::string> files;
    std::error_code ec;
    auto fail = [&] { return core::input_error("cannot read directory " + dir + ": " + ec.message()); };
    fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec);
    if (ec) return fail();
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) return fail();
        const fs::path& path = it->path();
        bool is_dir = it->is_directory(ec);
        if (hidden(path) || (is_dir && !recursive)) {
            if (is_dir) it.disable_recursion_pending();
            continue;
        }
        if (manifest_name(path) && it->is_regular_file(ec)) files.push_back(path.string());
    }
    if (ec) return fail();
    if (files.empty())
        return core::input_error("no *.yaml, *.yml or *.json file under " + dir, {}, {},
                                 recursive ? "pass the files themselves, or a directory that holds some"
                                           : "drop --recursive=false to look in its subdirectories too");
    std::sort(files.begin(), files.end());
    return files;
}

/// The -f values as files, in order, each once ("-" kept as is).
core::Result<std::vector<std::string>> expand(const InputOptions& options) {
    if (options.filenames.empty())
        return core::input_error("no input given", {}, {}, "pass -f FILE, -f DIR or -f - (standard input)");
    std::vector<std::string> files;
    std::set<std::string> seen;
    auto add = [&](const std::string& file) {
        std::error_code ec;
        fs::path canonical = fs::weakly_canonical(file, ec);
        if (file == "-" || seen.insert(ec ? file : canonical.string()).second) files.push_back(file);
    };
    for (const auto& name : options.filenames) {
        std::error_code ec;
        if (name == "-") {
            add(name);
        } else if (fs::is_directory(name, ec)) {
            auto listed = list_directory(name, options.recursive);
            MLSERVE_TRY(listed);
            for (const auto& file : *listed) add(file);
        } else if (fs::exists(name, ec)) {
            add(name);
        } else {
            return core::input_error("the path \"" + name + "\" does not exist", {}, {},
                                     "pass an existing file or directory, or - for standard input");
        }
    }
    return files;
}

Finding finding(std::string rule, Severity severity, std::string message, std::string hint,
                core::SourceLocation location, std::string path = {}, std::string object = {}) {
    return Finding{std::move(rule), severity, std::move(message), std::move(hint), std::move(location),
                   std::move(path), std::move(object)};
}

/// Copies the positions of the subtree at `from` in `source` to the same nodes at `to` in `target`.
void copy_positions(const core::Document& source, const Json& value, const std::string& from, core::Document& target,
                    const std::string& to) {
    if (auto mark = source.positions.exact(from); mark.line > 0) target.positions.set(to, mark);
    if (auto mark = source.key_positions.exact(from); mark.line > 0) target.key_positions.set(to, mark);
    if (value.is_object()) {
        for (auto it = value.begin(); it != value.end(); ++it)
            copy_positions(source, it.value(), core::pointer_append(from, it.key()), target,
                           core::pointer_append(to, it.key()));
    } else if (value.is_array()) {
        for (size_t i = 0; i < value.size(); ++i)
            copy_positions(source, value[i], core::pointer_append(from, std::to_string(i)), target,
                           core::pointer_append(to, std::to_string(i)));
    }
}

bool is_list(const Json& value) {
    auto kind = value.find("kind");
    auto items = value.find("items");
    if (kind == value.end() || !kind->is_string() || items == value.end() || !items->is_array()) return false;
    const auto& name = kind->get_ref<const std::string&>();
    return name.size() >= 4 && name.compare(name.size() - 4, 4, "List") == 0;
}

/// "ModelDeployment/name" as Manifest::display_name() would say it, without copying the document.
std::string spec_name(const Json& value) {
    auto kind = value.find("kind");
    std::string name = kind != value.end() && kind->is_string() ? kind->get<std::string>() : "(no kind)";
    auto metadata = value.find("metadata");
    if (metadata == value.end() || !metadata->is_object()) return name;
    auto it = metadata->find("name");
    return it != metadata->end() && it->is_string() ? name + "/" + it->get<std::string>() : name;
}

class Reader {
public:
    Reader(const InputOptions& options, InputSet& out) : m_options(options), m_out(out) {}

    void read_file(const std::string& file) {
        m_out.files.push_back(file);
        std::string display = file == "-" ? "<stdin>" : file;
        auto text = core::read_file(file, k_max_input_bytes);
        if (!text) {
            const auto& error = text.error();
            bool too_large = error.message.find("over the limit") != std::string::npos;
            input_failure(too_large ? "input.too-large" : "input.unreadable", error.message,
                          too_large ? "split it into files of at most 64 MiB" : error.hint, {display, 0, 0});
            return;
        }
        core::YamlLimits limits;
        limits.max_bytes = k_max_input_bytes;
        // Aliases aside, a node takes at least a byte of text: this bounds alias expansion, not honest streams.
        limits.max_nodes = text->size() + limits.max_nodes;
        auto documents = core::parse_yaml(*text, display, limits);
        text->clear();
        text->shrink_to_fit();
        if (!documents) {
            const auto& error = documents.error();
            input_failure("input.parse", error.message, error.hint, error.location);
            return;
        }
        size_t index = 0;
        for (auto& document : *documents) add_document(std::move(document), index++);
    }

private:
    void input_failure(std::string rule, std::string message, std::string hint, core::SourceLocation location) {
        m_out.malformed = true;
        m_out.objects.push_back(ObjectRef{location.file, 0, ""});
        m_out.findings.push_back(finding(std::move(rule), Severity::error, std::move(message), std::move(hint),
                                         std::move(location)));
    }

    void add_document(core::Document&& document, size_t index) {
        const Json& value = document.value;
        if (!value.is_object()) {
            auto where = document.location("");
            m_out.objects.push_back(ObjectRef{where.file, where.line, ""});
            m_out.findings.push_back(finding("input.not-an-object", Severity::error,
                                             "document " + std::to_string(index + 1) + " is " +
                                                 (value.is_array() ? "a list" : "a scalar") + ", not an object",
                                             "each YAML document must be one Kubernetes object (a map)", where));
            return;
        }
        if (is_list(value)) {
            const Json& items = value["items"];
            for (size_t i = 0; i < items.size(); ++i) {
                core::Document item{items[i], {}, document.file};
                copy_positions(document, items[i], "/items/" + std::to_string(i), item, "");
                add_object(std::move(item), index, false);
            }
            return;
        }
        if (render::is_model_document(value)) {
            add_spec(std::move(document), index);
            return;
        }
        add_object(std::move(document), index, false);
    }

    void add_object(core::Document&& document, size_t index, bool rendered) {
        Manifest manifest{std::move(document), index};
        auto where = manifest.doc.location("");
        std::string object = manifest.display_name() + (rendered ? " (rendered)" : "");
        m_out.objects.push_back(ObjectRef{where.file, where.line, object});
        if (!manifest.doc.value.is_object()) {
            m_out.findings.push_back(finding("input.not-an-object", Severity::error,
                                             "an item of the List in document " + std::to_string(index + 1) +
                                                 " is not an object",
                                             "each item of a List must be one Kubernetes object (a map)", where));
            return;
        }
        if (missing_identity(manifest, object)) return;
        m_out.manifests.push_back(std::move(manifest));
        m_out.rendered.push_back(rendered);
    }

    /// An object without apiVersion or kind cannot be looked up or checked: a finding, and no further checks.
    bool missing_identity(const Manifest& manifest, const std::string& object) {
        const Json& value = manifest.doc.value;
        for (const char* field : {"apiVersion", "kind"}) {
            auto it = value.find(field);
            if (it != value.end() && it->is_string() && !it->get_ref<const std::string&>().empty()) continue;
            bool present = it != value.end();
            m_out.findings.push_back(finding(
                std::string("input.missing-") + (field[0] == 'a' ? "api-version" : "kind"), Severity::error,
                present ? std::string(field) + " must be a non-empty string"
                        : "document " + std::to_string(manifest.index + 1) + " has no " + field,
                field[0] == 'a' ? "add apiVersion, e.g. apiVersion: apps/v1" : "add kind, e.g. kind: Deployment",
                present ? manifest.doc.location(std::string("/") + field) : manifest.doc.location(""),
                present ? field : "", object));
            return true;
        }
        return false;
    }

    void add_spec(core::Document&& document, size_t index) {
        auto root = document.location("");
        std::string object = spec_name(document.value);
        m_out.objects.push_back(ObjectRef{root.file, root.line, object});
        auto spec = spec::load_spec(document);
        if (!spec) {
            const auto& error = spec.error();
            m_out.findings.push_back(finding("spec.invalid", Severity::error, error.message, error.hint,
                                             error.location.known() ? error.location : root, error.path, object));
            return;
        }
        for (const auto& warning : spec->warnings)
            m_out.findings.push_back(finding("spec.warning", Severity::warning, warning.message, warning.hint,
                                             warning.location.known() ? warning.location : root, warning.path,
                                             object));
        auto manifests = render::render(*spec, render::RenderOptions{m_options.templates_dir});
        if (!manifests) {
            const auto& error = manifests.error();
            m_out.findings.push_back(finding("spec.render", Severity::error, error.message, error.hint, root,
                                             error.path, object));
            return;
        }
        core::Mark mark{root.line, root.column};
        for (auto& rendered : *manifests) {
            core::Document doc{std::move(rendered.object), {}, root.file};
            doc.positions.set("", mark);
            add_object(std::move(doc), index, true);
        }
    }

    const InputOptions& m_options;
    InputSet& m_out;
};

} // namespace

core::Result<InputSet> read_inputs(const InputOptions& options) {
    std::error_code ec;
    if (!options.templates_dir.empty() && !fs::is_directory(options.templates_dir, ec))
        return core::input_error("--templates " + options.templates_dir + " is not a directory", {}, {},
                                 "export the built-in templates with kubectl mlserve templates export DIR");
    auto files = expand(options);
    MLSERVE_TRY(files);
    InputSet out;
    Reader reader(options, out);
    for (const auto& file : *files) reader.read_file(file);
    return out;
}

const std::vector<RuleInfo>& input_rules() {
    static const std::vector<RuleInfo> k_rules = {
        {"input.missing-api-version", "input", Severity::error, "every object needs a string apiVersion"},
        {"input.missing-kind", "input", Severity::error, "every object needs a string kind"},
        {"input.not-an-object", "input", Severity::error, "each YAML document must be a map (a Kubernetes object)"},
        {"input.parse", "input", Severity::error, "the file is not well-formed YAML or JSON (exit code 2)"},
        {"input.too-large", "input", Severity::error, "the file is over 64 MiB; split it (exit code 2)"},
        {"input.unreadable", "input", Severity::error, "the file cannot be read (exit code 2)"},
        {"schema.not-found", "schema", Severity::warning,
         "no schema for the object's apiVersion and kind (an error with --strict); add one with --schema-location"},
        {"spec.invalid", "spec", Severity::error, "the ModelDeployment spec does not load (unknown field, bad value)"},
        {"spec.render", "spec", Severity::error, "the ModelDeployment spec loads but does not render"},
        {"spec.warning", "spec", Severity::warning, "the spec loads but something in it deserves a look"},
    };
    return k_rules;
}

} // namespace mlserve::validate
