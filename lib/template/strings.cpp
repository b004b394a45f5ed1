#include "template/strings.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cwctype>
#include <locale.h>
#include <vector>

#include "template/failure.hpp"

namespace mlserve::tmpl {

void append_js_number(std::string& out, double n) {
    if (std::isnan(n)) {
        out += "NaN";
        return;
    }
    if (std::isinf(n)) {
        out += n < 0 ? "-Infinity" : "Infinity";
        return;
    }
    if (n == 0) {
        out += '0';
        return;
    }
    if (n == std::trunc(n) && std::fabs(n) < 1e15) { // the common case: small integers
        char buf[24];
        auto r = std::to_chars(buf, buf + sizeof buf, static_cast<int64_t>(n));
        out.append(buf, r.ptr);
        return;
    }
    // Shortest round-trip digits, then JavaScript's Number::toString layout (ECMA-262 6.1.6.1.20).
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, n, std::chars_format::scientific);
    std::string_view sci(buf, static_cast<size_t>(r.ptr - buf));
    if (sci.front() == '-') {
        out += '-';
        sci.remove_prefix(1);
    }
    size_t e = sci.find('e');
    std::string digits;
    for (char c : sci.substr(0, e))
        if (c != '.') digits += c;
    int exponent = std::atoi(std::string(sci.substr(e + 1)).c_str());
    const int k = static_cast<int>(digits.size());
    const int point = exponent + 1; // digits × 10^(point-k)
    if (k <= point && point <= 21) {
        out += digits;
        out.append(static_cast<size_t>(point - k), '0');
    } else if (0 < point && point <= 21) {
        out.append(digits, 0, static_cast<size_t>(point));
        out += '.';
        out.append(digits, static_cast<size_t>(point));
    } else if (-6 < point && point <= 0) {
        out += "0.";
        out.append(static_cast<size_t>(-point), '0');
        out += digits;
    } else {
        out += digits[0];
        if (k > 1) {
            out += '.';
            out.append(digits, 1);
        }
        out += point - 1 >= 0 ? "e+" : "e-";
        out += std::to_string(std::abs(point - 1));
    }
}

std::string js_number(double n) {
    std::string out;
    append_js_number(out, n);
    return out;
}

namespace {

// Length of the UTF-8 sequence at s[i]; a malformed byte is a sequence of one.
size_t sequence_length(std::string_view s, size_t i, uint32_t* cp = nullptr) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    uint32_t value = n == 1 ? c : n == 2 ? (c & 0x1Fu) : n == 3 ? (c & 0x0Fu) : (c & 0x07u);
    if (n == 0 || i + n > s.size()) n = 1, value = c;
    for (size_t k = 1; k < n; ++k) {
        auto cc = static_cast<unsigned char>(s[i + k]);
        if ((cc & 0xC0) != 0x80) {
            n = 1;
            value = c;
            break;
        }
        value = (value << 6) | (cc & 0x3Fu);
    }
    if (cp) *cp = value;
    return n;
}

bool is_js_space(uint32_t cp) {
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
           cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

template <class Map>
std::string map_case(std::string_view s, Map map, char (*ascii)(char)) {
    std::string out;
    out.reserve(s.size());
    if (is_ascii(s)) {
        for (char c : s) out += ascii(c);
        return out;
    }
    // glibc's C.UTF-8 locale knows Unicode's simple case mappings whatever the process locale is.
    static const locale_t k_utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
    for (size_t i = 0; i < s.size();) {
        uint32_t cp = 0;
        size_t n = sequence_length(s, i, &cp);
        if (n == 1 && cp >= 0x80) {
            out += s[i]; // malformed byte: keep as is
        } else if (k_utf8) {
            auto mapped = static_cast<uint32_t>(map(static_cast<wint_t>(cp), k_utf8));
            append_utf8(out, mapped);
        } else {
            out.append(s.substr(i, n));
        }
        i += n;
    }
    return out;
}

} // namespace

bool is_ascii(std::string_view s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}

size_t code_points(std::string_view s) {
    size_t count = 0;
    for (size_t i = 0; i < s.size(); i += sequence_length(s, i)) ++count;
    return count;
}

size_t code_point_offset(std::string_view s, size_t index) {
    size_t i = 0;
    for (; i < s.size() && index > 0; --index) i += sequence_length(s, i);
    return i;
}

std::string_view trim_left(std::string_view s) {
    size_t i = 0;
    while (i < s.size()) {
        uint32_t cp = 0;
        size_t n = sequence_length(s, i, &cp);
        if (!is_js_space(cp)) break;
        i += n;
    }
    return s.substr(i);
}

std::string_view trim_right(std::string_view s) {
    size_t end = s.size();
    while (end > 0) {
        size_t start = end - 1;
        while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80 && end - start < 4) --start;
        uint32_t cp = 0;
        size_t n = sequence_length(s, start, &cp);
        if (start + n != end) start = end - 1, cp = static_cast<unsigned char>(s[end - 1]);
        if (!is_js_space(cp)) break;
        end = start;
    }
    return s.substr(0, end);
}

std::string to_lower(std::string_view s) {
    return map_case(s, towlower_l, [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
}

std::string to_upper(std::string_view s) {
    return map_case(s, towupper_l, [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; });
}

bool is_identifier(std::string_view s) {
    if (s.empty()) return false;
    auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
    if (!alpha(s[0])) return false;
    for (char c : s)
        if (!alpha(c) && !(c >= '0' && c <= '9')) return false;
    return true;
}

void append_json_string(std::string& out, std::string_view s) {
    static constexpr char k_hex[] = "0123456789abcdef";
    out += '"';
    for (char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                out += "\\u00";
                out += k_hex[(c >> 4) & 0xF];
                out += k_hex[c & 0xF];
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

namespace {
void stringify(std::string& out, const Value& v, int depth) {
    if (depth > k_max_value_depth) template_error("a value is nested deeper than " + std::to_string(k_max_value_depth) + " levels");
    if (out.size() > k_max_string_bytes) template_error("$json output is longer than the string limit");
    switch (v.type()) {
    case Type::boolean: out += v.as_bool() ? "true" : "false"; break;
    case Type::number:
        if (!std::isfinite(v.as_number()))
            template_error("an expression produced a number that is not finite (NaN or Infinity)");
        append_js_number(out, v.as_number());
        break;
    case Type::string: append_json_string(out, v.as_string()); break;
    case Type::array:
        out += '[';
        for (size_t i = 0; i < v.size(); ++i) {
            if (i) out += ',';
            stringify(out, v.item(i), depth + 1);
        }
        out += ']';
        break;
    case Type::object: {
        std::vector<Entry> entries;
        entries.reserve(v.size());
        v.for_each_entry([&](std::string_view k, const Value& item) { entries.push_back({k, item}); });
        std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.key < b.key; });
        out += '{';
        for (size_t i = 0; i < entries.size(); ++i) {
            if (i) out += ',';
            append_json_string(out, entries[i].key);
            out += ':';
            stringify(out, entries[i].value, depth + 1);
        }
        out += '}';
        break;
    }
    case Type::function: template_error("evaluated template contained uncalled functions");
    default: out += "null";
    }
}
} // namespace

std::string stable_stringify(const Value& v) {
    std::string out;
    stringify(out, v, 0);
    return out;
}

std::string path_key(std::string_view path, std::string_view key) {
    bool plain = !key.empty() && !(key[0] >= '0' && key[0] <= '9');
    for (char c : key) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' ||
                  c == '-' || c == '(' || c == ')' || c == ',';
        plain = plain && ok;
    }
    std::string out(path);
    if (plain) {
        if (!out.empty()) out += '.';
        out += key;
    } else {
        out += '[';
        append_json_string(out, key);
        out += ']';
    }
    return out;
}

std::string path_index(std::string_view path, size_t index) {
    return std::string(path) + '[' + std::to_string(index) + ']';
}

} // namespace mlserve::tmpl
