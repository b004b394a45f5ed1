// Compiling OpenAPI v3 schema JSON (as CRDs and Kubernetes' OpenAPI documents write it) into Nodes.

#include <algorithm>
#include <type_traits>

#include "validate/schema_detail.hpp"
#include "validate/schema_sources.hpp"

namespace mlserve::validate::schema_detail {

namespace {

// Schemas nest about 40 levels in the largest real CRDs; a deeper one is hostile or broken.
constexpr int k_max_schema_depth = 256;

std::uint8_t type_bit(std::string_view name) {
    if (name == "object") return k_object;
    if (name == "array") return k_array;
    if (name == "string") return k_string;
    if (name == "integer") return k_integer;
    if (name == "number") return k_number;
    if (name == "boolean") return k_boolean;
    if (name == "null") return k_null;
    return 0;
}

Format format_of(std::string_view name) {
    static constexpr std::pair<std::string_view, Format> k_formats[] = {
        {"int32", Format::int32},       {"int64", Format::int64},       {"byte", Format::byte},
        {"date", Format::date},         {"date-time", Format::date_time}, {"datetime", Format::date_time},
        {"duration", Format::duration}, {"uuid", Format::uuid},         {"ipv4", Format::ipv4},
        {"ipv6", Format::ipv6},         {"cidr", Format::cidr},         {"hostname", Format::hostname},
    };
    for (const auto& [text, format] : k_formats)
        if (text == name) return format;
    return Format::none; // double, float, password, ... are not checked by Kubernetes either
}

// Keys that carry no validation: documentation, defaults, patch strategies, client hints.
bool ignored_key(std::string_view key) {
    static constexpr std::string_view k_ignored[] = {
        "description", "default", "example", "title", "externalDocs", "deprecated", "readOnly", "writeOnly",
        "x-kubernetes-map-type", "x-kubernetes-patch-strategy", "x-kubernetes-patch-merge-key",
        "x-kubernetes-group-version-kind", "x-kubernetes-unions", "x-kubernetes-list-type",
        "x-kubernetes-list-map-keys", "discriminator", "x-kubernetes-action", "x-kubernetes-associated-type"};
    return std::find(std::begin(k_ignored), std::end(k_ignored), key) != std::end(k_ignored);
}

template <class J>
bool is_pure_ref(const J& schema) {
    if (!schema.is_object() || !schema.contains("$ref")) return false;
    return std::all_of(schema.items().begin(), schema.items().end(),
                       [](const auto& item) { return item.key() == "$ref" || ignored_key(item.key()); });
}

// A `$ref` with only documentation beside it, or Kubernetes' `allOf: [{$ref}]` wrapping of one: the target itself.
template <class J>
const J* alias_target(const J& schema) {
    if (is_pure_ref(schema)) return &schema;
    if (!schema.is_object()) return nullptr;
    const J* ref = nullptr;
    for (const auto& item : schema.items()) {
        if (item.key() == "allOf" && item.value().is_array() && item.value().size() == 1 &&
            is_pure_ref(item.value()[0]))
            ref = &item.value()[0];
        else if (!ignored_key(item.key()))
            return nullptr;
    }
    return ref;
}

} // namespace

const Node* Node::property(std::string_view name) const {
    auto it = std::lower_bound(properties.begin(), properties.end(), name,
                               [](const auto& entry, std::string_view key) { return entry.first < key; });
    return it != properties.end() && it->first == name ? it->second : nullptr;
}

const Pattern* Arena::pattern(const std::string& source) {
    auto& slot = patterns[source];
    if (slot) return slot.get();
    slot = std::make_unique<Pattern>();
    slot->source = source;
    slot->quantity = source == "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|"
                               "([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$";
    if (slot->quantity) return slot.get();
    // Go's RE2 spells case-insensitivity as a leading (?i); ECMAScript has a flag for it.
    std::string text = source;
    auto flags = std::regex::ECMAScript | std::regex::optimize;
    if (text.rfind("(?i)", 0) == 0 || text.rfind("^(?i)", 0) == 0) {
        text.erase(text.find("(?i)"), 4);
        flags |= std::regex::icase;
    }
    try {
        slot->regex = std::regex(text, flags);
        slot->valid = true;
    } catch (const std::regex_error&) {
        slot->valid = false; // RE2 syntax std::regex lacks: unchecked rather than a false finding
    }
    return slot.get();
}

bool Pattern::matches(std::string_view text) const {
    if (quantity) return is_quantity(text);
    if (!valid) return true;
    return std::regex_search(text.begin(), text.end(), regex);
}

core::Error Compiler::error(const std::string& pointer, const std::string& message) const {
    std::string where = m_where;
    if (!pointer.empty()) where += " at " + pointer;
    core::SourceLocation location;
    if (m_document) location = m_document->location(m_base + pointer);
    return core::input_error(where + ": " + message, location, {}, "fix or remove the schema file");
}

template <class J>
core::Result<void> Compiler::compile_into(const J& schema, Node& into, bool structural) {
    std::string pointer;
    into.structural = structural;
    return fill(schema, into, pointer, 0);
}

template <class J>
core::Result<const Node*> Compiler::compile(const J& schema, bool structural) {
    std::string pointer;
    return compile_at(schema, structural, pointer, 0);
}

template <class J>
core::Result<const Node*> Compiler::compile_at(const J& schema, bool structural, std::string& pointer, int depth) {
    if (depth > k_max_schema_depth)
        return error(pointer, "schema nested deeper than " + std::to_string(k_max_schema_depth) + " levels");
    if constexpr (std::is_same_v<J, nlohmann::json>) {
        const auto marker = schema.is_object() && schema.size() == 1 ? schema.find("$lazy") : schema.end();
        if (m_lazy && marker != schema.end() && marker->is_array() && marker->size() == 2 &&
            (*marker)[0].is_number_unsigned() && (*marker)[1].is_number_unsigned() &&
            (*marker)[0].template get<std::size_t>() <= (*marker)[1].template get<std::size_t>() &&
            (*marker)[1].template get<std::size_t>() <= m_lazy->text.size()) {
            const auto& span = *marker;
            Node& node = m_arena.nodes.emplace_back();
            node.structural = structural;
            node.lazy = m_lazy;
            node.lazy_begin = span[0].template get<std::size_t>();
            node.lazy_end = span[1].template get<std::size_t>();
            return &node;
        }
    }
    if (const J* ref = alias_target(schema)) {
        const auto& target = (*ref)["$ref"];
        if (!target.is_string()) return error(pointer, "$ref must be a string");
        auto resolved = m_resolve(target.template get_ref<const std::string&>());
        if (!resolved) return error(pointer, resolved.error().message);
        return *resolved;
    }
    Node& node = m_arena.nodes.emplace_back();
    node.structural = structural;
    MLSERVE_TRY(fill(schema, node, pointer, depth));
    return &node;
}

template <class J>
core::Result<void> Compiler::fill(const J& schema, Node& node, std::string& pointer, int depth) {
    if (schema.is_boolean()) {
        if (!schema.template get<bool>()) node.not_schema = &m_arena.nodes.emplace_back(); // false: nothing matches
        return {};
    }
    if (!schema.is_object()) return error(pointer, "a schema must be an object, got " + std::string(schema.type_name()));
    const size_t mark = pointer.size();
    auto child = [&](std::string_view key, const J& value, bool structural) -> core::Result<const Node*> {
        pointer += '/';
        pointer += key;
        auto compiled = compile_at(value, structural, pointer, depth + 1);
        pointer.resize(mark);
        return compiled;
    };
    auto count = [&](const J& value, std::string_view key, std::int64_t& out) -> core::Result<void> {
        if (!value.is_number_integer() || value.template get<std::int64_t>() < 0)
            return error(pointer, std::string(key) + " must be a non-negative integer");
        out = value.template get<std::int64_t>();
        return {};
    };
    auto list = [&](std::string_view key, const J& value,
                    std::vector<const Node*>& out) -> core::Result<void> {
        if (!value.is_array()) return error(pointer, std::string(key) + " must be an array");
        for (size_t i = 0; i < value.size(); ++i) {
            auto compiled = child(std::string(key) + "/" + std::to_string(i), value[i], false);
            if (!compiled) return std::move(compiled).error();
            out.push_back(*compiled);
        }
        return {};
    };
    bool int_or_string = schema.value("x-kubernetes-int-or-string", false) ||
                         (schema.contains("format") && schema["format"] == "int-or-string");
    for (const auto& item : schema.items()) {
        const std::string& key = item.key();
        const J& value = item.value();
        if (key == "type") {
            if (value.is_string()) {
                node.types = type_bit(value.template get_ref<const std::string&>());
                if (node.types == 0) return error(pointer, "unknown type " + value.dump());
            } else if (value.is_array()) {
                for (const auto& name : value)
                    if (name.is_string()) node.types |= type_bit(name.template get_ref<const std::string&>());
            } else {
                return error(pointer, "type must be a string");
            }
        } else if (key == "nullable") {
            node.nullable = value.is_boolean() && value.template get<bool>();
        } else if (key == "format") {
            if (value.is_string()) node.format = format_of(value.template get_ref<const std::string&>());
        } else if (key == "enum") {
            if (!value.is_array()) return error(pointer, "enum must be an array");
            node.enum_values.reserve(value.size());
            for (const auto& allowed : value) node.enum_values.emplace_back(core::Json(allowed));
        } else if (key == "pattern") {
            if (!value.is_string()) return error(pointer, "pattern must be a string");
            node.pattern = m_arena.pattern(value.template get_ref<const std::string&>());
        } else if (key == "minimum" || key == "maximum") {
            if (!value.is_number()) return error(pointer, key + " must be a number");
            (key == "minimum" ? node.has_minimum : node.has_maximum) = true;
            (key == "minimum" ? node.minimum : node.maximum) = value.template get<double>();
        } else if (key == "exclusiveMinimum") {
            node.exclusive_minimum = value.is_boolean() && value.template get<bool>();
        } else if (key == "exclusiveMaximum") {
            node.exclusive_maximum = value.is_boolean() && value.template get<bool>();
        } else if (key == "minLength") {
            MLSERVE_TRY(count(value, key, node.min_length));
        } else if (key == "maxLength") {
            MLSERVE_TRY(count(value, key, node.max_length));
        } else if (key == "minItems") {
            MLSERVE_TRY(count(value, key, node.min_items));
        } else if (key == "maxItems") {
            MLSERVE_TRY(count(value, key, node.max_items));
        } else if (key == "minProperties") {
            MLSERVE_TRY(count(value, key, node.min_properties));
        } else if (key == "maxProperties") {
            MLSERVE_TRY(count(value, key, node.max_properties));
        } else if (key == "required") {
            if (!value.is_array()) return error(pointer, "required must be an array");
            for (const auto& name : value)
                if (name.is_string()) node.required.push_back(name.template get<std::string>());
        } else if (key == "properties") {
            if (!value.is_object()) return error(pointer, "properties must be an object");
            node.has_properties = true;
            node.properties.reserve(value.size());
            for (const auto& property : value.items()) {
                auto compiled = child("properties/" + property.key(), property.value(), node.structural);
                if (!compiled) return std::move(compiled).error();
                node.properties.emplace_back(property.key(), *compiled);
            }
            std::sort(node.properties.begin(), node.properties.end(),
                      [](const auto& a, const auto& b) { return a.first < b.first; });
        } else if (key == "additionalProperties") {
            if (value.is_boolean()) {
                node.additional = value.template get<bool>() ? Additional::allow : Additional::deny;
            } else {
                auto compiled = child(key, value, node.structural);
                if (!compiled) return std::move(compiled).error();
                node.additional = Additional::schema;
                node.additional_schema = *compiled;
            }
        } else if (key == "items") {
            const J& items = value.is_array() && !value.empty() ? value[0] : value;
            auto compiled = child(key, items, node.structural);
            if (!compiled) return std::move(compiled).error();
            node.items = *compiled;
        } else if (key == "$ref") {
            if (!value.is_string()) return error(pointer, "$ref must be a string");
            auto resolved = m_resolve(value.template get_ref<const std::string&>());
            if (!resolved) return error(pointer, resolved.error().message);
            node.base = *resolved;
        } else if (key == "allOf") {
            std::vector<const Node*> parts;
            MLSERVE_TRY(list(key, value, parts));
            for (size_t i = 0; i < parts.size(); ++i) {
                // allOf: [{$ref}] beside other keywords: the target declares the structure
                if (node.base == nullptr && is_pure_ref(value[i])) node.base = parts[i];
                else node.all_of.push_back(parts[i]);
            }
        } else if (key == "anyOf" || key == "oneOf") {
            if (int_or_string) continue; // [integer, string], which int_or_string already says
            MLSERVE_TRY(list(key, value, key == "anyOf" ? node.any_of : node.one_of));
        } else if (key == "not") {
            auto compiled = child(key, value, false);
            if (!compiled) return std::move(compiled).error();
            node.not_schema = *compiled;
        } else if (key == "x-kubernetes-preserve-unknown-fields") {
            node.preserve_unknown = value.is_boolean() && value.template get<bool>();
        } else if (key == "x-kubernetes-embedded-resource") {
            node.embedded_resource = value.is_boolean() && value.template get<bool>();
        } else if (key == "x-kubernetes-int-or-string") {
            // handled with format int-or-string above
        } else if (key == "x-kubernetes-validations") {
            if (!value.is_array()) continue;
            for (const auto& rule : value)
                if (rule.is_object() && rule.contains("rule") && rule["rule"].is_string())
                    node.cel_rules.push_back(rule["rule"].template get<std::string>());
        }
    }
    if (auto it = schema.find("x-kubernetes-list-type"); it != schema.end() && it->is_string()) {
        const auto& name = it->template get_ref<const std::string&>();
        node.list_type = name == "set" ? ListType::set : name == "map" ? ListType::map : ListType::atomic;
    }
    if (auto it = schema.find("x-kubernetes-list-map-keys"); it != schema.end() && it->is_array())
        for (const auto& name : *it)
            if (name.is_string()) node.list_map_keys.push_back(name.template get<std::string>());
    if (int_or_string) {
        node.int_or_string = true;
        node.types = k_integer | k_string;
    }
    return {};
}

template core::Result<void> Compiler::compile_into(const core::Json&, Node&, bool);
template core::Result<void> Compiler::compile_into(const nlohmann::json&, Node&, bool);
template core::Result<const Node*> Compiler::compile(const core::Json&, bool);
template core::Result<const Node*> Compiler::compile(const nlohmann::json&, bool);

const Node* ensure_compiled(const Node* node) {
    if (!node->lazy) return node;
    // Arena nodes are never const objects: compiling one in place is what makes it lazy.
    Node& target = const_cast<Node&>(*node);
    const LazyText* lazy = target.lazy;
    target.lazy = nullptr;
    const nlohmann::json shallow = shallow_schema(lazy->text, target.lazy_begin, target.lazy_end);
    Compiler compiler(
        *lazy->arena,
        [](std::string_view ref) -> core::Result<const Node*> {
            return core::input_error("unexpected $ref \"" + std::string(ref) + "\" in a cached schema");
        },
        "cached schema");
    compiler.set_lazy(lazy);
    // The whole schema compiled once before it was cached, so this cannot fail on an intact cache; on a damaged
    // one the node accepts anything rather than reporting a problem the manifest does not have.
    (void)compiler.compile_into(shallow, target, target.structural);
    return node;
}

const Node* basic_object_meta(Arena& arena) {
    auto& strings = arena.nodes.emplace_back();
    strings.types = k_string;
    auto& map = arena.nodes.emplace_back();
    map.types = k_object;
    map.additional = Additional::schema;
    map.additional_schema = &strings;
    auto& meta = arena.nodes.emplace_back();
    meta.types = k_object;
    for (const char* name : {"annotations", "labels", "generateName", "name", "namespace"})
        meta.properties.emplace_back(name, std::string_view(name) == "annotations" || std::string_view(name) == "labels"
                                               ? &map
                                               : &strings);
    meta.additional = Additional::allow;
    std::sort(meta.properties.begin(), meta.properties.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    return &meta;
}

} // namespace mlserve::validate::schema_detail
