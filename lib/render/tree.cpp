#include "render/tree.hpp"

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>

#include "core/yaml.hpp"

namespace mlserve::render {

namespace fs = std::filesystem;
using core::Json;

namespace {

bool yaml_name(const fs::path& path) {
    std::string ext = path.extension().string();
    return ext == ".yaml" || ext == ".yml";
}

bool hidden(const fs::path& path) {
    std::string name = path.filename().string();
    return !name.empty() && name[0] == '.';
}

/// The same file named twice (a.yaml, ./a.yaml, dir/ and dir/a.yaml) is read once.
bool first_time(std::set<std::string>& seen, const std::string& path) {
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(path, ec);
    return seen.insert(ec ? path : canonical.string()).second;
}

core::Result<void> walk_directory(const std::string& dir, std::set<std::string>& seen, const DocumentVisitor& visit) {
    auto files = find_yaml_files(dir);
    MLSERVE_TRY(files);
    bool found = false;
    for (const auto& file : *files) {
        if (!first_time(seen, file)) continue;
        auto text = core::read_file(file);
        MLSERVE_TRY(text);
        // Most YAML in a tree is something else (manifests, CI files): skip those without parsing them.
        if (text->find("ModelDeployment") == std::string::npos && text->find("mlserve.io") == std::string::npos)
            continue;
        auto documents = core::parse_yaml(*text, file);
        MLSERVE_TRY(documents);
        text->clear();
        text->shrink_to_fit();
        for (auto& document : *documents) {
            if (!is_model_document(document.value)) continue;
            found = true;
            MLSERVE_TRY(visit(std::move(document)));
        }
    }
    if (!found)
        return core::input_error(
            "no ModelDeployment spec found under " + dir, {}, {},
            "a spec is a *.yaml file with apiVersion: mlserve.io/v1alpha1 and kind: ModelDeployment");
    return {};
}

} // namespace

core::Result<std::vector<std::string>> find_yaml_files(const std::string& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return core::input_error(dir + " is not a directory", {}, {}, "pass a spec file, a directory of specs or -");
    std::vector<std::string> files;
    fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec);
    if (ec) return core::input_error("cannot read directory " + dir + ": " + ec.message());
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) return core::input_error("cannot read directory " + dir + ": " + ec.message());
        const fs::path& path = it->path();
        if (hidden(path)) {
            if (it->is_directory(ec)) it.disable_recursion_pending();
            continue;
        }
        if (yaml_name(path) && it->is_regular_file(ec)) files.push_back(path.string());
    }
    if (ec) return core::input_error("cannot read directory " + dir + ": " + ec.message());
    std::sort(files.begin(), files.end());
    return files;
}

bool is_model_document(const Json& value) {
    if (!value.is_object()) return false;
    auto kind = value.find("kind");
    if (kind != value.end() && kind->is_string() && *kind == "ModelDeployment") return true;
    auto api_version = value.find("apiVersion");
    return api_version != value.end() && api_version->is_string() &&
           api_version->get<std::string>().rfind("mlserve.io/", 0) == 0;
}

core::Result<void> for_each_spec_document(const std::vector<std::string>& inputs, const DocumentVisitor& visit) {
    std::set<std::string> seen;
    for (const auto& input : inputs) {
        std::error_code ec;
        if (input != "-" && fs::is_directory(input, ec)) {
            MLSERVE_TRY(walk_directory(input, seen, visit));
            continue;
        }
        if (input != "-" && !first_time(seen, input)) continue;
        auto documents = core::load_yaml_file(input);
        MLSERVE_TRY(documents);
        if (documents->empty())
            return core::input_error("no ModelDeployment spec in " + (input == "-" ? "standard input" : input), {},
                                     {}, "the file is empty; write a spec with kubectl mlserve init");
        for (auto& document : *documents) MLSERVE_TRY(visit(std::move(document)));
    }
    return {};
}

core::Result<std::vector<core::Document>> collect_spec_documents(const std::vector<std::string>& inputs) {
    std::vector<core::Document> out;
    MLSERVE_TRY(for_each_spec_document(inputs, [&](core::Document&& document) -> core::Result<void> {
        out.push_back(std::move(document));
        return {};
    }));
    return out;
}

} // namespace mlserve::render
