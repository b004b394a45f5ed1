// Cheap scans of schema sources: the block structure of CRD YAML (group, kind, versions) and the member spans
// of an OpenAPI document's components.schemas, found by skipping over JSON text rather than parsing it.

#include <algorithm>
#include <cstring>

#include "core/json.hpp"
#include "validate/schema_sources.hpp"

namespace mlserve::validate::schema_detail {

int line_of(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

namespace {

// Lines deeper than this cannot hold spec.group, spec.names.kind or spec.versions[].name.
constexpr std::size_t k_max_interesting_indent = 10;

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
    return text;
}

std::string scalar(std::string_view text) {
    if (auto hash = text.find(" #"); hash != std::string_view::npos) text = text.substr(0, hash);
    text = trim(text);
    if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') && text.back() == text.front())
        text = text.substr(1, text.size() - 2);
    return std::string(text);
}

struct Level {
    std::size_t indent;
    std::string key; ///< "-" for a sequence item
};

struct DocState {
    std::string kind, group, names_kind;
    std::vector<std::pair<std::string, bool>> versions; ///< name, served
    bool in_version_item = false;
};

void finish(DocState& doc, std::vector<CrdScan>& out, bool& claims, bool& complete) {
    if (doc.kind == "CustomResourceDefinition") {
        claims = true;
        CrdScan scan{doc.group, doc.names_kind, {}};
        for (auto& [name, served] : doc.versions)
            if (served && !name.empty()) scan.versions.push_back(name);
        if (scan.group.empty() || scan.kind.empty() || doc.versions.empty()) complete = false;
        else out.push_back(std::move(scan));
    }
    doc = DocState{};
}

bool path_is(const std::vector<Level>& stack, std::initializer_list<std::string_view> keys) {
    if (stack.size() != keys.size()) return false;
    return std::equal(stack.begin(), stack.end(), keys.begin(),
                      [](const Level& level, std::string_view key) { return level.key == key; });
}

} // namespace

std::vector<CrdScan> scan_crd_yaml(std::string_view text, bool& claims_crd, bool& complete) {
    std::vector<CrdScan> out;
    claims_crd = false;
    complete = true;
    std::vector<Level> stack;
    DocState doc;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const char* start = text.data() + pos;
        const void* newline = std::memchr(start, '\n', text.size() - pos);
        const std::size_t end = newline ? static_cast<std::size_t>(static_cast<const char*>(newline) - text.data())
                                        : text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        std::size_t indent = 0;
        while (indent < line.size() && line[indent] == ' ') ++indent;
        if (indent > k_max_interesting_indent || indent == line.size() || line[indent] == '#') continue;
        if (indent == 0 && (line.rfind("---", 0) == 0 || line.rfind("...", 0) == 0)) {
            finish(doc, out, claims_crd, complete);
            stack.clear();
            continue;
        }
        std::string_view rest = line.substr(indent);
        if (rest.rfind("- ", 0) == 0 || rest == "-") {
            while (!stack.empty() && (stack.back().indent > indent || (stack.back().indent == indent && stack.back().key == "-")))
                stack.pop_back();
            if (path_is(stack, {"spec", "versions"})) doc.versions.emplace_back("", true);
            stack.push_back({indent, "-"});
            std::size_t skip = 1;
            while (skip < rest.size() && rest[skip] == ' ') ++skip;
            indent += skip;
            rest = rest.substr(skip);
            if (rest.empty()) continue;
        } else {
            while (!stack.empty() && stack.back().indent >= indent) stack.pop_back();
        }
        const std::size_t colon = rest.find(':');
        if (colon == std::string_view::npos || (colon + 1 < rest.size() && rest[colon + 1] != ' ')) continue;
        std::string key = scalar(rest.substr(0, colon));
        std::string value = scalar(rest.substr(colon + 1));
        if (stack.empty() && key == "kind") doc.kind = value;
        else if (path_is(stack, {"spec"}) && key == "group") doc.group = value;
        else if (path_is(stack, {"spec", "names"}) && key == "kind") doc.names_kind = value;
        else if (path_is(stack, {"spec", "versions", "-"}) && !doc.versions.empty()) {
            if (key == "name") doc.versions.back().first = value;
            else if (key == "served") doc.versions.back().second = value == "true";
        }
        stack.push_back({indent, std::move(key)});
    }
    finish(doc, out, claims_crd, complete);
    return out;
}

namespace {

// A forward-only JSON skipper over text; it checks structure, not the contents of strings and numbers.
class Skipper {
public:
    explicit Skipper(std::string_view text) : m_text(text) {}

    void space() {
        while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\n' || m_text[m_pos] == '\t' ||
                                         m_text[m_pos] == '\r'))
            ++m_pos;
    }
    bool eat(char c) {
        space();
        if (m_pos < m_text.size() && m_text[m_pos] == c) {
            ++m_pos;
            return true;
        }
        return false;
    }
    bool peek(char c) {
        space();
        return m_pos < m_text.size() && m_text[m_pos] == c;
    }
    /// A string's raw contents (escapes left as written).
    bool string(std::string_view& out) {
        if (!eat('"')) return false;
        const std::size_t start = m_pos;
        while (true) {
            const void* quote = std::memchr(m_text.data() + m_pos, '"', m_text.size() - m_pos);
            if (!quote) return false;
            std::size_t at = static_cast<std::size_t>(static_cast<const char*>(quote) - m_text.data());
            std::size_t slashes = 0;
            while (at - slashes > start && m_text[at - slashes - 1] == '\\') ++slashes;
            m_pos = at + 1;
            if (slashes % 2 == 0) {
                out = m_text.substr(start, at - start);
                return true;
            }
        }
    }
    /// Skips one value of any type.
    bool value() {
        space();
        if (m_pos >= m_text.size()) return false;
        const char c = m_text[m_pos];
        if (c == '"') {
            std::string_view ignored;
            return string(ignored);
        }
        if (c != '{' && c != '[') {
            while (m_pos < m_text.size() && std::strchr(",}] \n\t\r", m_text[m_pos]) == nullptr) ++m_pos;
            return true;
        }
        std::size_t depth = 0;
        while (m_pos < m_text.size()) {
            const char d = m_text[m_pos];
            if (d == '"') {
                std::string_view ignored;
                if (!string(ignored)) return false;
                continue;
            }
            ++m_pos;
            if (d == '{' || d == '[') ++depth;
            else if ((d == '}' || d == ']') && --depth == 0) return true;
        }
        return false;
    }
    std::size_t pos() const { return m_pos; }
    void seek(std::size_t pos) { m_pos = pos; }

private:
    std::string_view m_text;
    std::size_t m_pos = 0;
};

} // namespace

core::Result<std::vector<ComponentSpan>> scan_openapi_json(std::string_view text, const std::string& name,
                                                           bool& is_openapi) {
    is_openapi = false;
    std::vector<ComponentSpan> out;
    Skipper json(text);
    auto broken = [&](std::size_t at) {
        return core::input_error("malformed JSON in schema file " + name, core::SourceLocation{name, line_of(text, at), 0},
                                 {}, "the file must be an OpenAPI v3 document such as the API server serves at "
                                     "/openapi/v3/apis/GROUP/VERSION");
    };
    // Walks object members, calling on_member(key) positioned at each value; on_member skips or descends.
    auto members = [&](auto&& on_member) -> bool {
        if (!json.eat('{')) return false;
        if (json.eat('}')) return true;
        do {
            std::string_view key;
            if (!json.string(key) || !json.eat(':')) return false;
            if (!on_member(key)) return false;
        } while (json.eat(','));
        return json.eat('}');
    };
    bool ok = members([&](std::string_view key) {
        if (key != "components" || !json.peek('{')) return json.value();
        return members([&](std::string_view inner) {
            if (inner != "schemas" || !json.peek('{')) return json.value();
            is_openapi = true;
            return members([&](std::string_view component) {
                json.space();
                const std::size_t begin = json.pos();
                if (!json.value()) return false;
                out.push_back({std::string(component), begin, json.pos()});
                return true;
            });
        });
    });
    json.space();
    if (!ok || json.pos() != text.size()) return broken(json.pos());
    return out;
}

std::vector<std::vector<std::string>> component_gvks(std::string_view component) {
    std::vector<std::vector<std::string>> out;
    static constexpr std::string_view k_key = "\"x-kubernetes-group-version-kind\"";
    const std::size_t at = component.find(k_key);
    if (at == std::string_view::npos) return out;
    Skipper json(component.substr(at + k_key.size()));
    if (!json.eat(':')) return out;
    json.space();
    const std::size_t begin = json.pos();
    if (!json.value()) return out;
    const std::string_view array = component.substr(at + k_key.size() + begin, json.pos() - begin);
    core::Json parsed = core::Json::parse(array.begin(), array.end(), nullptr, false);
    if (!parsed.is_array()) return out;
    for (const auto& gvk : parsed) {
        if (!gvk.is_object()) continue;
        out.push_back({gvk.value("group", ""), gvk.value("version", ""), gvk.value("kind", "")});
    }
    return out;
}

nlohmann::json shallow_schema(std::string_view text, std::size_t begin, std::size_t end) {
    const std::string_view node = text.substr(begin, end - begin);
    Skipper json(node);
    auto marker = [&](std::size_t from, std::size_t to) {
        return nlohmann::json{{"$lazy", nlohmann::json::array({begin + from, begin + to})}};
    };
    auto full = [&](std::size_t from, std::size_t to) {
        const std::string_view value = node.substr(from, to - from);
        return nlohmann::json::parse(value.begin(), value.end(), nullptr, false);
    };
    nlohmann::json out = nlohmann::json::object();
    if (!json.eat('{')) return full(0, node.size());
    if (json.eat('}')) return out;
    do {
        std::string_view raw_key;
        if (!json.string(raw_key) || !json.eat(':')) return nlohmann::json();
        const std::string key(raw_key);
        json.space();
        const std::size_t from = json.pos();
        const char first = from < node.size() ? node[from] : '\0';
        if (key == "properties" && first == '{') {
            nlohmann::json properties = nlohmann::json::object();
            json.eat('{');
            if (!json.eat('}')) {
                do {
                    std::string_view name;
                    if (!json.string(name) || !json.eat(':')) return nlohmann::json();
                    json.space();
                    const std::size_t at = json.pos();
                    if (!json.value()) return nlohmann::json();
                    // names are written by nlohmann's dump: unescape through the JSON reader when needed
                    std::string plain(name);
                    if (plain.find('\\') != std::string::npos) {
                        auto unescaped = nlohmann::json::parse("\"" + plain + "\"", nullptr, false);
                        if (!unescaped.is_string()) return nlohmann::json();
                        plain = unescaped.get<std::string>();
                    }
                    properties[plain] = marker(at, json.pos());
                } while (json.eat(','));
                if (!json.eat('}')) return nlohmann::json();
            }
            out[key] = std::move(properties);
        } else if ((key == "items" || key == "additionalProperties" || key == "not") && first == '{') {
            if (!json.value()) return nlohmann::json();
            out[key] = marker(from, json.pos());
        } else if ((key == "allOf" || key == "anyOf" || key == "oneOf") && first == '[') {
            nlohmann::json parts = nlohmann::json::array();
            json.eat('[');
            if (!json.eat(']')) {
                do {
                    json.space();
                    const std::size_t at = json.pos();
                    if (!json.value()) return nlohmann::json();
                    parts.push_back(marker(at, json.pos()));
                } while (json.eat(','));
                if (!json.eat(']')) return nlohmann::json();
            }
            out[key] = std::move(parts);
        } else {
            if (!json.value()) return nlohmann::json();
            out[key] = full(from, json.pos());
        }
    } while (json.eat(','));
    return out;
}

} // namespace mlserve::validate::schema_detail
