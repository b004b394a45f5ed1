#include "render/output.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
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

/// "kind.group/name" as kubectl -o name prints it.
std::string name_line(const Json& object) {
    std::string api_version = member(object, "apiVersion");
    size_t slash = api_version.find('/');
    std::string resource = lowercase(member(object, "kind"));
    if (slash != std::string::npos) resource += "." + api_version.substr(0, slash);
    return resource + "/" + metadata_member(object, "name") + "\n";
}

constexpr const char* k_list_head = "{\n    \"apiVersion\": \"v1\",\n    \"kind\": \"List\",\n    \"items\": [";

} // namespace

ObjectWriter::ObjectWriter(std::ostream& out, OutputFormat format, bool bare_single)
    : m_out(out), m_format(format), m_bare_single(bare_single && format == OutputFormat::json) {}

void ObjectWriter::write(const Json& object) {
    switch (m_format) {
    case OutputFormat::yaml: m_out << "---\n" << core::to_yaml(object); break;
    case OutputFormat::name: m_out << name_line(object); break;
    case OutputFormat::json:
        if (m_bare_single && m_count == 0) {
            m_held = object;
            break;
        }
        if (m_bare_single && m_count == 1) {
            write_json_item(m_held);
            m_held = nullptr;
        }
        write_json_item(object);
        break;
    }
    ++m_count;
}

// The List exactly as nlohmann's dump(4) prints it, one item at a time: an item is its own dump(4) indented
// by two levels (a dumped string never holds a raw newline, so indenting after every newline is exact).
void ObjectWriter::write_json_item(const Json& object) {
    m_out << (m_items++ == 0 ? k_list_head : ",") << "\n        ";
    std::string text = object.dump(4, ' ', false, Json::error_handler_t::replace);
    size_t start = 0;
    for (size_t newline = text.find('\n'); newline != std::string::npos; newline = text.find('\n', start)) {
        m_out.write(text.data() + start, static_cast<std::streamsize>(newline + 1 - start));
        m_out << "        ";
        start = newline + 1;
    }
    m_out.write(text.data() + start, static_cast<std::streamsize>(text.size() - start));
}

void ObjectWriter::finish() {
    if (m_format != OutputFormat::json) return;
    if (m_bare_single && m_count == 1)
        m_out << m_held.dump(4, ' ', false, Json::error_handler_t::replace) << "\n";
    else if (m_items == 0)
        m_out << k_list_head << "]\n}\n";
    else
        m_out << "\n    ]\n}\n";
}

std::string to_yaml_output(const ManifestSet& manifests) {
    std::ostringstream out;
    ObjectWriter writer(out, OutputFormat::yaml);
    for (const auto& manifest : manifests) writer.write(manifest.object);
    writer.finish();
    return std::move(out).str();
}

std::string to_json_list(const ManifestSet& manifests) {
    std::ostringstream out;
    ObjectWriter writer(out, OutputFormat::json);
    for (const auto& manifest : manifests) writer.write(manifest.object);
    writer.finish();
    return std::move(out).str();
}

std::string to_names(const ManifestSet& manifests) {
    std::string out;
    for (const auto& manifest : manifests) out += name_line(manifest.object);
    return out;
}

std::string out_dir_path(const Json& object) {
    std::string file = safe_component(member(object, "kind") + "-" + metadata_member(object, "name")) + ".yaml";
    std::string ns = metadata_member(object, "namespace");
    return ns.empty() ? file : safe_component(ns) + "/" + file;
}

core::Result<OutDirWriter> OutDirWriter::open(const std::string& dir) {
    if (dir.empty()) return core::input_error("--out-dir needs a directory");
    std::error_code ec;
    fs::path base = fs::weakly_canonical(fs::absolute(dir), ec);
    if (ec) return io_error("cannot resolve output directory " + dir + ": " + ec.message());
    return OutDirWriter(dir, base.string());
}

core::Result<std::vector<std::string>> OutDirWriter::write(const std::vector<OutputFile>& files) {
    // Check the whole batch before writing any of it.
    fs::path base(m_base);
    std::map<std::string, const std::string*> batch;
    std::vector<fs::path> targets;
    targets.reserve(files.size());
    for (const auto& file : files) {
        fs::path relative = fs::path(file.path).lexically_normal();
        std::string key = relative.generic_string();
        auto earlier = m_written.find(key);
        auto [it, fresh] = batch.emplace(key, &file.origin);
        if (earlier != m_written.end() || !fresh)
            return core::input_error("two objects would be written to " + (fs::path(m_dir) / relative).string() +
                                         ": " + (fresh ? earlier->second : *it->second) + " and " + file.origin,
                                     {}, {}, "give the objects different names or namespaces, or render the specs "
                                             "into different directories");
        std::error_code ec;
        fs::path target = base / relative;
        fs::path resolved = fs::weakly_canonical(target, ec);
        if (relative.empty() || relative.is_absolute() || ec || !inside(base, resolved) || resolved == base)
            return core::input_error("refusing to write " + file.path + ": it resolves outside " + m_dir, {}, {},
                                     "remove the symbolic link or choose another --out-dir");
        targets.push_back(std::move(target));
    }

    std::vector<std::string> written;
    written.reserve(files.size());
    for (size_t i = 0; i < files.size(); ++i) {
        std::error_code ec;
        fs::create_directories(targets[i].parent_path(), ec);
        if (ec) return io_error("cannot create directory " + targets[i].parent_path().string() + ": " + ec.message());
        std::ofstream out(targets[i], std::ios::binary | std::ios::trunc);
        out << files[i].text;
        out.close();
        if (!out) return io_error("cannot write " + targets[i].string() + ": " + std::strerror(errno));
        fs::path relative = fs::path(files[i].path).lexically_normal();
        m_written.emplace(relative.generic_string(), files[i].origin);
        written.push_back((fs::path(m_dir) / relative).string());
    }
    return written;
}

core::Result<std::vector<std::string>> write_out_dir(const std::string& dir, const std::vector<OutputFile>& files) {
    auto writer = OutDirWriter::open(dir);
    MLSERVE_TRY(writer);
    return writer->write(files);
}

} // namespace mlserve::render
