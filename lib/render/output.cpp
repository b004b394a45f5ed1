#include "render/output.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <system_error>

#include "core/yaml.hpp"

namespace mlserve::render {

namespace fs = std::filesystem;
using core::Json;

namespace {

std::string member(const Json& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string metadata_member(const Json& object, const char* key) {
    auto it = object.find("metadata");
    return it != object.end() && it->is_object() ? member(*it, key) : std::string();
}

std::string lowercase(std::string text) {
    for (char& c : text)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return text;
}

/// One safe path component: [a-z0-9.-] only, no leading '.', at most 200 characters, never empty.
std::string safe_component(const std::string& text) {
    std::string out;
    for (char c : lowercase(text)) {
        bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || (c == '.' && !out.empty());
        out += keep ? c : '-';
        if (out.size() == 200) break;
    }
    return out.empty() ? std::string("unnamed") : out;
}

bool inside(const fs::path& base, const fs::path& path) {
    auto [b, p] = std::mismatch(base.begin(), base.end(), path.begin(), path.end());
    return b == base.end();
}

core::Error io_error(std::string message) {
    return core::Error{core::ExitCode::failure, std::move(message), {}, {}, {}, {}};
}

} // namespace

std::string to_yaml_output(const ManifestSet& manifests) {
    std::vector<Json> documents;
    documents.reserve(manifests.size());
    for (const auto& manifest : manifests) documents.push_back(manifest.object);
    return core::to_yaml_stream(documents);
}

std::string to_json_list(const ManifestSet& manifests) {
    Json list = {{"apiVersion", "v1"}, {"kind", "List"}, {"items", Json::array()}};
    for (const auto& manifest : manifests) list["items"].push_back(manifest.object);
    return list.dump(4, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string to_names(const ManifestSet& manifests) {
    std::string out;
    for (const auto& manifest : manifests) {
        std::string api_version = member(manifest.object, "apiVersion");
        size_t slash = api_version.find('/');
        std::string resource = lowercase(member(manifest.object, "kind"));
        if (slash != std::string::npos) resource += "." + api_version.substr(0, slash);
        out += resource + "/" + metadata_member(manifest.object, "name") + "\n";
    }
    return out;
}

std::string out_dir_path(const Json& object) {
    std::string file = safe_component(member(object, "kind") + "-" + metadata_member(object, "name")) + ".yaml";
    std::string ns = metadata_member(object, "namespace");
    return ns.empty() ? file : safe_component(ns) + "/" + file;
}

core::Result<std::vector<std::string>> write_out_dir(const std::string& dir, const std::vector<OutputFile>& files) {
    if (dir.empty()) return core::input_error("--out-dir needs a directory");
    std::error_code ec;
    fs::path base = fs::weakly_canonical(fs::absolute(dir), ec);
    if (ec) return io_error("cannot resolve output directory " + dir + ": " + ec.message());

    // Check everything before writing anything.
    std::map<std::string, const OutputFile*> by_path;
    std::vector<fs::path> targets;
    for (const auto& file : files) {
        fs::path relative = fs::path(file.path).lexically_normal();
        auto [it, fresh] = by_path.emplace(relative.generic_string(), &file);
        if (!fresh)
            return core::input_error("two objects would be written to " + (fs::path(dir) / relative).string() +
                                         ": " + it->second->origin + " and " + file.origin,
                                     {}, {}, "give the objects different names or namespaces, or render the specs "
                                             "into different directories");
        fs::path target = base / relative;
        fs::path resolved = fs::weakly_canonical(target, ec);
        if (relative.empty() || relative.is_absolute() || ec || !inside(base, resolved) || resolved == base)
            return core::input_error("refusing to write " + file.path + ": it resolves outside " + dir, {}, {},
                                     "remove the symbolic link or choose another --out-dir");
        targets.push_back(target);
    }

    std::vector<std::string> written;
    for (size_t i = 0; i < files.size(); ++i) {
        fs::create_directories(targets[i].parent_path(), ec);
        if (ec) return io_error("cannot create directory " + targets[i].parent_path().string() + ": " + ec.message());
        std::ofstream out(targets[i], std::ios::binary | std::ios::trunc);
        out << files[i].text;
        out.close();
        if (!out) return io_error("cannot write " + targets[i].string() + ": " + std::strerror(errno));
        written.push_back((fs::path(dir) / fs::path(files[i].path).lexically_normal()).string());
    }
    return written;
}

} // namespace mlserve::render
