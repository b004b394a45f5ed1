// The schema cache's files: one folder, entries named <key><suffix>, written through a temporary file and a rename
// so that concurrent runs see whole entries or none.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <functional>

#include "core/yaml.hpp"
#include "validate/schema_cache.hpp"

namespace mlserve::validate::schema_detail {

namespace {

// Bump when what is cached (index lines, stripped schemas) changes meaning.
constexpr std::string_view k_format = "1";
constexpr off_t k_min_cached_size = 64 * 1024;

std::string hex(std::uint64_t value) {
    static constexpr char k_digits[] = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i, value >>= 4) out[static_cast<std::size_t>(i)] = k_digits[value & 15];
    return out;
}

bool documentation_key(std::string_view key) {
    return key == "description" || key == "example" || key == "title" || key == "externalDocs" || key == "default";
}

} // namespace

SchemaCache::SchemaCache() {
    const char* own = std::getenv("MLSERVE_SCHEMA_CACHE_DIR");
    if (own && std::string_view(own) == "off") return;
    if (own && *own) {
        m_dir = own;
    } else if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) {
        m_dir = std::string(xdg) + "/kubectl-mlserve/schemas";
    } else if (const char* home = std::getenv("HOME"); home && *home) {
        m_dir = std::string(home) + "/.cache/kubectl-mlserve/schemas";
    }
}

std::string SchemaCache::key_of(const std::string& path) const {
    if (m_dir.empty()) return {};
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0 || info.st_size < k_min_cached_size) return {};
    std::error_code ec;
    const std::string absolute = std::filesystem::absolute(path, ec).lexically_normal().string();
    const std::string identity = std::string(k_format) + '\0' + absolute + '\0' + std::to_string(info.st_size) +
                                 '\0' + std::to_string(info.st_mtim.tv_sec) + '.' +
                                 std::to_string(info.st_mtim.tv_nsec) + '\0' + std::to_string(info.st_ino);
    // two independent hashes: a collision would need both to collide
    const std::uint64_t a = std::hash<std::string>{}(identity);
    const std::uint64_t b = std::hash<std::string>{}(identity + "#");
    return hex(a) + hex(b);
}

std::optional<std::string> SchemaCache::read(const std::string& key, std::string_view suffix) const {
    if (m_dir.empty() || key.empty()) return std::nullopt;
    const std::string path = m_dir + "/" + key + std::string(suffix);
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    std::string out;
    struct stat info {};
    if (::fstat(fd, &info) == 0) out.resize(static_cast<std::size_t>(info.st_size));
    std::size_t done = 0;
    while (done < out.size()) {
        const ssize_t got = ::read(fd, out.data() + done, out.size() - done);
        if (got <= 0) break;
        done += static_cast<std::size_t>(got);
    }
    ::close(fd);
    if (done != out.size()) return std::nullopt;
    return out;
}

void SchemaCache::write(const std::string& key, std::string_view suffix, std::string_view content) const {
    if (m_dir.empty() || key.empty()) return;
    std::error_code ec;
    std::filesystem::create_directories(m_dir, ec);
    const std::string path = m_dir + "/" + key + std::string(suffix);
    std::string temporary = path + ".XXXXXX";
    const int fd = ::mkstemp(temporary.data());
    if (fd < 0) return;
    std::size_t done = 0;
    while (done < content.size()) {
        const ssize_t put = ::write(fd, content.data() + done, content.size() - done);
        if (put <= 0) break;
        done += static_cast<std::size_t>(put);
    }
    const bool ok = ::close(fd) == 0 && done == content.size();
    if (!ok || ::rename(temporary.c_str(), path.c_str()) != 0) ::unlink(temporary.c_str());
}

core::Json strip_schema(const core::Json& schema) {
    if (!schema.is_object()) return schema;
    core::Json out = core::Json::object();
    for (const auto& item : schema.items()) {
        const std::string& key = item.key();
        const core::Json& value = item.value();
        if (documentation_key(key)) continue;
        if (key == "properties" && value.is_object()) {
            core::Json properties = core::Json::object();
            for (const auto& property : value.items()) properties[property.key()] = strip_schema(property.value());
            out[key] = std::move(properties);
        } else if ((key == "items" || key == "additionalProperties" || key == "not") && value.is_object()) {
            out[key] = strip_schema(value);
        } else if ((key == "allOf" || key == "anyOf" || key == "oneOf" || key == "items") && value.is_array()) {
            core::Json parts = core::Json::array();
            for (const auto& part : value) parts.push_back(strip_schema(part));
            out[key] = std::move(parts);
        } else {
            out[key] = value;
        }
    }
    return out;
}

std::string cache_suffix(std::string_view gvk_key) {
    std::string out = ".";
    for (char c : gvk_key) out += c == '/' ? '_' : c;
    return out + ".json";
}

} // namespace mlserve::validate::schema_detail
