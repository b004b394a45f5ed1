// check_schema(): walks one manifest against its compiled schema. The walk keeps the current JSON path as a stack
// of borrowed keys and indexes; a pointer string is built only when a finding is made.

#include <algorithm>
#include <unordered_set>

#include "core/text.hpp"
#include "core/yaml.hpp"
#include "validate/schema_check.hpp"

namespace mlserve::validate::schema_detail {

namespace {

// Steps through $ref/allOf without descending into the value: a real schema needs a handful, a schema that
// refers to itself without a property in between would loop forever.
constexpr int k_max_schema_chain = 32;
// Work bound per manifest: anyOf over recursive $refs could otherwise take exponential time.
constexpr std::size_t k_max_steps = 20'000'000;

std::string type_name(const core::Json& value) {
    switch (value.type()) {
    case core::Json::value_t::null: return "null";
    case core::Json::value_t::boolean: return "boolean";
    case core::Json::value_t::number_integer:
    case core::Json::value_t::number_unsigned: return "integer";
    case core::Json::value_t::number_float: return "number";
    case core::Json::value_t::string: return "string";
    case core::Json::value_t::array: return "array";
    default: return "object";
    }
}

std::uint8_t bits_of(const core::Json& value) {
    switch (value.type()) {
    case core::Json::value_t::null: return k_null;
    case core::Json::value_t::boolean: return k_boolean;
    case core::Json::value_t::number_integer:
    case core::Json::value_t::number_unsigned: return k_integer | k_number;
    case core::Json::value_t::number_float: return k_number;
    case core::Json::value_t::string: return k_string;
    case core::Json::value_t::array: return k_array;
    default: return k_object;
    }
}

std::string expected_types(std::uint8_t types) {
    static constexpr std::pair<std::uint8_t, std::string_view> k_names[] = {
        {k_object, "object"}, {k_array, "array"},     {k_string, "string"}, {k_integer, "integer"},
        {k_number, "number"}, {k_boolean, "boolean"}, {k_null, "null"}};
    std::string out;
    for (const auto& [bit, name] : k_names) {
        if (!(types & bit)) continue;
        if (!out.empty()) out += " or ";
        out += name;
    }
    return out;
}

std::size_t code_points(std::string_view text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

std::string number_text(double value) {
    std::string text = core::format_number(core::Json(value));
    return text;
}

} // namespace

std::string show(const core::Json& value) {
    std::string text = value.dump();
    return text.size() <= 60 ? text : text.substr(0, 57) + "...";
}

Checker::Checker(const Manifest& manifest, const Schema& schema, const SchemaOptions& options,
                 std::vector<Finding>& out)
    : m_manifest(manifest), m_schema(schema), m_options(options), m_out(&out) {}

std::string Checker::pointer() const {
    std::string out;
    for (const Segment& segment : m_path) {
        out += '/';
        if (segment.key == nullptr) {
            out += std::to_string(segment.index);
            continue;
        }
        for (char c : *segment.key) out += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
    }
    return out;
}

void Checker::emit(std::string rule, std::string message, std::string hint, bool at_key, Severity severity) {
    ++m_errors;
    if (m_counting || m_gave_up) return; // after giving up, run() reports that alone
    std::string at = pointer();
    Finding finding;
    finding.rule = std::move(rule);
    finding.severity = severity;
    finding.message = std::move(message);
    finding.hint = std::move(hint);
    finding.location = at_key ? m_manifest.doc.key_location(at) : m_manifest.doc.location(at);
    finding.path = core::pointer_to_path(at);
    finding.object = object_name();
    m_out->push_back(std::move(finding));
}

const std::string& Checker::object_name() {
    if (m_object.empty()) m_object = m_manifest.display_name(); // only once there is a finding to name it in
    return m_object;
}

void Checker::run() {
    check(m_manifest.doc.value, m_schema.root, 0);
    if (!m_gave_up) {
        check_metadata();
        return;
    }
    Finding finding;
    finding.rule = "schema.depth";
    finding.message = "the schema is too deeply recursive to check this value";
    finding.hint = "the schema refers to itself without a field in between; fix the schema";
    finding.location = m_manifest.doc.location(m_gave_up_at);
    finding.path = core::pointer_to_path(m_gave_up_at);
    finding.object = object_name();
    m_out->push_back(std::move(finding));
}

std::size_t Checker::trial(const core::Json& value, const Node* node, int chain, std::vector<Finding>* keep) {
    std::vector<Finding> scratch;
    auto* saved_out = m_out;
    const std::size_t saved_errors = m_errors;
    const bool saved_counting = m_counting;
    m_out = keep ? keep : &scratch;
    m_counting = keep == nullptr;
    check(value, node, chain + 1);
    const std::size_t errors = m_errors - saved_errors;
    m_out = saved_out;
    m_errors = saved_errors;
    m_counting = saved_counting;
    return errors;
}

void Checker::check(const core::Json& value, const Node* node, int chain) {
    node = ensure_compiled(node);
    if (m_gave_up || ++m_steps > k_max_steps || chain > k_max_schema_chain) {
        // every check from here on fails at once, so that no anyOf branch passes for want of being checked
        if (!m_gave_up) m_gave_up_at = pointer();
        m_gave_up = true;
        ++m_errors;
        return;
    }
    if (node->base) check(value, node->base, chain + 1);
    if (value.is_null()) {
        if (node->nullable || node->types == 0 || (node->types & k_null)) return;
        emit("schema.type", "expected " + expected_types(node->types) + ", got null",
             "remove the field or give it a value: the API server drops null fields");
        return;
    }
    const std::uint8_t bits = bits_of(value);
    if (node->types != 0 && !(node->types & bits)) {
        const bool scalar = !value.is_structured();
        emit("schema.type",
             "expected " + (node->int_or_string ? std::string("integer or string")
                            : node->quantity    ? std::string("quantity (string or number)")
                                                : expected_types(node->types)) +
                 ", got " + type_name(value) + (scalar ? " " + show(value) : std::string()),
             {});
        return;
    }
    if (!node->enum_values.empty() &&
        std::find(node->enum_values.begin(), node->enum_values.end(), value) == node->enum_values.end()) {
        std::string supported;
        for (const auto& allowed : node->enum_values) supported += (supported.empty() ? "" : ", ") + show(allowed);
        emit("schema.enum", "unsupported value " + show(value) + ": supported values: " + supported, {},
             value.is_structured());
    }
    if (value.is_string()) check_string(value.get_ref<const std::string&>(), node);
    else if (value.is_number()) check_number(value, node);
    else if (value.is_array()) check_array(value, node);
    else if (value.is_object()) check_object(value, node);
    for (const Node* part : node->all_of) check(value, part, chain + 1);
    if (!node->any_of.empty() || !node->one_of.empty()) check_alternatives(value, node, chain);
    if (node->not_schema && trial(value, node->not_schema, chain, nullptr) == 0)
        emit("schema.one-of", "must not match " + describe(node->not_schema), {}, value.is_structured());
    if (m_options.report_unevaluated_cel && !m_counting)
        for (const auto& rule : node->cel_rules)
            emit("schema.cel-not-evaluated", "CEL rule not evaluated: " + rule,
                 "the API server evaluates it: kubectl apply --dry-run=server", value.is_structured(), Severity::info);
}

void Checker::check_string(const std::string& text, const Node* node) {
    if (node->quantity && !is_quantity(text)) {
        emit("schema.format", "invalid quantity " + show(core::Json(text)) + ": expected a Kubernetes quantity",
             "write a quantity such as 500m, 2, 1.5 or 8Gi");
        return;
    }
    if (node->pattern && !node->pattern->matches(text)) {
        if (node->pattern->quantity)
            emit("schema.format", "invalid quantity " + show(core::Json(text)) + ": expected a Kubernetes quantity",
                 "write a quantity such as 500m, 2, 1.5 or 8Gi");
        else
            emit("schema.pattern", show(core::Json(text)) + " does not match the pattern " + node->pattern->source, {});
    }
    if (node->format != Format::none) {
        std::string_view problem = format_problem(node->format, text);
        if (!problem.empty())
            emit("schema.format",
                 show(core::Json(text)) + " is not a valid " + std::string(format_name(node->format)),
                 "write " + std::string(problem));
    }
    if (node->min_length >= 0 || node->max_length >= 0) {
        const auto length = static_cast<std::int64_t>(code_points(text));
        if (node->min_length >= 0 && length < node->min_length)
            emit("schema.length", "must be at least " + std::to_string(node->min_length) + " characters long, got " +
                                      std::to_string(length), {});
        if (node->max_length >= 0 && length > node->max_length)
            emit("schema.length", "must be at most " + std::to_string(node->max_length) + " characters long, got " +
                                      std::to_string(length), {});
    }
}

void Checker::check_number(const core::Json& value, const Node* node) {
    if (node->format == Format::int32 && value.is_number_integer()) {
        const bool fits = value.is_number_unsigned() ? value.get<std::uint64_t>() <= 2147483647u
                                                     : value.get<std::int64_t>() >= -2147483648LL &&
                                                           value.get<std::int64_t>() <= 2147483647LL;
        if (!fits) emit("schema.format", show(value) + " does not fit in a 32-bit integer", {});
    } else if (node->format == Format::int64 && value.is_number_unsigned() &&
               value.get<std::uint64_t>() > 9223372036854775807ULL) {
        emit("schema.format", show(value) + " does not fit in a 64-bit integer", {});
    }
    if (!node->has_minimum && !node->has_maximum) return;
    const double number = value.get<double>();
    if (node->has_minimum && (node->exclusive_minimum ? number <= node->minimum : number < node->minimum))
        emit("schema.range", std::string("must be greater than ") + (node->exclusive_minimum ? "" : "or equal to ") +
                                 number_text(node->minimum) + ", got " + show(value), {});
    if (node->has_maximum && (node->exclusive_maximum ? number >= node->maximum : number > node->maximum))
        emit("schema.range", std::string("must be less than ") + (node->exclusive_maximum ? "" : "or equal to ") +
                                 number_text(node->maximum) + ", got " + show(value), {});
}

void Checker::check_array(const core::Json& value, const Node* node) {
    const auto size = static_cast<std::int64_t>(value.size());
    if (node->min_items >= 0 && size < node->min_items)
        emit("schema.items", "must have at least " + std::to_string(node->min_items) + " items, got " +
                                 std::to_string(size), {}, true);
    if (node->max_items >= 0 && size > node->max_items)
        emit("schema.items", "must have at most " + std::to_string(node->max_items) + " items, got " +
                                 std::to_string(size), {}, true);
    if (node->list_type == ListType::set || node->list_type == ListType::map) check_unique(value, node);
    if (!node->items) return;
    for (std::size_t i = 0; i < value.size(); ++i) {
        m_path.push_back({nullptr, i});
        check(value[i], node->items, 0);
        m_path.pop_back();
    }
}

void Checker::check_object(const core::Json& value, const Node* node) {
    const auto size = static_cast<std::int64_t>(value.size());
    if (node->min_properties >= 0 && size < node->min_properties)
        emit("schema.properties", "must have at least " + std::to_string(node->min_properties) +
                                      " properties, got " + std::to_string(size), {}, true);
    if (node->max_properties >= 0 && size > node->max_properties)
        emit("schema.properties", "must have at most " + std::to_string(node->max_properties) +
                                      " properties, got " + std::to_string(size), {}, true);
    for (const auto& name : node->required) {
        if (value.contains(name)) continue;
        const bool root = m_path.empty();
        emit("schema.required", "missing required field \"" + name + "\"",
             "add " + (root ? name : core::pointer_to_path(pointer()) + "." + name), !root);
    }
    const bool strict = node->structural && node->has_properties && !node->preserve_unknown &&
                        node->additional == Additional::unspecified;
    for (const auto& item : value.items()) {
        const std::string& key = item.key();
        const Node* child = node->property(key);
        if (!child && node->additional == Additional::schema) child = node->additional_schema;
        if (!child && node->embedded_resource) {
            if (key == "metadata") child = m_schema.object_meta;
            else if (key == "apiVersion" || key == "kind") child = &k_string_node();
        }
        m_path.push_back({&key, 0});
        if (child) {
            check(item.value(), child, 0);
        } else if (strict || node->additional == Additional::deny) {
            unknown_field(key, node);
        }
        m_path.pop_back();
    }
}

void Checker::unknown_field(const std::string& key, const Node* node) {
    if (m_counting) {
        ++m_errors;
        return;
    }
    std::vector<std::string> names;
    names.reserve(node->properties.size() + 3);
    for (const auto& [name, child] : node->properties) names.push_back(name);
    if (node->embedded_resource)
        for (const char* name : {"apiVersion", "kind", "metadata"}) names.emplace_back(name);
    std::string best = core::closest_match(key, names);
    std::string hint = best.empty() ? std::string("remove it: the API server would drop it silently")
                                    : "did you mean \"" + best + "\"?";
    emit("schema.unknown-field", "unknown field \"" + key + "\"", std::move(hint), true,
         m_options.unknown_fields_are_errors ? Severity::error : Severity::warning);
}

const Node& Checker::k_string_node() {
    static const Node node = [] {
        Node n;
        n.types = k_string;
        return n;
    }();
    return node;
}

} // namespace mlserve::validate::schema_detail

namespace mlserve::validate {

void check_schema(const Manifest& manifest, const Schema& schema, const SchemaOptions& options,
                  std::vector<Finding>& out) {
    if (schema.root == nullptr) return;
    schema_detail::Checker checker(manifest, schema, options, out);
    checker.run();
}

} // namespace mlserve::validate
