#include <array>
#include <charconv>
#include <cmath>
#include <string>

#include "core/yaml.hpp"

namespace mlserve::core {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Words that YAML 1.1 readers (go-yaml v2, PyYAML, Helm) or YAML 1.2 readers turn into booleans or null.
bool is_reserved_word(std::string_view s) {
    static constexpr std::string_view k_words[] = {
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~", ".inf", ".Inf", ".INF", "-.inf", "-.Inf",
        "-.INF", "+.inf", ".nan", ".NaN", ".NAN", "<<", "="};
    // Every string value and key is checked: rule most out by their length before comparing.
    static constexpr size_t k_longest = [] {
        size_t longest = 0;
        for (auto w : k_words) longest = w.size() > longest ? w.size() : longest;
        return longest;
    }();
    // ... and by their first character, taken from the words themselves so that the two cannot drift apart.
    static constexpr std::array<bool, 256> k_first = [] {
        std::array<bool, 256> first{};
        for (auto w : k_words) first[static_cast<unsigned char>(w[0])] = true;
        return first;
    }();
    if (s.empty() || s.size() > k_longest || !k_first[static_cast<unsigned char>(s[0])]) return false;
    for (auto w : k_words)
        if (s == w) return true;
    return false;
}

// Anything that starts like a number could be read back as one by some reader (ints, floats, octal,
// hex, 1_000, sexagesimal 1:20, dates 2024-01-01, versions 0.8.2 that a reader might truncate): quote it.
bool looks_numeric(std::string_view s) {
    size_t i = 0;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    if (i < s.size() && s[i] == '.') ++i;
    if (i >= s.size() || !is_digit(s[i])) return false;
    for (; i < s.size(); ++i) {
        char c = s[i];
        bool numeric_char = is_digit(c) || c == '.' || c == '_' || c == ':' || c == '-' || c == '+' || c == 'e' ||
                            c == 'E' || c == 'x' || c == 'X' || c == 'o' || c == 'b' || (c >= 'a' && c <= 'f') ||
                            (c >= 'A' && c <= 'F') || c == 'T' || c == 't' || c == 'Z' || c == ' ';
        if (!numeric_char) return false;
    }
    return true;
}

bool needs_quotes(std::string_view s) {
    if (s.empty() || is_reserved_word(s) || looks_numeric(s)) return true;
    const char first = s.front();
    // "-", "?" and ":" start a plain scalar only when followed by a non-space ("--model_name" is fine).
    if ((first == '-' || first == '?' || first == ':') && (s.size() == 1 || s[1] == ' ')) return true;
    if (std::string_view(",[]{}#&*!|>'\"%@`").find(first) != std::string_view::npos) return true;
    if (s.front() == ' ' || s.back() == ' ' || s.back() == ':') return true;
    for (size_t i = 0; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c == 0x7f) return true;
        if (c == ':' && i + 1 < s.size() && s[i + 1] == ' ') return true;
        if (c == '#' && i > 0 && s[i - 1] == ' ') return true;
    }
    // A plain scalar must not look like a document marker.
    if (s.starts_with("---") || s.starts_with("...")) return true;
    return false;
}

void append_double_quoted(std::string& out, std::string_view s) {
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        default:
            if (c < 0x20 || c == 0x7f) {
                static const char* k_hex = "0123456789abcdef";
                out += "\\x";
                out += k_hex[c >> 4];
                out += k_hex[c & 15];
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    out += '"';
}

/// Appends `s` as a plain scalar, or double-quoted where a plain one would not read back as this string.
void append_scalar(std::string& out, std::string_view s) {
    if (needs_quotes(s))
        append_double_quoted(out, s);
    else
        out += s;
}

// Literal block style reads best for scripts, PromQL and config files, but only round-trips when every
// line is printable and the text does not start with a space (indentation indicator) or end in spaces.
bool fits_literal_block(std::string_view s) {
    if (s.find('\n') == std::string_view::npos || s.front() == ' ' || s.front() == '\n') return false;
    size_t line_start = 0;
    for (size_t i = 0; i <= s.size(); ++i) {
        if (i == s.size() || s[i] == '\n') {
            if (i > line_start && (s[i - 1] == ' ' || s[i - 1] == '\t')) return false;
            line_start = i + 1;
            continue;
        }
        auto c = static_cast<unsigned char>(s[i]);
        if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
    }
    // More than one trailing newline would need "|+", which few people recognise; quote instead.
    return !(s.size() >= 2 && s[s.size() - 1] == '\n' && s[s.size() - 2] == '\n');
}

void emit_scalar_string(std::string& out, std::string_view s, size_t indent) {
    // A document that is one multi-line string would need its block at column 0, which yaml-cpp misreads
    // (a line with ": " in it becomes a map): quote it instead.
    if (indent > 0 && fits_literal_block(s)) {
        out += s.back() == '\n' ? "|" : "|-";
        out += '\n';
        std::string pad(indent, ' ');
        size_t start = 0;
        while (start < s.size()) {
            size_t end = s.find('\n', start);
            if (end == std::string_view::npos) end = s.size();
            if (end > start) out += pad;
            out.append(s.substr(start, end - start));
            out += '\n';
            start = end + 1;
        }
        return;
    }
    append_scalar(out, s);
    out += '\n';
}

void emit_node(std::string& out, const Json& v, size_t indent);

// Writes a value that follows "key:" or "- " on the same line (scalars, empty collections).
void emit_inline(std::string& out, const Json& v, size_t indent) {
    if (v.is_null())
        out += "null\n";
    else if (v.is_boolean())
        out += v.get<bool>() ? "true\n" : "false\n";
    else if (v.is_number()) {
        out += format_number(v);
        out += '\n';
    }
    else if (v.is_string())
        emit_scalar_string(out, v.get_ref<const std::string&>(), indent);
    else if (v.is_object())
        out += "{}\n";
    else
        out += "[]\n";
}

void emit_map(std::string& out, const Json& v, size_t indent, bool first_inline) {
    std::string pad(indent, ' ');
    bool first = true;
    for (auto it = v.begin(); it != v.end(); ++it) {
        if (!(first && first_inline)) out += pad;
        first = false;
        // YAML allows implicit keys of at most 1024 characters; longer ones need the explicit "? key" form.
        // (A key with a line break in it is double-quoted, the break escaped.)
        const size_t key_start = out.size();
        append_scalar(out, it.key());
        if (out.size() - key_start > 1000) {
            out.insert(key_start, "? ");
            out += '\n';
            out += pad;
        }
        const Json& child = it.value();
        if (child.is_object() && !child.empty()) {
            out += ":\n";
            emit_map(out, child, indent + 2, false);
        } else if (child.is_array() && !child.empty()) {
            out += ":\n";
            emit_node(out, child, indent); // kubectl style: "- " at the key's indent
        } else {
            out += ": ";
            emit_inline(out, child, indent + 2);
        }
    }
}

void emit_seq(std::string& out, const Json& v, size_t indent) {
    std::string pad(indent, ' ');
    for (const auto& item : v) {
        out += pad;
        out += '-';
        if (item.is_object() && !item.empty()) {
            out += ' ';
            emit_map(out, item, indent + 2, true);
        } else if (item.is_array() && !item.empty()) {
            out += '\n';
            emit_seq(out, item, indent + 2);
        } else {
            out += ' ';
            emit_inline(out, item, indent + 2);
        }
    }
}

void emit_node(std::string& out, const Json& v, size_t indent) {
    if (v.is_object() && !v.empty())
        emit_map(out, v, indent, false);
    else if (v.is_array() && !v.empty())
        emit_seq(out, v, indent);
    else
        emit_inline(out, v, indent);
}

} // namespace

std::string format_number(const Json& number) {
    if (number.is_number_integer()) return number.dump();
    double d = number.get<double>();
    if (std::isnan(d)) return ".nan";
    if (std::isinf(d)) return d < 0 ? "-.inf" : ".inf";
    if (d == std::floor(d) && std::fabs(d) < 9007199254740992.0) return std::to_string(static_cast<int64_t>(d));
    char buffer[400];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, d, std::chars_format::fixed);
    return ec == std::errc() ? std::string(buffer, end) : number.dump();
}

std::string to_yaml(const Json& value) {
    std::string out;
    emit_node(out, value, 0);
    return out;
}

std::string to_yaml_stream(const std::vector<Json>& documents) {
    std::string out;
    for (const auto& doc : documents) {
        out += "---\n";
        out += to_yaml(doc);
    }
    return out;
}

} // namespace mlserve::core
