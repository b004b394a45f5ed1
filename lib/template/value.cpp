#include "template/value.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "core/text.hpp"
#include "template/failure.hpp"
#include "template/strings.hpp"

namespace mlserve::tmpl {

bool Value::find(std::string_view key, Value& out, uint32_t& hint) const {
    if (m_borrowed) {
        const auto& object = m_json->get_ref<const Json::object_t&>();
        const auto* entries = object.data(); // ordered_map's operator[] takes keys, not indexes
        if (hint < object.size() && entries[hint].first == key) {
            out = borrow(entries[hint].second);
            return true;
        }
        for (size_t i = 0; i < object.size(); ++i) {
            if (entries[i].first == key) {
                out = borrow(entries[i].second);
                hint = static_cast<uint32_t>(i);
                return true;
            }
        }
        return false;
    }
    if (hint < m_size && m_entries[hint].key == key) {
        out = m_entries[hint].value;
        return true;
    }
    for (uint32_t i = 0; i < m_size; ++i) {
        if (m_entries[i].key == key) {
            out = m_entries[i].value;
            hint = i;
            return true;
        }
    }
    return false;
}

Arena::Arena(size_t limit) : m_resource(m_initial, sizeof m_initial), m_limit(limit) {}

void* Arena::allocate(size_t bytes, size_t align) {
    m_used += bytes;
    if (m_used > m_limit)
        template_error("evaluation needs more than " + std::to_string(m_limit >> 20) + " MiB of memory",
                       "a loop builds ever larger strings or arrays; simplify the template");
    return m_resource.allocate(bytes == 0 ? 1 : bytes, align);
}

void check_string_length(size_t bytes) {
    if (bytes > k_max_string_bytes)
        template_error("a string of " + std::to_string(bytes) + " bytes is longer than the limit of " +
                           std::to_string(k_max_string_bytes >> 20) + " MiB",
                       "templates render manifests; no field needs a string this long");
}

std::string_view Arena::copy(std::string_view s) {
    check_string_length(s.size());
    auto* p = static_cast<char*>(allocate(s.size(), 1));
    if (!s.empty()) std::memcpy(p, s.data(), s.size());
    return {p, s.size()};
}

Value* Arena::values(size_t n) { return static_cast<Value*>(allocate(n * sizeof(Value), alignof(Value))); }
Entry* Arena::entries(size_t n) { return static_cast<Entry*>(allocate(n * sizeof(Entry), alignof(Entry))); }

namespace {
void check_items(size_t n) {
    if (n > k_max_items)
        template_error("an array or object of more than " + std::to_string(k_max_items) + " items",
                       "templates render manifests; no field needs this many items");
}
} // namespace

void ObjectBuilder::grow(size_t need) {
    if (need <= m_capacity) return;
    check_items(need);
    size_t capacity = std::max<size_t>(need, m_capacity * 2);
    Entry* fresh = m_arena.entries(capacity);
    if (m_size) std::memcpy(static_cast<void*>(fresh), m_entries, m_size * sizeof(Entry));
    m_entries = fresh;
    m_capacity = capacity;
}

void ObjectBuilder::reserve(size_t n) { grow(n); }

void ObjectBuilder::set(std::string_view key, Value value) {
    constexpr size_t k_linear = 24;
    if (m_index) {
        if (auto it = m_index->find(key); it != m_index->end()) {
            m_entries[it->second].value = value;
            return;
        }
    } else {
        for (size_t i = 0; i < m_size; ++i) {
            if (m_entries[i].key == key) {
                m_entries[i].value = value;
                return;
            }
        }
        if (m_size >= k_linear) {
            m_index = std::make_unique<std::unordered_map<std::string_view, size_t>>();
            for (size_t i = 0; i < m_size; ++i) m_index->emplace(m_entries[i].key, i);
        }
    }
    append(key, value);
}

void ObjectBuilder::append(std::string_view key, Value value) {
    grow(m_size + 1);
    if (m_index) m_index->emplace(key, m_size);
    m_entries[m_size++] = Entry{key, value};
}

Value ObjectBuilder::finish() { return Value::object(m_entries, m_size); }

void ArrayBuilder::reserve(size_t n) {
    if (n <= m_capacity) return;
    check_items(n);
    size_t capacity = std::max<size_t>(n, m_capacity * 2);
    Value* fresh = m_arena.values(capacity);
    if (m_size) std::memcpy(static_cast<void*>(fresh), m_items, m_size * sizeof(Value));
    m_items = fresh;
    m_capacity = capacity;
}

void ArrayBuilder::push(Value v) {
    if (m_size == m_capacity) reserve(m_size + 1);
    m_items[m_size++] = v;
}

bool truthy(const Value& v) {
    switch (v.type()) {
    case Type::boolean: return v.as_bool();
    case Type::number: return v.as_number() != 0;
    case Type::string: return !v.as_string().empty();
    case Type::array:
    case Type::object: return v.size() > 0;
    case Type::function: return true;
    default: return false;
    }
}

namespace {
void check_depth(int depth) {
    if (depth > k_max_value_depth)
        template_error("a value is nested deeper than " + std::to_string(k_max_value_depth) + " levels",
                       "a loop nests arrays or objects without end; simplify the template");
}

// Objects compare regardless of key order; large ones through sorted key lists to stay O(n log n).
bool equal_objects(const Value& a, const Value& b, int depth) {
    if (a.size() != b.size()) return false;
    if (a.size() <= 16) {
        bool same = true;
        a.for_each_entry([&](std::string_view key, const Value& va) {
            Value vb;
            if (same && (!b.find(key, vb) || !equal(va, vb, depth + 1))) same = false;
        });
        return same;
    }
    std::vector<Entry> ea, eb;
    a.for_each_entry([&](std::string_view k, const Value& v) { ea.push_back({k, v}); });
    b.for_each_entry([&](std::string_view k, const Value& v) { eb.push_back({k, v}); });
    auto by_key = [](const Entry& x, const Entry& y) { return x.key < y.key; };
    std::sort(ea.begin(), ea.end(), by_key);
    std::sort(eb.begin(), eb.end(), by_key);
    for (size_t i = 0; i < ea.size(); ++i)
        if (ea[i].key != eb[i].key || !equal(ea[i].value, eb[i].value, depth + 1)) return false;
    return true;
}
} // namespace

bool equal(const Value& a, const Value& b, int depth) {
    check_depth(depth);
    if (a.type() != b.type()) return false;
    switch (a.type()) {
    case Type::null: return true;
    case Type::boolean: return a.as_bool() == b.as_bool();
    case Type::number: return a.as_number() == b.as_number();
    case Type::string: return a.as_string() == b.as_string();
    case Type::function: return a.as_function() == b.as_function();
    case Type::array: {
        if (a.size() != b.size()) return false;
        for (size_t i = 0; i < a.size(); ++i)
            if (!equal(a.item(i), b.item(i), depth + 1)) return false;
        return true;
    }
    case Type::object: return equal_objects(a, b, depth);
    default: return false;
    }
}

std::string_view type_name(const Value& v) {
    switch (v.type()) {
    case Type::null: return "null";
    case Type::boolean: return "boolean";
    case Type::number: return "number";
    case Type::string: return "string";
    case Type::array: return "array";
    case Type::object: return "object";
    case Type::function: return "function";
    default: return "nothing";
    }
}

std::string_view builtin_name(Builtin f) {
    static constexpr std::string_view k_names[] = {
        "min", "max", "sqrt", "ceil", "floor", "abs", "range", "lowercase", "uppercase", "str", "number", "len",
        "strip", "rstrip", "lstrip", "split", "join", "fromNow", "typeof", "defined"};
    return k_names[static_cast<size_t>(f)];
}

namespace {

// Text leaves the engine only as valid UTF-8 (a programmatic context may hold anything); ASCII, the
// common case, is checked eight bytes at a time.
const std::string& checked(const std::string& s) {
    size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        uint64_t word;
        std::memcpy(&word, s.data() + i, 8);
        if (word & 0x8080808080808080ull) break;
    }
    for (; i < s.size(); ++i)
        if (static_cast<unsigned char>(s[i]) >= 0x80) {
            if (!core::valid_utf8(std::string_view(s).substr(i))) template_error("invalid UTF-8 in a value");
            break;
        }
    return s;
}

std::string checked(std::string_view s) {
    std::string out(s);
    checked(out);
    return out;
}

// A copy of a context or template value, bounded in depth (nlohmann's own copy recurses without limit).
Json copy_json(const Json& j, int depth) {
    check_depth(depth);
    switch (j.type()) {
    case Json::value_t::string: return checked(j.get_ref<const std::string&>());
    case Json::value_t::array: {
        Json out = Json::array();
        auto& items = out.get_ref<Json::array_t&>();
        items.reserve(j.size());
        for (const auto& item : j.get_ref<const Json::array_t&>()) items.push_back(copy_json(item, depth + 1));
        return out;
    }
    case Json::value_t::object: {
        Json out = Json::object();
        auto& entries = out.get_ref<Json::object_t&>();
        entries.reserve(j.size());
        for (const auto& [key, item] : j.get_ref<const Json::object_t&>())
            entries.emplace_back(checked(key), copy_json(item, depth + 1));
        return out;
    }
    case Json::value_t::binary: template_error("binary data cannot be part of a JSON-e result");
    default: return j;
    }
}

// Names the place in the result of a failure found while converting it, innermost segment first.
void prepend(Failure& f, const std::string& segment) {
    if (f.result_path.empty() || f.result_path[0] == '[') f.result_path = segment + f.result_path;
    else f.result_path = segment + "." + f.result_path;
    if (f.result_path.size() > 120) f.result_path = f.result_path.substr(0, 117) + "...";
}

} // namespace

Json to_json(const Value& v, int depth) {
    check_depth(depth);
    switch (v.type()) {
    case Type::null:
    case Type::absent: return nullptr;
    case Type::boolean: return v.as_bool();
    case Type::number: {
        double n = v.as_number();
        if (!std::isfinite(n))
            template_error("an expression produced a number that is not finite (NaN or Infinity)",
                           "check divisions, sqrt() of negative numbers and large exponents");
        // JSON-e numbers are doubles; integral ones are written as integers, as JavaScript does.
        if (n == std::trunc(n) && std::fabs(n) < 9.2e18) return static_cast<int64_t>(n);
        return n;
    }
    case Type::string: return v.is_borrowed() ? copy_json(v.json(), depth) : Json(checked(v.as_string()));
    case Type::function: template_error("evaluated template contained uncalled functions",
                                        "call the function, e.g. " + std::string(builtin_name(v.as_function())) + "(...)");
    case Type::array: {
        if (v.is_borrowed()) return copy_json(v.json(), depth);
        Json out = Json::array();
        auto& items = out.get_ref<Json::array_t&>();
        items.reserve(v.size());
        for (size_t i = 0; i < v.size(); ++i) {
            try {
                items.push_back(to_json(v.item(i), depth + 1));
            } catch (Failure& f) {
                prepend(f, "[" + std::to_string(i) + "]");
                throw;
            }
        }
        return out;
    }
    case Type::object: {
        if (v.is_borrowed()) return copy_json(v.json(), depth);
        Json out = Json::object();
        auto& entries = out.get_ref<Json::object_t&>();
        entries.reserve(v.size());
        v.for_each_entry([&](std::string_view key, const Value& item) {
            try {
                entries.emplace_back(checked(key), to_json(item, depth + 1));
            } catch (Failure& f) {
                prepend(f, path_key("", key));
                throw;
            }
        });
        return out;
    }
    }
    return nullptr;
}

} // namespace mlserve::tmpl
