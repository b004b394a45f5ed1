#pragma once
// The evaluator's own value type: 16 bytes, trivially copyable, never owning. Strings, arrays and objects
// either borrow a core::Json (the context or a template literal, both alive for the whole evaluation) or
// live in the evaluation's Arena, which frees everything at once when evaluate() returns. So a context
// lookup copies nothing and building `[acc]` in a $reduce is O(1).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <string_view>
#include <unordered_map>

#include "core/json.hpp"

namespace mlserve::tmpl {

using core::Json;

/// JSON-e's types, plus `absent`: the "delete marker" of `$if` without a branch, never stored in a value.
enum class Type : uint8_t { null, boolean, number, string, array, object, function, absent };

/// The built-in functions; a function value is one of these.
enum class Builtin : uint8_t {
    min, max, sqrt, ceil, floor, abs, range, lowercase, uppercase, str, number, len,
    strip, rstrip, lstrip, split, join, from_now, type_of, defined, count_
};

struct Entry;

class Value {
public:
    Value() = default;
    static Value null() { return Value(); }
    static Value absent() { Value v; v.m_type = Type::absent; return v; }
    static Value boolean(bool b) { Value v; v.m_type = Type::boolean; v.m_bool = b; return v; }
    static Value number(double n) { Value v; v.m_type = Type::number; v.m_number = n; return v; }
    static Value function(Builtin f) { Value v; v.m_type = Type::function; v.m_fn = f; return v; }
    /// A string whose bytes outlive the evaluation (template text or arena memory).
    static Value view(std::string_view s) {
        Value v; v.m_type = Type::string; v.m_size = static_cast<uint32_t>(s.size()); v.m_chars = s.data(); return v;
    }
    static Value array(const Value* items, size_t n) {
        Value v; v.m_type = Type::array; v.m_size = static_cast<uint32_t>(n); v.m_items = items; return v;
    }
    static Value object(const Entry* entries, size_t n) {
        Value v; v.m_type = Type::object; v.m_size = static_cast<uint32_t>(n); v.m_entries = entries; return v;
    }
    /// Wraps a Json without copying: scalars by value, strings/arrays/objects by reference.
    static Value borrow(const Json& j);

    Type type() const { return m_type; }
    bool is(Type t) const { return m_type == t; }
    bool is_borrowed() const { return m_borrowed; }
    const Json& json() const { return *m_json; }

    bool as_bool() const { return m_bool; }
    double as_number() const { return m_number; }
    Builtin as_function() const { return m_fn; }
    std::string_view as_string() const {
        return m_borrowed ? std::string_view(m_json->get_ref<const std::string&>()) : std::string_view(m_chars, m_size);
    }

    /// Number of items (arrays) or entries (objects).
    size_t size() const { return m_borrowed ? m_json->size() : m_size; }
    /// Array item `i` (< size()).
    Value item(size_t i) const { return m_borrowed ? borrow((*m_json)[i]) : m_items[i]; }
    /// Object lookup; false when the key is missing.
    bool find(std::string_view key, Value& out) const {
        uint32_t hint = 0;
        return find(key, out, hint);
    }
    /// Object lookup that tries entry `hint` first and leaves the found entry's index there. Templates
    /// meet contexts of one shape over and over, so a name is usually where it was last time.
    bool find(std::string_view key, Value& out, uint32_t& hint) const;
    /// Calls f(std::string_view key, Value value) for each object entry in order.
    template <class F>
    void for_each_entry(F&& f) const;

private:
    Type m_type = Type::null;
    bool m_borrowed = false;
    uint32_t m_size = 0;
    union {
        bool m_bool;
        double m_number = 0;
        Builtin m_fn;
        const Json* m_json;
        const char* m_chars;
        const Value* m_items;
        const Entry* m_entries;
    };
};

struct Entry {
    std::string_view key;
    Value value;
};

inline Value Value::borrow(const Json& j) {
    Value v;
    switch (j.type()) {
    case Json::value_t::boolean: return boolean(j.get_ref<const Json::boolean_t&>());
    case Json::value_t::number_integer: return number(static_cast<double>(j.get_ref<const Json::number_integer_t&>()));
    case Json::value_t::number_unsigned: return number(static_cast<double>(j.get_ref<const Json::number_unsigned_t&>()));
    case Json::value_t::number_float: return number(j.get_ref<const Json::number_float_t&>());
    case Json::value_t::string: v.m_type = Type::string; break;
    case Json::value_t::array: v.m_type = Type::array; break;
    case Json::value_t::object: v.m_type = Type::object; break;
    default: return v; // null, binary and discarded (the YAML loader makes no binary)
    }
    v.m_borrowed = true;
    v.m_json = &j;
    return v;
}

template <class F>
void Value::for_each_entry(F&& f) const {
    if (m_borrowed) {
        for (const auto& [key, item] : m_json->get_ref<const Json::object_t&>()) f(std::string_view(key), borrow(item));
    } else {
        for (uint32_t i = 0; i < m_size; ++i) f(m_entries[i].key, m_entries[i].value);
    }
}

/// Bump allocation for one evaluation; everything is released when the Arena goes away. Allocation past
/// `limit` bytes fails, which also bounds the work of quadratic templates (string building in loops).
class Arena {
public:
    explicit Arena(size_t limit);
    /// Raw memory; throws a template failure past the limit.
    void* allocate(size_t bytes, size_t align = alignof(std::max_align_t));
    std::string_view copy(std::string_view s);
    Value string(std::string_view s) { return Value::view(copy(s)); }
    Value* values(size_t n);
    Entry* entries(size_t n);
    size_t used() const { return m_used; }

private:
    alignas(std::max_align_t) std::byte m_initial[16384];
    std::pmr::monotonic_buffer_resource m_resource;
    size_t m_used = 0;
    size_t m_limit;
};

/// Collects an object's entries with JavaScript's property semantics: setting an existing key replaces
/// its value in place, a new key goes last.
class ObjectBuilder {
public:
    explicit ObjectBuilder(Arena& arena) : m_arena(arena) {}
    void reserve(size_t n);
    void set(std::string_view key, Value value);
    /// Appends without checking for duplicates (the caller knows the keys are distinct).
    void append(std::string_view key, Value value);
    Value finish();
    size_t size() const { return m_size; }

private:
    void grow(size_t need);
    Arena& m_arena;
    Entry* m_entries = nullptr;
    size_t m_size = 0;
    size_t m_capacity = 0;
    // Large objects (many keys merged or mapped) find existing keys through a hash index.
    std::unique_ptr<std::unordered_map<std::string_view, size_t>> m_index;
};

/// Collects array items in the arena.
class ArrayBuilder {
public:
    explicit ArrayBuilder(Arena& arena) : m_arena(arena) {}
    void reserve(size_t n);
    void push(Value v);
    Value finish() { return Value::array(m_items, m_size); }
    size_t size() const { return m_size; }

private:
    Arena& m_arena;
    Value* m_items = nullptr;
    size_t m_size = 0;
    size_t m_capacity = 0;
};

/// Refuses strings longer than k_max_string_bytes.
void check_string_length(size_t bytes);

/// JSON-e truthiness: null, false, 0, "", [] and {} are false; functions are true.
bool truthy(const Value& v);
/// Deep equality (numbers by value, objects regardless of key order, functions by identity).
bool equal(const Value& a, const Value& b, int depth = 0);
/// "string", "number", "boolean", "array", "object", "null" or "function".
std::string_view type_name(const Value& v);
/// The name of a built-in function as written in expressions.
std::string_view builtin_name(Builtin f);

/// Converts a result to Json: integral numbers become integers, non-finite numbers and functions are
/// refused, nesting is bounded.
Json to_json(const Value& v, int depth = 0);

} // namespace mlserve::tmpl
