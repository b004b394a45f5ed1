// The parts of check_schema() that compare a value with several things at once: list-type set/map uniqueness, and
// anyOf/oneOf/not, which try each branch without reporting and then say which forms matched.

#include <algorithm>
#include <unordered_map>

#include "validate/schema_check.hpp"

namespace mlserve::validate::schema_detail {

std::string describe(const Node* node) {
    if (node->required.empty()) return "an allowed form";
    std::string out = node->required.size() == 1 ? "field " : "fields ";
    for (std::size_t i = 0; i < node->required.size(); ++i)
        out += (i ? ", \"" : "\"") + node->required[i] + "\"";
    return out + " set";
}

void Checker::check_unique(const core::Json& value, const Node* node) {
    const bool by_keys = node->list_type == ListType::map && !node->list_map_keys.empty();
    // The identity of an item: its map keys' values (list-type map) or the item itself (set), as text.
    auto identity = [&](const core::Json& item) {
        if (!by_keys) return item.dump();
        std::string id;
        for (const auto& key : node->list_map_keys) {
            auto it = item.is_object() ? item.find(key) : item.end();
            id += it != item.end() ? it->dump() : "null";
            id += '\0';
        }
        return id;
    };
    // How a duplicate is named in the message: built only when there is one.
    auto shown = [&](const core::Json& item) {
        if (!by_keys) return show(item);
        std::string out;
        for (const auto& key : node->list_map_keys)
            if (auto it = item.find(key); it != item.end()) out += (out.empty() ? "" : ", ") + key + "=" + it->dump();
        return out;
    };
    std::unordered_map<std::string, std::size_t> seen;
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (by_keys && !value[i].is_object()) continue;
        auto [it, fresh] = seen.emplace(identity(value[i]), i);
        if (fresh) continue;
        m_path.push_back({nullptr, i});
        emit("schema.list-unique",
             std::string("duplicate ") + (by_keys ? "key " : "value ") + shown(value[i]) + " (same as [" +
                 std::to_string(it->second) + "]): a list-type " + (by_keys ? "map" : "set") + " must not repeat it",
             by_keys ? "give each entry a distinct " + node->list_map_keys.front() : "remove the duplicate");
        m_path.pop_back();
    }
}

void Checker::check_alternatives(const core::Json& value, const Node* node, int chain) {
    for (const bool one_of : {false, true}) {
        const auto& branches = one_of ? node->one_of : node->any_of;
        if (branches.empty()) continue;
        std::vector<std::size_t> matched;
        std::vector<Finding> closest;
        std::size_t fewest = SIZE_MAX;
        for (std::size_t i = 0; i < branches.size(); ++i) {
            std::vector<Finding> found;
            const std::size_t errors = trial(value, branches[i], chain, m_counting ? nullptr : &found);
            if (errors == 0) matched.push_back(i);
            else if (errors < fewest) {
                fewest = errors;
                closest = std::move(found);
            }
        }
        const std::string rule_name = one_of ? "oneOf" : "anyOf";
        if (matched.empty()) {
            std::string message = "matches none of the " + std::to_string(branches.size()) + " allowed forms (" +
                                  rule_name + ")";
            bool all_required = std::all_of(branches.begin(), branches.end(),
                                            [](const Node* b) { return !b->required.empty(); });
            if (all_required) {
                message = one_of ? "exactly one of " : "at least one of ";
                for (std::size_t i = 0; i < branches.size(); ++i)
                    for (std::size_t j = 0; j < branches[i]->required.size(); ++j)
                        message += std::string(i || j ? (j ? " and " : ", ") : "") + "\"" + branches[i]->required[j] + "\"";
                message = "expected " + message + " to be set";
            }
            std::string hint;
            if (!closest.empty() && !all_required)
                hint = "closest form: " + (closest.front().path.empty() ? std::string() : closest.front().path + ": ") +
                       closest.front().message;
            emit("schema.one-of", std::move(message), std::move(hint), value.is_structured());
        } else if (one_of && matched.size() > 1) {
            // Istio's spelling of "at most one of these fields": oneOf [not anyOf [required a, ...], required a, ...]
            std::vector<std::string> fields;
            for (const Node* branch : branches)
                if (branch->required.size() == 1) fields.push_back(branch->required.front());
                else if (!branch->not_schema) fields.clear();
            if (fields.size() + 1 == branches.size() && value.is_object()) {
                std::string all, found;
                for (const auto& field : fields) {
                    all += (all.empty() ? "\"" : ", \"") + field + "\"";
                    if (value.contains(field)) found += (found.empty() ? "\"" : ", \"") + field + "\"";
                }
                emit("schema.one-of", "at most one of " + all + " may be set, found " + found, "keep one of them",
                     true);
                continue;
            }
            std::string which;
            for (std::size_t i : matched) which += (which.empty() ? "" : "; ") + describe(branches[i]);
            emit("schema.one-of", "must match exactly one of the " + std::to_string(branches.size()) +
                                      " allowed forms (oneOf), matches " + std::to_string(matched.size()) + ": " +
                                      which, {}, value.is_structured());
        }
    }
}

} // namespace mlserve::validate::schema_detail
