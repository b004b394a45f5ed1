#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cstdio>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <cmath>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>

#include "core/text.hpp"
#include "core/yaml.hpp"

namespace mlserve::core {
namespace {

// Thrown inside the event handler (yaml-cpp drives it) and turned into an Error by parse_yaml.
struct ParseAbort {
    Error error;
};

bool is_null_word(const std::string& v) { return v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL"; }

bool all_of(std::string_view s, bool (*pred)(char)) {
    if (s.empty()) return false;
    for (char c : s)
        if (!pred(c)) return false;
    return true;
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_octal(char c) { return c >= '0' && c <= '7'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool is_core_float(std::string_view s) {
    size_t i = 0;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    size_t int_digits = 0, frac_digits = 0;
    while (i < s.size() && is_digit(s[i])) ++i, ++int_digits;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && is_digit(s[i])) ++i, ++frac_digits;
    }
    if (int_digits == 0 && frac_digits == 0) return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
        if (!all_of(s.substr(i), is_digit)) return false;
        i = s.size();
    }
    return i == s.size();
}

// Resolves a plain scalar with the YAML 1.2 core schema.
Json resolve_plain(const std::string& v) {
    if (is_null_word(v)) return nullptr;
    if (v == "true" || v == "True" || v == "TRUE") return true;
    if (v == "false" || v == "False" || v == "FALSE") return false;
    const char first = v[0];
    const bool may_be_number = is_digit(first) || first == '-' || first == '+' || first == '.';
    if (!may_be_number) return v;
    std::string_view body(v);
    if (first == '-' || first == '+') body.remove_prefix(1);
    if (all_of(body, is_digit)) {
        const char* begin = v.data() + (first == '+' ? 1 : 0);
        int64_t i = 0;
        auto [ptr, ec] = std::from_chars(begin, v.data() + v.size(), i);
        if (ec == std::errc() && ptr == v.data() + v.size()) return i;
        return std::strtod(v.c_str(), nullptr); // too large for int64: keep the magnitude
    }
    if (v.size() > 2 && v[0] == '0' && v[1] == 'o' && all_of(std::string_view(v).substr(2), is_octal))
        return static_cast<int64_t>(std::strtoll(v.c_str() + 2, nullptr, 8));
    if (v.size() > 2 && v[0] == '0' && v[1] == 'x' && all_of(std::string_view(v).substr(2), is_hex))
        return static_cast<int64_t>(std::strtoll(v.c_str() + 2, nullptr, 16));
    if (is_core_float(v)) return std::strtod(v.c_str(), nullptr);
    if (body == ".inf" || body == ".Inf" || body == ".INF") return first == '-' ? -INFINITY : INFINITY;
    if (v == ".nan" || v == ".NaN" || v == ".NAN") return NAN;
    return v;
}

class Builder : public YAML::EventHandler {
public:
    Builder(std::string_view file, const YamlLimits& limits, std::vector<Document>& out)
        : m_file(file), m_limits(limits), m_out(out) {}

    void OnDocumentStart(const YAML::Mark& mark) override {
        // yaml-cpp 0.7 starts documents forever at one position after a stray tag such as "!a,b"; a real
        // document always starts past the previous one.
        if (m_documents++ > 0 && mark.pos <= m_last_document_pos)
            fail(mark, "malformed YAML: the parser made no progress here", "check the tag or indicator at this position");
        m_last_document_pos = mark.pos;
        m_doc = Document{};
        m_doc.file = m_file;
        m_has_root = false;
        m_anchors.clear();
    }
    void OnDocumentEnd() override {
        if (m_has_root && !m_doc.value.is_null()) m_out.push_back(std::move(m_doc));
    }
    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { add_value(mark, nullptr, anchor, 1); }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        auto it = m_anchors.find(anchor);
        if (it == m_anchors.end()) fail(mark, "unknown alias", "define the anchor (&name) before using *name");
        add_value(mark, it->second.value, 0, it->second.nodes);
    }
    void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  const std::string& value) override {
        if (!valid_utf8(value)) fail(mark, "invalid UTF-8 in a scalar", "save the file as UTF-8");
        Json v;
        if (tag == "?")
            v = resolve_plain(value);
        else if (tag == "!" || tag == "tag:yaml.org,2002:str" || tag == "!!str")
            v = value;
        else if (tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float" ||
                 tag == "tag:yaml.org,2002:bool" || tag == "tag:yaml.org,2002:null") {
            v = resolve_plain(value);
            if (v.is_string()) fail(mark, "value '" + value + "' does not match its tag " + tag, "remove the tag");
        } else {
            v = value; // unknown local tags: keep the text
        }
        add_value(mark, std::move(v), anchor, 1);
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        open(mark, Json::array(), anchor);
    }
    void OnSequenceEnd() override { close(); }
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        open(mark, Json::object(), anchor);
    }
    void OnMapEnd() override { close(); }

private:
    struct Frame {
        Json value;
        std::string pointer;
        YAML::anchor_t anchor = 0;
        size_t nodes = 1;
        bool have_key = false;   // maps: a key has been read, its value comes next
        std::string key;
        std::string key_pointer; // maps: the pointer of the current key's value (its key position's, too)
        YAML::Mark key_mark;
        bool merging = false;    // maps: the current key is "<<"
        std::set<std::string> merged; // maps: keys that came from "<<" and may still be overridden
    };
    struct Anchored {
        Json value;
        size_t nodes = 1;
    };

    [[noreturn]] void fail(const YAML::Mark& mark, std::string message, std::string hint) {
        throw ParseAbort{input_error(std::move(message), SourceLocation{m_file, mark.line + 1, mark.column + 1}, {},
                                     std::move(hint))};
    }

    void count(const YAML::Mark& mark, size_t nodes) {
        m_nodes += nodes;
        if (m_nodes > m_limits.max_nodes)
            fail(mark, "document expands to more than " + std::to_string(m_limits.max_nodes) + " nodes",
                 "aliases that refer to aliases multiply the document's size; write the values out");
    }

    std::string child_pointer(Frame& parent) {
        if (parent.value.is_array()) return pointer_append(parent.pointer, std::to_string(parent.value.size()));
        return std::move(parent.key_pointer);
    }

    void open(const YAML::Mark& mark, Json empty, YAML::anchor_t anchor) {
        if (m_stack.size() >= m_limits.max_depth)
            fail(mark, "nesting deeper than " + std::to_string(m_limits.max_depth) + " levels",
                 "flatten the document; no manifest needs this depth");
        if (!m_stack.empty() && m_stack.back().value.is_object() && !m_stack.back().have_key)
            fail(mark, "a map or sequence cannot be a mapping key", "use a string key");
        count(mark, 1);
        Frame frame;
        frame.pointer = m_stack.empty() ? std::string() : child_pointer(m_stack.back());
        frame.value = std::move(empty);
        frame.anchor = anchor;
        m_doc.positions.set(frame.pointer, Mark{mark.line + 1, mark.column + 1});
        m_stack.push_back(std::move(frame));
    }

    void close() {
        Frame frame = std::move(m_stack.back());
        m_stack.pop_back();
        if (frame.anchor) m_anchors[frame.anchor] = Anchored{frame.value, frame.nodes};
        place(std::move(frame.value), frame.nodes, frame.pointer);
    }

    void add_value(const YAML::Mark& mark, Json value, YAML::anchor_t anchor, size_t nodes) {
        count(mark, nodes);
        if (!m_stack.empty() && m_stack.back().value.is_object() && !m_stack.back().have_key) {
            Frame& map = m_stack.back();
            if (!value.is_string()) {
                if (value.is_null() || value.is_object() || value.is_array())
                    fail(mark, "mapping keys must be strings", "quote the key");
                value = value.is_boolean() ? (value.get<bool>() ? "true" : "false") : format_number(value);
            }
            std::string key = value.get<std::string>();
            map.merging = key == "<<";
            if (!map.merging && map.value.contains(key) && map.merged.erase(key) == 0)
                fail(mark, "duplicate key '" + key + "'", "remove one of the two; YAML keeps only one silently");
            map.key_pointer = pointer_append(map.pointer, key);
            map.key = std::move(key);
            map.key_mark = mark;
            if (!map.merging) m_doc.key_positions.set(map.key_pointer, Mark{mark.line + 1, mark.column + 1});
            map.have_key = true;
            if (anchor) m_anchors[anchor] = Anchored{value, 1};
            return;
        }
        std::string pointer = m_stack.empty() ? std::string() : child_pointer(m_stack.back());
        m_doc.positions.set(pointer, Mark{mark.line + 1, mark.column + 1});
        if (anchor) m_anchors[anchor] = Anchored{value, nodes};
        place(std::move(value), nodes, pointer);
    }

    void place(Json value, size_t nodes, const std::string& pointer) {
        if (m_stack.empty()) {
            m_doc.value = std::move(value);
            m_has_root = true;
            return;
        }
        Frame& parent = m_stack.back();
        parent.nodes += nodes;
        if (parent.value.is_array()) {
            parent.value.push_back(std::move(value));
            return;
        }
        parent.have_key = false;
        if (parent.merging) {
            merge_into(parent, value, pointer);
            return;
        }
        parent.value[parent.key] = std::move(value);
    }

    // `<<: *base` or `<<: [*a, *b]`: keys already present win, like every YAML 1.1 reader does.
    void merge_into(Frame& map, const Json& source, const std::string&) {
        auto merge_one = [&](const Json& m) {
            if (!m.is_object()) fail(map.key_mark, "'<<' merges maps only", "point '<<' at an anchored map");
            for (auto it = m.begin(); it != m.end(); ++it)
                if (!map.value.contains(it.key())) {
                    map.value[it.key()] = it.value();
                    map.merged.insert(it.key());
                }
        };
        if (source.is_array())
            for (const auto& m : source) merge_one(m);
        else
            merge_one(source);
    }

    std::string m_file;
    const YamlLimits& m_limits;
    std::vector<Document>& m_out;
    Document m_doc;
    bool m_has_root = false;
    std::vector<Frame> m_stack;
    std::map<YAML::anchor_t, Anchored> m_anchors;
    size_t m_nodes = 0;
    size_t m_documents = 0;
    int m_last_document_pos = -1;
};

} // namespace

Result<std::vector<Document>> parse_yaml(std::string_view text, std::string_view file, const YamlLimits& limits) {
    if (text.size() > limits.max_bytes)
        return input_error("file is " + std::to_string(text.size()) + " bytes, over the limit of " +
                               std::to_string(limits.max_bytes),
                           SourceLocation{std::string(file), 0, 0}, {}, "split it into smaller files");
    if (!valid_utf8(text)) {
        // Find the line of the first bad byte so the user can look at it.
        size_t lo = 0, hi = text.size();
        while (hi - lo > 1) {
            size_t mid = (lo + hi) / 2;
            if (valid_utf8(text.substr(0, mid))) lo = mid; else hi = mid;
        }
        size_t bad = lo;
        while (bad > 0 && (static_cast<unsigned char>(text[bad]) & 0xC0) == 0x80) --bad;
        int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(bad), '\n'));
        size_t line_start = text.rfind('\n', bad == 0 ? 0 : bad - 1);
        int column = static_cast<int>(bad - (line_start == std::string_view::npos ? 0 : line_start + 1)) + 1;
        return input_error("invalid UTF-8", SourceLocation{std::string(file), line, column}, {},
                           "save the file as UTF-8");
    }
    // YAML streams hold only printable characters (YAML 1.2 §5.1); yaml-cpp also loops forever on some inputs
    // with a NUL byte in them, so control characters are refused before it sees them.
    for (size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if ((c >= 0x20 && c != 0x7F) || c == '\t' || c == '\n' || c == '\r') continue;
        int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(i), '\n'));
        size_t line_start = i == 0 ? std::string_view::npos : text.rfind('\n', i - 1);
        int column = static_cast<int>(i - (line_start == std::string_view::npos ? 0 : line_start + 1)) + 1;
        char code[8];
        std::snprintf(code, sizeof code, "U+%04X", c);
        return input_error(std::string("control character ") + code + " is not allowed in YAML",
                           SourceLocation{std::string(file), line, column}, {},
                           "remove it, or write it escaped in a double-quoted string, e.g. \"\\t\"");
    }
    std::vector<Document> out;
    std::istringstream stream{std::string(text)};
    try {
        YAML::Parser parser(stream);
        Builder builder(file, limits, out);
        while (parser.HandleNextDocument(builder)) {
        }
    } catch (const ParseAbort& abort) {
        return abort.error;
    } catch (const YAML::Exception& e) {
        std::string message = e.msg;
        std::string hint = "check indentation and quoting around this line";
        if (message.find("recursion") != std::string::npos || message.find("depth") != std::string::npos)
            hint = "the document nests too deeply";
        return input_error("malformed YAML: " + message,
                           SourceLocation{std::string(file), e.mark.line + 1, e.mark.column + 1}, {}, hint);
    }
    return out;
}

Result<std::string> read_file(const std::string& path, size_t max_bytes) {
    std::string text;
    if (path == "-") {
        text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    } else {
        std::ifstream in(path, std::ios::binary);
        if (!in)
            return input_error("cannot read " + path + ": " + std::strerror(errno), SourceLocation{path, 0, 0}, {},
                               "check the path and its permissions");
        in.seekg(0, std::ios::end);
        auto size = in.tellg();
        if (size < 0)
            return input_error("cannot read " + path + ": not a regular file", SourceLocation{path, 0, 0});
        if (static_cast<size_t>(size) > max_bytes)
            return input_error("file is " + std::to_string(static_cast<long long>(size)) + " bytes, over the limit of " +
                                   std::to_string(max_bytes),
                               SourceLocation{path, 0, 0}, {}, "split it into smaller files");
        in.seekg(0);
        text.resize(static_cast<size_t>(size));
        in.read(text.data(), size);
    }
    if (text.size() > max_bytes)
        return input_error("input is over the limit of " + std::to_string(max_bytes) + " bytes",
                           SourceLocation{path, 0, 0});
    return text;
}

Result<std::vector<Document>> load_yaml_file(const std::string& path, const YamlLimits& limits) {
    auto text = read_file(path, limits.max_bytes);
    if (!text) return std::move(text).error();
    return parse_yaml(*text, path == "-" ? "<stdin>" : path, limits);
}

} // namespace mlserve::core
