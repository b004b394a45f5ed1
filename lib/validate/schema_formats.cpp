// String formats as Kubernetes checks them (k8s.io/kube-openapi's format registry), resource quantities
// (k8s.io/apimachinery resource.ParseQuantity's grammar), and the catalogue of schema.* rules.

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "validate/schema_detail.hpp"

namespace mlserve::validate::schema_detail {

namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }

// digits | digits "." digits? | "." digits; advances `i`.
bool unsigned_number(std::string_view text, std::size_t& i) {
    const std::size_t start = i;
    while (i < text.size() && digit(text[i])) ++i;
    const bool whole = i > start;
    if (i < text.size() && text[i] == '.') {
        ++i;
        const std::size_t fraction = i;
        while (i < text.size() && digit(text[i])) ++i;
        return whole || i > fraction;
    }
    return whole;
}

bool all_digits(std::string_view text, std::size_t count) {
    if (text.size() < count) return false;
    for (std::size_t i = 0; i < count; ++i)
        if (!digit(text[i])) return false;
    return true;
}

int two(std::string_view text, std::size_t at) { return (text[at] - '0') * 10 + (text[at + 1] - '0'); }

bool valid_date(std::string_view text) {
    if (text.size() != 10 || !all_digits(text, 4) || text[4] != '-' || text[7] != '-' || !all_digits(text.substr(5), 2) ||
        !all_digits(text.substr(8), 2))
        return false;
    const int year = std::stoi(std::string(text.substr(0, 4)));
    const int month = two(text, 5), day = two(text, 8);
    static constexpr int k_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12 || day < 1 || day > k_days[month - 1]) return false;
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return !(month == 2 && day == 29 && !leap);
}

// RFC 3339: 2006-01-02T15:04:05(.999)?(Z|+07:00)
bool valid_date_time(std::string_view text) {
    if (text.size() < 20 || !valid_date(text.substr(0, 10))) return false;
    if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') return false;
    std::string_view time = text.substr(11);
    if (time.size() < 9 || !all_digits(time, 2) || time[2] != ':' || !all_digits(time.substr(3), 2) ||
        time[5] != ':' || !all_digits(time.substr(6), 2))
        return false;
    if (two(time, 0) > 23 || two(time, 3) > 59 || two(time, 6) > 60) return false;
    std::size_t i = 8;
    if (time[i] == '.') {
        ++i;
        const std::size_t start = i;
        while (i < time.size() && digit(time[i])) ++i;
        if (i == start) return false;
    }
    std::string_view zone = time.substr(i);
    if (zone == "Z" || zone == "z") return true;
    if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && all_digits(zone.substr(1), 2) && zone[3] == ':' &&
        all_digits(zone.substr(4), 2))
        return two(zone, 1) <= 23 && two(zone, 4) <= 59;
    return false;
}

// Go durations as strfmt accepts them: 1h30m, 500ms, 1.5s, 2d, 1w.
bool valid_duration(std::string_view text) {
    std::size_t i = 0;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (text.substr(i) == "0") return true;
    bool any = false;
    while (i < text.size()) {
        if (!unsigned_number(text, i)) return false;
        while (i < text.size() && text[i] == ' ') ++i;
        const std::size_t unit = i;
        while (i < text.size() && (std::isalpha(static_cast<unsigned char>(text[i])) || text[i] == '\xc2' ||
                                   text[i] == '\xb5'))
            ++i;
        static constexpr std::string_view k_units[] = {"ns", "us", "\xc2\xb5s", "ms", "s", "m", "h", "d", "w"};
        std::string_view name = text.substr(unit, i - unit);
        if (std::find(std::begin(k_units), std::end(k_units), name) == std::end(k_units)) return false;
        any = true;
    }
    return any;
}

bool valid_uuid(std::string_view text) {
    if (text.size() != 36) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
    }
    return true;
}

bool valid_ip(std::string_view text, int family) {
    std::string copy(text);
    unsigned char buffer[16];
    return inet_pton(family, copy.c_str(), buffer) == 1;
}

bool valid_cidr(std::string_view text) {
    const std::size_t slash = text.find('/');
    if (slash == std::string_view::npos || slash + 1 >= text.size()) return false;
    std::string_view address = text.substr(0, slash), prefix = text.substr(slash + 1);
    if (prefix.size() > 3 || !all_digits(prefix, prefix.size())) return false;
    const int bits = std::stoi(std::string(prefix));
    if (valid_ip(address, AF_INET)) return bits <= 32;
    return valid_ip(address, AF_INET6) && bits <= 128;
}

bool valid_hostname(std::string_view text) {
    if (text.empty() || text.size() > 255) return false;
    std::size_t label = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        if (i == text.size() || text[i] == '.') {
            if (label == 0 || label > 63 || text[i - 1] == '-' || text[i - label] == '-') return false;
            label = 0;
        } else if (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '-') {
            ++label;
        } else {
            return false;
        }
    }
    return true;
}

bool valid_base64(std::string_view text) {
    if (text.size() % 4 != 0) return false;
    std::size_t padding = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '=') {
            ++padding;
            if (i + 3 < text.size()) return false;
        } else if (padding > 0 || !(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/')) {
            return false;
        }
    }
    return padding <= 2;
}

} // namespace

bool is_quantity(std::string_view text) {
    std::size_t i = 0;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (!unsigned_number(text, i)) return false;
    std::string_view suffix = text.substr(i);
    if (suffix.empty()) return true;
    if (suffix.size() == 2 && suffix[1] == 'i') return std::string_view("KMGTPE").find(suffix[0]) != std::string_view::npos;
    if (suffix.size() == 1) return std::string_view("numkMGTPE").find(suffix[0]) != std::string_view::npos;
    if (suffix[0] != 'e' && suffix[0] != 'E') return false;
    std::size_t j = 1;
    if (j < suffix.size() && (suffix[j] == '+' || suffix[j] == '-')) ++j;
    return unsigned_number(suffix, j) && j == suffix.size();
}

std::string_view format_name(Format format) {
    switch (format) {
    case Format::none: return "";
    case Format::int32: return "int32";
    case Format::int64: return "int64";
    case Format::byte: return "base64 string (format byte)";
    case Format::date: return "date";
    case Format::date_time: return "date-time";
    case Format::duration: return "duration";
    case Format::uuid: return "uuid";
    case Format::ipv4: return "IPv4 address";
    case Format::ipv6: return "IPv6 address";
    case Format::cidr: return "CIDR";
    case Format::hostname: return "hostname";
    }
    return "";
}

std::string_view format_problem(Format format, std::string_view text) {
    switch (format) {
    case Format::byte: return valid_base64(text) ? "" : "base64-encoded data (RFC 4648 standard alphabet, padded)";
    case Format::date: return valid_date(text) ? "" : "a date such as 2024-05-31";
    case Format::date_time: return valid_date_time(text) ? "" : "an RFC 3339 time such as 2024-05-31T12:00:00Z";
    case Format::duration: return valid_duration(text) ? "" : "a duration such as 30s, 5m or 1h30m";
    case Format::uuid: return valid_uuid(text) ? "" : "a UUID such as 123e4567-e89b-12d3-a456-426614174000";
    case Format::ipv4: return valid_ip(text, AF_INET) ? "" : "an IPv4 address such as 10.0.0.1";
    case Format::ipv6: return valid_ip(text, AF_INET6) ? "" : "an IPv6 address such as fd00::1";
    case Format::cidr: return valid_cidr(text) ? "" : "a CIDR such as 10.0.0.0/16";
    case Format::hostname: return valid_hostname(text) ? "" : "a hostname such as models.example.com";
    default: return "";
    }
}

} // namespace mlserve::validate::schema_detail

namespace mlserve::validate {

const std::vector<RuleInfo>& schema_rules() {
    static const std::vector<RuleInfo> k_rules = {
        {"schema.cel-not-evaluated", "schema", Severity::info,
         "an x-kubernetes-validations CEL rule that only the API server evaluates (shown with -v)"},
        {"schema.depth", "schema", Severity::error, "a value the schema recurses over too deeply to check"},
        {"schema.enum", "schema", Severity::error, "a value outside the schema's enum"},
        {"schema.format", "schema", Severity::error,
         "a string not in its format (date-time, byte, quantity, ...) or an integer outside int32/int64"},
        {"schema.items", "schema", Severity::error, "a list with fewer than minItems or more than maxItems items"},
        {"schema.length", "schema", Severity::error,
         "a string shorter than minLength or longer than maxLength (in characters)"},
        {"schema.list-unique", "schema", Severity::error,
         "a repeated value in an x-kubernetes-list-type set, or a repeated key in a list-type map"},
        {"schema.metadata", "schema", Severity::error,
         "a metadata name, namespace, label or annotation the API server refuses (DNS names, label syntax)"},
        {"schema.one-of", "schema", Severity::error, "a value matching none (or, for oneOf, several) of anyOf/oneOf, "
                                                     "or matching not"},
        {"schema.pattern", "schema", Severity::error, "a string that does not match the schema's pattern"},
        {"schema.properties", "schema", Severity::error,
         "an object with fewer than minProperties or more than maxProperties fields"},
        {"schema.range", "schema", Severity::error, "a number below minimum or above maximum"},
        {"schema.required", "schema", Severity::error, "a required field that is missing"},
        {"schema.type", "schema", Severity::error, "a value of the wrong type (or null where it is not nullable)"},
        {"schema.unknown-field", "schema", Severity::error,
         "a field the schema does not declare (the API server would drop it silently)"},
    };
    return k_rules;
}

} // namespace mlserve::validate
