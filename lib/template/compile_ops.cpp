// Compiling JSON-e's operators: check each operator's properties once, parse its expressions, compile its
// operands. What depends on the context (the type an operand evaluates to) is checked at evaluation.

#include <algorithm>
#include <functional>

#include "template/compile_ops.hpp"
#include "template/strings.hpp"

namespace mlserve::tmpl {

namespace {

using Allowed = std::function<bool(const std::string&)>;

// "$if has undefined properties: bing foo" (sorted, as json-e reports them).
void check_properties(const std::string& op, const Json& value, const Allowed& allowed) {
    std::vector<std::string> unknown;
    for (const auto& [key, item] : value.items())
        if (key != op && !allowed(key)) unknown.push_back(key);
    if (unknown.empty()) return;
    std::sort(unknown.begin(), unknown.end());
    std::string list;
    for (const auto& key : unknown) list += " " + key;
    template_error(op + " has undefined properties:" + list);
}

// each(a), each(a,b), each(a, b, c): the variable names, or empty when `key` is not of that form or
// has fewer than `min` or more than `max` names.
std::vector<std::string> each_names(std::string_view key, std::string_view word, size_t min, size_t max) {
    std::vector<std::string> names;
    if (key.size() < word.size() + 2 || key.substr(0, word.size()) != word || key[word.size()] != '(' ||
        key.back() != ')')
        return {};
    std::string_view inner = key.substr(word.size() + 1, key.size() - word.size() - 2);
    size_t start = 0;
    while (true) {
        size_t comma = inner.find(',', start);
        std::string_view name = inner.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        if (!names.empty())
            while (!name.empty() && (name[0] == ' ' || (name[0] >= '\t' && name[0] <= '\r'))) name.remove_prefix(1);
        if (!is_identifier(name)) return {};
        names.emplace_back(name);
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    if (names.size() < min || names.size() > max) return {};
    return names;
}

// The key of `value` other than the operator and `except`, if any.
std::string other_key(const Json& value, const std::string& op, std::string_view except = {}) {
    for (const auto& [key, item] : value.items())
        if (key != op && key != except) return key;
    return {};
}

// A value used as written must still fit the template's nesting bound (copying it recurses per level).
void check_depth(const Json& v, int depth) {
    if (depth > k_max_template_depth)
        template_error("template nested deeper than " + std::to_string(k_max_template_depth) + " levels");
    if (v.is_array())
        for (const auto& item : v.get_ref<const Json::array_t&>()) check_depth(item, depth + 1);
    else if (v.is_object())
        for (const auto& [key, item] : v.get_ref<const Json::object_t&>()) check_depth(item, depth + 1);
}

// JavaScript truthiness of a raw template value (json-e tests `template.from` this way).
bool js_truthy(const Json& v) {
    if (v.is_null()) return false;
    if (v.is_boolean()) return v.get<bool>();
    if (v.is_number()) return v.get<double>() != 0;
    if (v.is_string()) return !v.get_ref<const std::string&>().empty();
    return true;
}

} // namespace

std::unique_ptr<TNode> Compiler::compile_operator(const std::string& op, const Json& value, const std::string& pointer,
                                                  const std::string& path, int depth) {
    using Kind = TNode::Kind;
    auto node = std::make_unique<TNode>();
    node->site = site_of(pointer, path);
    const Json& operand = value.at(op);
    const std::string operand_pointer = core::pointer_append(pointer, op);
    auto child = [&](const std::string& key) {
        return compile(value.at(key), core::pointer_append(pointer, key), path_key(path, key), depth + 1);
    };
    auto string_expression = [&](const Json& source, const std::string& key, const std::string& message) {
        if (!source.is_string()) template_error(message);
        return expression(source.get<std::string>(), site(core::pointer_append(pointer, key), path));
    };
    auto none = [](const std::string&) { return false; };

    if (op == "$eval") {
        check_properties(op, value, none);
        node->kind = Kind::eval;
        node->expression = string_expression(operand, op, "$eval must be given a string expression");
        return node;
    }
    if (op == "$if") {
        if (value.contains("$then")) template_error("$if Syntax error: $then: should be spelled then: (no $)");
        check_properties(op, value, [](const std::string& k) { return k == "then" || k == "else"; });
        node->kind = Kind::if_;
        node->expression = string_expression(operand, op, "$if can evaluate string expressions only");
        node->has_then = value.contains("then");
        node->has_else = value.contains("else");
        auto taken = [&](const std::string& key) {
            return branch(value.at(key), core::pointer_append(pointer, key), path_key(path, key), depth + 1);
        };
        node->children.push_back(node->has_then ? taken("then") : nullptr);
        node->children.push_back(node->has_else ? taken("else") : nullptr);
        return node;
    }
    static const std::pair<std::string_view, Kind> k_unary[] = {
        {"$flatten", Kind::flatten}, {"$flattenDeep", Kind::flatten_deep}, {"$json", Kind::json},
        {"$merge", Kind::merge},     {"$mergeDeep", Kind::merge_deep},     {"$reverse", Kind::reverse}};
    for (const auto& [name, kind] : k_unary) {
        if (op != name) continue;
        check_properties(op, value, none);
        node->kind = kind;
        node->children.push_back(child(op));
        return node;
    }
    if (op == "$fromNow") {
        check_properties(op, value, [](const std::string& k) { return k == "from"; });
        node->kind = Kind::from_now;
        node->children.push_back(child(op));
        node->has_from = value.contains("from") && js_truthy(value.at("from"));
        if (node->has_from) node->children.push_back(child("from"));
        return node;
    }
    if (op == "$let") {
        check_properties(op, value, [](const std::string& k) { return k == "in"; });
        if (!operand.is_object()) template_error("$let value must be an object");
        if (!value.contains("in") || value.at("in").is_null())
            template_error("$let operator requires an `in` clause");
        node->kind = Kind::let;
        node->children.push_back(child(op));
        node->children.push_back(child("in"));
        return node;
    }
    if (op == "$map" || op == "$find") {
        check_properties(op, value, [](const std::string& k) { return !each_names(k, "each", 1, 2).empty(); });
        if (value.size() != 2) template_error(op + " must have exactly two properties");
        const std::string each = other_key(value, op);
        auto names = each_names(each, "each", 1, 2);
        node->var1 = names[0];
        if (names.size() > 1) node->var2 = names[1];
        node->children.push_back(child(op));
        if (op == "$map") {
            node->kind = Kind::map;
            node->children.push_back(child(each));
        } else {
            node->kind = Kind::find;
            node->expression = string_expression(value.at(each), each, "each can evaluate string expressions only");
        }
        return node;
    }
    if (op == "$reduce") {
        check_properties(op, value,
                         [](const std::string& k) { return k == "initial" || !each_names(k, "each", 2, 3).empty(); });
        if (value.size() != 3) template_error("$reduce must have exactly three properties");
        const std::string each = other_key(value, op, "initial");
        auto names = each_names(each, "each", 2, 3);
        node->kind = Kind::reduce;
        node->var1 = names[0];
        node->var2 = names[1];
        if (names.size() > 2) node->var3 = names[2];
        try {
            check_depth(value.at("initial"), depth + 1);
        } catch (Failure& f) {
            f.site = site(core::pointer_append(pointer, "initial"), path_key(path, "initial"));
            throw;
        }
        node->literal = value.at("initial"); // json-e uses `initial` as written, without rendering it
        node->literal_value = Value::borrow(node->literal);
        node->children.push_back(child(op));
        node->children.push_back(child(each));
        return node;
    }
    if (op == "$match" || op == "$switch") {
        check_properties(op, value, none);
        if (!operand.is_object()) template_error(op + " can evaluate objects only");
        node->kind = op == "$match" ? Kind::match : Kind::switch_;
        std::vector<std::string> conditions;
        for (const auto& [key, item] : operand.items())
            if (op == "$match" || key != "$default") conditions.push_back(key);
        std::sort(conditions.begin(), conditions.end());
        for (const auto& condition : conditions) {
            const std::string condition_pointer = core::pointer_append(operand_pointer, condition);
            node->conditions.push_back(expression(condition, site(condition_pointer, path)));
            node->children.push_back(
                compile(operand.at(condition), condition_pointer, path_key(path_key(path, op), condition), depth + 1));
        }
        node->has_default = node->kind == Kind::switch_ && operand.contains("$default");
        if (node->has_default)
            node->children.push_back(compile(operand.at("$default"), core::pointer_append(operand_pointer, "$default"),
                                             path_key(path_key(path, op), "$default"), depth + 1));
        return node;
    }
    if (op == "$sort") {
        check_properties(op, value, [](const std::string& k) { return !each_names(k, "by", 1, 1).empty(); });
        node->kind = Kind::sort;
        node->children.push_back(child(op));
        const std::string by = other_key(value, op);
        if (!by.empty()) {
            node->var1 = each_names(by, "by", 1, 1)[0];
            node->expression = string_expression(value.at(by), by, by + " must be given a string expression");
        }
        return node;
    }
    template_error("unknown operator '" + op + "'");
}

} // namespace mlserve::tmpl
