// Checks of single values by their Format: names, quantities, durations, percentages, versions, URIs.
#include <array>
#include <cctype>

#include "core/units.hpp"
#include "spec/detail.hpp"
#include "spec/names.hpp"

namespace mlserve::spec {
namespace {

// URI prefixes KServe's storage initializer and pod webhook accept (kserve_storage.py Storage.download,
// the default ClusterStorageContainer's supportedUriFormats, pvc:// and oci:// handled by the webhook).
// https:// also covers Azure Blob/File URLs (<account>.blob.core.windows.net) and git repositories.
constexpr std::array<std::string_view, 13> k_storage_prefixes{
    "gs://",   "s3://",          "pvc://",         "hdfs://",       "webhdfs://", "hf://",   "modelscope://",
    "oci://",  "oci+modelcar://", "oci+native://", "oci+fetch://", "https://",   "http://"};

std::string shown(std::string_view text) {
    std::string out(text.substr(0, 64));
    if (text.size() > 64) out += "...";
    return "\"" + out + "\"";
}

std::string storage_schemes() {
    std::string out;
    for (auto p : k_storage_prefixes) (out += out.empty() ? "" : ", ") += p;
    return out;
}

} // namespace

namespace detail {

core::Result<void> check_storage_uri(std::string_view uri, std::string_view pointer, Reporter& reporter) {
    for (char c : uri)
        if (std::isspace(static_cast<unsigned char>(c)) || std::iscntrl(static_cast<unsigned char>(c)))
            return reporter.error(pointer, "storage URI " + shown(uri) + " contains whitespace or control characters",
                                  "percent-encode spaces (%20) or rename the object");
    size_t scheme_end = uri.find("://");
    if (scheme_end == std::string_view::npos || uri.starts_with("file://"))
        return reporter.error(pointer, "storage URI " + shown(uri) + " is a local path",
                              "the cluster cannot read files on your machine; upload the model and use one of: " +
                                  storage_schemes());
    std::string_view prefix = uri.substr(0, scheme_end + 3);
    bool known = false;
    for (auto p : k_storage_prefixes) known |= p == prefix;
    if (!known)
        return reporter.error(pointer, "unsupported storage URI scheme \"" + std::string(prefix.substr(0, 32)) + "\"",
                              "KServe's storage initializer reads: " + storage_schemes());
    std::string_view rest = uri.substr(prefix.size());
    size_t slash = rest.find('/');
    std::string_view first = rest.substr(0, slash);
    if (first.empty())
        return reporter.error(pointer, "storage URI " + shown(uri) + " names no " +
                                           (prefix == "pvc://" ? "claim" : prefix.starts_with("http") ? "host" : "bucket or repository"),
                              "write it as " + std::string(prefix) +
                                  (prefix == "pvc://" ? "<claim>/<path>" : "<bucket>/<path>"));
    if (prefix == "pvc://" && !dns_subdomain_problem(first).empty())
        return reporter.error(pointer, "storage URI " + shown(uri) + ": \"" + std::string(first.substr(0, 64)) +
                                           "\" is not a valid PersistentVolumeClaim name",
                              dns_subdomain_problem(first));
    return {};
}

core::Result<void> check_format(Format format, const core::Json& value, std::string_view pointer, Reporter& reporter) {
    if (!value.is_string()) return {};
    const std::string& text = value.get_ref<const std::string&>();
    auto located = [&](core::Error error) {
        core::Error e = reporter.error(pointer, std::move(error.message), std::move(error.hint));
        return e;
    };
    switch (format) {
    case Format::none: return {};
    case Format::dns_label:
        if (auto problem = dns_label_problem(text); !problem.empty())
            return reporter.error(pointer, "invalid name " + shown(text) + ": " + problem, name_hint(text));
        return {};
    case Format::quantity: {
        auto q = core::parse_quantity(text);
        if (!q.ok()) return located(std::move(q).error());
        if (q->value < 0) return reporter.error(pointer, "quantity " + shown(text) + " is negative", "use 0 or more");
        return {};
    }
    case Format::duration: {
        auto d = core::parse_duration(text);
        if (!d.ok()) return located(std::move(d).error());
        if (d->count() < 0) return reporter.error(pointer, "duration " + shown(text) + " is negative", "use 0s or more");
        return {};
    }
    case Format::percentage: {
        auto p = core::parse_percentage(text);
        if (!p.ok()) return located(std::move(p).error());
        return {};
    }
    case Format::version: {
        // MAJOR.MINOR, optionally with a leading v and a patch number.
        size_t i = text.starts_with("v") ? 1 : 0;
        int parts = 0;
        bool ok = true;
        while (ok && i <= text.size()) {
            size_t start = i;
            while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
            ok = i > start && i - start <= 4;
            ++parts;
            if (i == text.size()) break;
            ok = ok && text[i] == '.';
            ++i;
        }
        if (!ok || parts < 2 || parts > 3)
            return reporter.error(pointer, "invalid version " + shown(text), "write MAJOR.MINOR in quotes, e.g. \"0.16\"");
        return {};
    }
    case Format::storage_uri: return check_storage_uri(text, pointer, reporter);
    case Format::url:
        if (!(text.starts_with("http://") || text.starts_with("https://")) || text.find("://") + 3 >= text.size())
            return reporter.error(pointer, "invalid URL " + shown(text), "write http://host:port or https://host");
        for (char c : text)
            if (std::isspace(static_cast<unsigned char>(c)) || std::iscntrl(static_cast<unsigned char>(c)))
                return reporter.error(pointer, "invalid URL " + shown(text) + ": it contains whitespace",
                                      "remove the spaces");
        return {};
    }
    return {};
}

bool version_at_least(std::string_view version, int major, int minor) {
    int parts[2] = {0, 0};
    size_t i = 0;
    for (int k = 0; k < 2; ++k) {
        while (i < version.size() && std::isdigit(static_cast<unsigned char>(version[i])))
            parts[k] = std::min(parts[k] * 10 + (version[i++] - '0'), 100000);
        if (i < version.size() && version[i] == '.') ++i;
    }
    return parts[0] > major || (parts[0] == major && parts[1] >= minor);
}

} // namespace detail
} // namespace mlserve::spec
