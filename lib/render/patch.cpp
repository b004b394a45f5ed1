#include "render/patch.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <optional>
#include <variant>

#include "core/text.hpp"

namespace mlserve::render {

using core::Json;

Json merge_patch(Json target, const Json& patch) {
    if (!patch.is_object()) return patch;
    if (!target.is_object()) target = Json::object();
    for (const auto& [key, value] : patch.items()) {
        if (value.is_null()) {
            target.erase(key);
            continue;
        }
        auto it = target.find(key);
        if (it == target.end())
            target[key] = merge_patch(Json(), value);
        else
            *it = merge_patch(std::move(*it), value);
    }
    return target;
}

core::Result<std::vector<std::string>> parse_pointer(std::string_view pointer) {
    std::vector<std::string> tokens;
    if (pointer.empty()) return tokens;
    if (pointer[0] != '/')
        return core::input_error("invalid JSON pointer '" + std::string(pointer) + "': it must start with '/'", {},
                                 {}, "write pointers like /spec/template/metadata/labels");
    std::string token;
    for (size_t i = 1; i <= pointer.size(); ++i) {
        if (i == pointer.size() || pointer[i] == '/') {
            tokens.push_back(std::move(token));
            token.clear();
        } else if (pointer[i] == '~') {
            char next = i + 1 < pointer.size() ? pointer[i + 1] : '\0';
            if (next != '0' && next != '1')
                return core::input_error("invalid JSON pointer '" + std::string(pointer) +
                                             "': '~' must be followed by '0' or '1'",
                                         {}, {}, "escape '~' as ~0 and '/' as ~1");
            token += next == '0' ? '~' : '/';
            ++i;
        } else {
            token += pointer[i];
        }
    }
    return tokens;
}

bool json_equal(const Json& a, const Json& b) {
    if (a.is_object() && b.is_object()) {
        if (a.size() != b.size()) return false;
        for (const auto& [key, value] : a.items()) {
            auto it = b.find(key);
            if (it == b.end() || !json_equal(value, *it)) return false;
        }
        return true;
    }
    if (a.is_array() && b.is_array()) {
        if (a.size() != b.size()) return false;
        for (size_t i = 0; i < a.size(); ++i)
            if (!json_equal(a[i], b[i])) return false;
        return true;
    }
    if (a.is_number() && b.is_number()) return a == b;
    return a.type() == b.type() && a == b;
}

namespace {

/// Why one operation failed; json_patch prefixes it with the operation.
struct OpError {
    std::string reason;
};

using Tokens = std::vector<std::string>;

std::string join_pointer(const Tokens& tokens, size_t count) {
    std::string out;
    for (size_t i = 0; i < count; ++i) out = core::pointer_append(out, tokens[i]);
    return out;
}

std::string type_name(const Json& value) {
    switch (value.type()) {
    case Json::value_t::object: return "an object";
    case Json::value_t::array: return "a list";
    case Json::value_t::string: return "a string";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::null: return "null";
    default: return "a number";
    }
}

/// An array index token: "0" or digits without a leading zero, below `limit`. "-" yields `size`.
std::variant<size_t, OpError> array_index(const Json& array, const Tokens& tokens, size_t at, bool allow_end) {
    const std::string& token = tokens[at];
    std::string where = join_pointer(tokens, at);
    if (token == "-") {
        if (allow_end) return array.size();
        return OpError{"'-' (past the end of the list at '" + where + "') can only be used to add"};
    }
    bool digits = !token.empty() && token.size() <= 18 && (token == "0" || token[0] != '0');
    for (char c : token) digits = digits && c >= '0' && c <= '9';
    if (!digits) return OpError{"'" + token + "' is not a list index (the value at '" + where + "' is a list)"};
    size_t index = std::stoull(token);
    if (allow_end ? index > array.size() : index >= array.size())
        return OpError{"index " + token + " is out of range at '" + where + "' (the list has " +
                       std::to_string(array.size()) + " item" + (array.size() == 1 ? "" : "s") + ")"};
    return index;
}

/// Walks to the value at tokens[0..count); every step must exist.
std::variant<Json*, OpError> walk(Json& doc, const Tokens& tokens, size_t count) {
    Json* node = &doc;
    for (size_t i = 0; i < count; ++i) {
        if (node->is_object()) {
            auto it = node->find(tokens[i]);
            if (it == node->end()) return OpError{"'" + join_pointer(tokens, i + 1) + "' does not exist"};
            node = &*it;
        } else if (node->is_array()) {
            auto index = array_index(*node, tokens, i, false);
            if (auto* err = std::get_if<OpError>(&index)) return *err;
            node = &(*node)[std::get<size_t>(index)];
        } else {
            return OpError{"'" + join_pointer(tokens, i) + "' is " + type_name(*node) +
                           ", so it has no member '" + tokens[i] + "'"};
        }
    }
    return node;
}

std::optional<OpError> add(Json& doc, const Tokens& tokens, Json value) {
    if (tokens.empty()) {
        doc = std::move(value);
        return std::nullopt;
    }
    auto parent = walk(doc, tokens, tokens.size() - 1);
    if (auto* err = std::get_if<OpError>(&parent)) return *err;
    Json& node = *std::get<Json*>(parent);
    if (node.is_object()) {
        node[tokens.back()] = std::move(value);
    } else if (node.is_array()) {
        auto index = array_index(node, tokens, tokens.size() - 1, true);
        if (auto* err = std::get_if<OpError>(&index)) return *err;
        node.insert(node.begin() + static_cast<std::ptrdiff_t>(std::get<size_t>(index)), std::move(value));
    } else {
        return OpError{"'" + join_pointer(tokens, tokens.size() - 1) + "' is " + type_name(node) +
                       ", so nothing can be added to it"};
    }
    return std::nullopt;
}

std::variant<Json, OpError> remove(Json& doc, const Tokens& tokens) {
    if (tokens.empty()) return OpError{"the whole document cannot be removed"};
    auto parent = walk(doc, tokens, tokens.size() - 1);
    if (auto* err = std::get_if<OpError>(&parent)) return *err;
    Json& node = *std::get<Json*>(parent);
    if (node.is_object()) {
        auto it = node.find(tokens.back());
        if (it == node.end()) return OpError{"'" + join_pointer(tokens, tokens.size()) + "' does not exist"};
        Json removed = std::move(*it);
        node.erase(tokens.back());
        return removed;
    }
    if (node.is_array()) {
        auto index = array_index(node, tokens, tokens.size() - 1, false);
        if (auto* err = std::get_if<OpError>(&index)) return *err;
        size_t i = std::get<size_t>(index);
        Json removed = std::move(node[i]);
        node.erase(i);
        return removed;
    }
    return OpError{"'" + join_pointer(tokens, tokens.size() - 1) + "' is " + type_name(node) +
                   ", so it has no member '" + tokens.back() + "'"};
}

std::string short_dump(const Json& value) {
    std::string text = value.dump();
    if (text.size() > 60) text = text.substr(0, 57) + "...";
    return text;
}

constexpr std::array<std::string_view, 6> k_ops = {"add", "remove", "replace", "move", "copy", "test"};

/// Applies one operation; `what` receives the "op path" prefix for messages.
std::optional<OpError> apply_op(Json& doc, const Json& op, std::string& what) {
    if (!op.is_object()) return OpError{"an operation must be an object like {op: add, path: /a, value: 1}"};
    auto op_it = op.find("op");
    if (op_it == op.end() || !op_it->is_string())
        return OpError{"'op' is missing (add, remove, replace, move, copy or test)"};
    std::string name = op_it->get<std::string>();
    bool known = false;
    for (auto k : k_ops) known = known || k == name;
    if (!known) {
        std::vector<std::string> names(k_ops.begin(), k_ops.end());
        return OpError{"unknown op '" + name + "'; " + core::suggestion_hint(name, names)};
    }
    what = name;
    auto path_it = op.find("path");
    if (path_it == op.end() || !path_it->is_string()) return OpError{"'path' is missing or not a string"};
    std::string path = path_it->get<std::string>();
    what += " " + (path.empty() ? std::string("\"\"") : path);
    auto tokens = parse_pointer(path);
    if (!tokens) return OpError{tokens.error().message};

    auto value_it = op.find("value");
    if ((name == "add" || name == "replace" || name == "test") && value_it == op.end())
        return OpError{"'value' is missing"};
    Tokens from;
    if (name == "move" || name == "copy") {
        auto from_it = op.find("from");
        if (from_it == op.end() || !from_it->is_string()) return OpError{"'from' is missing or not a string"};
        what = name + " " + from_it->get<std::string>() + " -> " + (path.empty() ? "\"\"" : path);
        auto parsed = parse_pointer(from_it->get<std::string>());
        if (!parsed) return OpError{parsed.error().message};
        from = std::move(*parsed);
    }

    if (name == "add") return add(doc, *tokens, *value_it);
    if (name == "remove") {
        auto removed = remove(doc, *tokens);
        if (auto* err = std::get_if<OpError>(&removed)) return *err;
        return std::nullopt;
    }
    if (name == "replace") {
        auto target = walk(doc, *tokens, tokens->size());
        if (auto* err = std::get_if<OpError>(&target)) return *err;
        *std::get<Json*>(target) = *value_it;
        return std::nullopt;
    }
    if (name == "test") {
        auto target = walk(doc, *tokens, tokens->size());
        if (auto* err = std::get_if<OpError>(&target)) return *err;
        if (!json_equal(*std::get<Json*>(target), *value_it))
            return OpError{"the value is " + short_dump(*std::get<Json*>(target)) + ", not " + short_dump(*value_it)};
        return std::nullopt;
    }
    if (name == "copy") {
        auto source = walk(doc, from, from.size());
        if (auto* err = std::get_if<OpError>(&source)) return *err;
        return add(doc, *tokens, *std::get<Json*>(source));
    }
    // move: a value cannot move into one of its own children.
    if (from == *tokens) {
        auto source = walk(doc, from, from.size());
        if (auto* err = std::get_if<OpError>(&source)) return *err;
        return std::nullopt;
    }
    if (from.size() < tokens->size() && std::equal(from.begin(), from.end(), tokens->begin()))
        return OpError{"a value cannot be moved into one of its own children"};
    auto removed = remove(doc, from);
    if (auto* err = std::get_if<OpError>(&removed)) return *err;
    return add(doc, *tokens, std::move(std::get<Json>(removed)));
}

} // namespace

core::Result<Json> json_patch(Json document, const Json& patch, size_t* failed_op) {
    if (!patch.is_array()) {
        if (failed_op) *failed_op = std::numeric_limits<size_t>::max();
        return core::input_error("a JSON patch must be a list of operations, not " + type_name(patch), {}, {},
                                 "write jsonPatch: [{op: replace, path: /spec/replicas, value: 3}]");
    }
    for (size_t i = 0; i < patch.size(); ++i) {
        std::string what;
        if (auto err = apply_op(document, patch[i], what)) {
            if (failed_op) *failed_op = i;
            return core::input_error(what.empty() ? err->reason : what + ": " + err->reason);
        }
    }
    return document;
}

} // namespace mlserve::render
