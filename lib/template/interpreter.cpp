// Evaluating expressions: JSON-e's operators with JavaScript's number semantics, property access,
// indexing and slicing by code point, name lookup through the scopes.

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

#include "core/text.hpp"
#include "template/evaluator.hpp"
#include "template/strings.hpp"

namespace mlserve::tmpl {

using Op = Expr::Op;

Value Evaluator::eval(const Expression& expression, const Scope& scope) {
    try {
        return eval(*expression.root, scope);
    } catch (Failure& f) {
        if (!f.site) f.site = expression.site;
        throw;
    }
}

Value Evaluator::eval(const Expr& e, const Scope& scope) {
    step();
    switch (e.op) {
    case Op::literal: return e.value;
    case Op::identifier: return lookup(e, scope);
    case Op::negate:
    case Op::plus: {
        Value v = eval(*e.a, scope);
        if (!v.is(Type::number)) interpreter_error(e.op == Op::negate ? "unary - expects number" : "unary + expects number");
        return e.op == Op::negate ? Value::number(-v.as_number()) : v;
    }
    case Op::not_: return Value::boolean(!truthy(eval(*e.a, scope)));
    case Op::and_: return Value::boolean(truthy(eval(*e.a, scope)) && truthy(eval(*e.b, scope)));
    case Op::or_: return Value::boolean(truthy(eval(*e.a, scope)) || truthy(eval(*e.b, scope)));
    case Op::dot: return eval_dot(e, scope);
    case Op::index:
    case Op::slice: return eval_access(e, scope);
    case Op::call: return eval_call(e, scope);
    case Op::list: {
        ArrayBuilder items(m_arena);
        items.reserve(e.items.size());
        for (const Expr* item : e.items) items.push(eval(*item, scope));
        return items.finish();
    }
    case Op::object: {
        ObjectBuilder entries(m_arena);
        entries.reserve(e.items.size());
        for (size_t i = 0; i < e.items.size(); ++i) entries.set(e.keys[i], eval(*e.items[i], scope));
        return entries.finish();
    }
    default: return eval_binary(e, scope);
    }
}

namespace {
const char* op_text(Op op) {
    switch (op) {
    case Op::add: return "+";
    case Op::sub: return "-";
    case Op::mul: return "*";
    case Op::div: return "/";
    case Op::pow: return "**";
    case Op::lt: return "<";
    case Op::gt: return ">";
    case Op::le: return "<=";
    default: return ">=";
    }
}

bool contains_value(const Value& haystack, const Value& needle, Evaluator& ev) {
    for (size_t i = 0; i < haystack.size(); ++i) {
        ev.step();
        if (equal(needle, haystack.item(i))) return true;
    }
    return false;
}
} // namespace

Value Evaluator::eval_binary(const Expr& e, const Scope& scope) {
    const Value l = eval(*e.a, scope);
    const Value r = eval(*e.b, scope);
    const bool numbers = l.is(Type::number) && r.is(Type::number);
    const bool strings = l.is(Type::string) && r.is(Type::string);
    switch (e.op) {
    case Op::add:
        if (numbers) return Value::number(l.as_number() + r.as_number());
        if (!strings) interpreter_error("infix: + expects numbers/strings + numbers/strings");
        {
            std::string_view a = l.as_string(), b = r.as_string();
            check_string_length(a.size() + b.size());
            step((a.size() + b.size()) / 64);
            auto* out = static_cast<char*>(m_arena.allocate(a.size() + b.size(), 1));
            std::copy(a.begin(), a.end(), out);
            std::copy(b.begin(), b.end(), out + a.size());
            return Value::view({out, a.size() + b.size()});
        }
    case Op::sub:
    case Op::mul:
    case Op::div:
    case Op::pow: {
        const char* op = op_text(e.op);
        if (!numbers) interpreter_error(std::string("infix: ") + op + " expects number " + op + " number");
        double a = l.as_number(), b = r.as_number();
        if (e.op == Op::sub) return Value::number(a - b);
        if (e.op == Op::mul) return Value::number(a * b);
        if (e.op == Op::pow) return Value::number(std::pow(a, b));
        if (b == 0) interpreter_error("division by zero");
        return Value::number(a / b);
    }
    case Op::lt:
    case Op::gt:
    case Op::le:
    case Op::ge: {
        const char* op = op_text(e.op);
        if (!numbers && !strings)
            interpreter_error(std::string("infix: ") + op + " expects numbers/strings " + op + " numbers/strings");
        int cmp;
        if (numbers) {
            double a = l.as_number(), b = r.as_number();
            if (std::isnan(a) || std::isnan(b)) return Value::boolean(false);
            cmp = a < b ? -1 : a > b ? 1 : 0;
        } else {
            cmp = l.as_string().compare(r.as_string());
        }
        bool result = e.op == Op::lt ? cmp < 0 : e.op == Op::gt ? cmp > 0 : e.op == Op::le ? cmp <= 0 : cmp >= 0;
        return Value::boolean(result);
    }
    case Op::eq: return Value::boolean(equal(l, r));
    case Op::ne: return Value::boolean(!equal(l, r));
    case Op::in:
        if (r.is(Type::object)) {
            if (!l.is(Type::string)) interpreter_error("Infix: in-object expects string on left side");
            Value ignored;
            step(r.size() / 16);
            return Value::boolean(r.find(l.as_string(), ignored));
        }
        if (r.is(Type::string)) {
            if (!l.is(Type::string)) interpreter_error("Infix: in-string expects string on left side");
            step(r.as_string().size() / 64);
            return Value::boolean(r.as_string().find(l.as_string()) != std::string_view::npos);
        }
        if (!r.is(Type::array)) interpreter_error("Infix: in expects Array, string, or object on right side");
        return Value::boolean(contains_value(r, l, *this));
    default: interpreter_error("unsupported operator");
    }
}

namespace {

std::string lowercase_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    return out;
}

// "did you mean 'x'?" for a typo, or for the names that start with the word (scaling.min ->
// scaling.minReplicas); "" when nothing is close.
std::string suggest(std::string_view word, const std::vector<std::string>& candidates, const std::string& prefix) {
    if (auto best = core::closest_match(word, candidates); !best.empty()) return "did you mean '" + prefix + best + "'?";
    const std::string lower = lowercase_ascii(word);
    std::vector<std::string> starting;
    for (const auto& candidate : candidates) {
        const std::string c = lowercase_ascii(candidate);
        if (lower.size() >= 2 && c.rfind(lower, 0) == 0) starting.push_back(candidate);
    }
    if (starting.empty() || starting.size() > 5) return {};
    if (starting.size() == 1) return "did you mean '" + prefix + starting[0] + "'?";
    std::string out = "did you mean one of ";
    for (size_t i = 0; i < starting.size(); ++i) out += (i ? ", '" : "'") + prefix + starting[i] + "'";
    return out + "?";
}

// For a dot: the dotted name from a context name ("scaling.min"), empty when the base is computed. Worked
// out only for messages, so that compiled expressions need not carry it.
std::string dotted_name(const Expr& e) {
    if (e.op == Expr::Op::identifier) return e.text;
    if (e.op != Expr::Op::dot) return {};
    const std::string base = dotted_name(*e.a);
    return base.empty() ? base : base + "." + e.text;
}

// "a, b, c" (at most 12 names).
std::string name_list(const std::vector<std::string>& names) {
    std::string out;
    for (size_t i = 0; i < names.size() && i < 12; ++i) out += (i ? ", " : "") + names[i];
    if (names.size() > 12) out += ", ...";
    return out;
}

} // namespace

Value Evaluator::eval_dot(const Expr& e, const Scope& scope) {
    const Value base = eval(*e.a, scope);
    if (!base.is(Type::object)) interpreter_error("infix: . expects objects");
    Value out;
    uint32_t slot = e.hint.load(std::memory_order_relaxed);
    const uint32_t guess = slot;
    if (base.find(e.text, out, slot)) {
        if (slot != guess) {
            e.hint.store(slot, std::memory_order_relaxed);
            step(base.size() / 16); // the guess missed: a scan
        }
        return out;
    }
    step(base.size() / 16);
    const std::string chain = dotted_name(e);
    if (chain.empty()) interpreter_error("object has no property \"" + e.text + "\"");
    // A dotted name from the context: say which one, and what the object does have.
    const std::string prefix = chain.substr(0, chain.size() - e.text.size() - 1);
    std::vector<std::string> keys;
    base.for_each_entry([&](std::string_view key, const Value&) { keys.emplace_back(key); });
    std::string hint = suggest(e.text, keys, prefix + ".");
    if (hint.empty()) hint = "'" + prefix + "' has: " + name_list(keys);
    interpreter_error("unknown context value '" + chain + "'", hint);
}

namespace {
// JavaScript's value[left] / value.slice(left, right) as json-e applies them to arrays and strings.
struct Bounds {
    size_t begin = 0, end = 0;
};

Bounds slice_bounds(const Value& left, const Value& right, size_t length) {
    const double len = static_cast<double>(length);
    auto number_or = [&](const Value& v, bool& ok) {
        ok = v.is(Type::number);
        return ok ? v.as_number() : 0.0;
    };
    bool left_ok = true, right_ok = true;
    double a = left.is(Type::absent) ? 0 : number_or(left, left_ok);
    double b = right.is(Type::absent) || right.is(Type::null) ? len : number_or(right, right_ok);
    if (a < 0) a = std::max(0.0, len + a);
    if (b < 0) b = std::max(0.0, len + b);
    if (left_ok && right_ok && a > b) a = b;
    if (!left_ok || !right_ok || a != std::trunc(a) || b != std::trunc(b))
        interpreter_error("cannot perform interval access with non-integers");
    a = std::min(a, len);
    b = std::min(b, len);
    return {static_cast<size_t>(a), static_cast<size_t>(std::max(a, b))};
}

size_t index_of(const Value& left, size_t length) {
    if (!left.is(Type::number) || left.as_number() != std::trunc(left.as_number()))
        interpreter_error("should only use integers to access arrays or strings");
    double i = left.as_number();
    if (i < 0) i = std::max(0.0, static_cast<double>(length) + i);
    if (i >= static_cast<double>(length)) interpreter_error("index out of bounds");
    return static_cast<size_t>(i);
}
} // namespace

Value Evaluator::eval_access(const Expr& e, const Scope& scope) {
    const Value target = eval(*e.a, scope);
    const Value left = e.b ? eval(*e.b, scope) : Value::absent();
    const Value right = e.c ? eval(*e.c, scope) : Value::absent();
    const bool interval = e.op == Op::slice;
    if (target.is(Type::array)) {
        if (!interval) return target.item(index_of(left, target.size()));
        Bounds bounds = slice_bounds(left, right, target.size());
        ArrayBuilder out(m_arena);
        out.reserve(bounds.end - bounds.begin);
        step((bounds.end - bounds.begin) / 16);
        for (size_t i = bounds.begin; i < bounds.end; ++i) out.push(target.item(i));
        return out.finish();
    }
    if (target.is(Type::string)) {
        std::string_view s = target.as_string();
        const bool ascii = is_ascii(s);
        step(s.size() / 64);
        const size_t length = ascii ? s.size() : code_points(s);
        auto offset = [&](size_t cp) { return ascii ? cp : code_point_offset(s, cp); };
        if (!interval) {
            size_t i = index_of(left, length);
            size_t begin = offset(i);
            return Value::view(s.substr(begin, offset(i + 1) - begin));
        }
        Bounds bounds = slice_bounds(left, right, length);
        size_t begin = offset(bounds.begin);
        return Value::view(s.substr(begin, offset(bounds.end) - begin));
    }
    if (!target.is(Type::object)) interpreter_error("infix: \"[..]\" expects object, array, or string");
    if (!left.is(Type::string)) interpreter_error("object keys must be strings");
    Value out;
    step(target.size() / 16);
    return target.find(left.as_string(), out) ? out : Value::null();
}

Value Evaluator::eval_call(const Expr& e, const Scope& scope) {
    const Value callee = eval(*e.a, scope);
    if (!callee.is(Type::function)) {
        std::string shown;
        if (!append_interpolated(shown, callee)) shown = std::string(type_name(callee));
        if (callee.is(Type::null)) shown = "null";
        interpreter_error(shown + " is not callable");
    }
    std::array<Value, 8> small;
    std::vector<Value> large;
    std::span<Value> args;
    if (e.items.size() <= small.size()) {
        args = std::span<Value>(small.data(), e.items.size());
    } else {
        large.resize(e.items.size());
        args = large;
    }
    for (size_t i = 0; i < e.items.size(); ++i) args[i] = eval(*e.items[i], scope);
    return call_builtin(callee.as_function(), args, scope);
}

bool Evaluator::find_name(std::string_view name, const Scope& scope, Value& out) {
    for (const Scope* s = &scope; s; s = s->parent)
        if (s->vars.find(name, out)) return true;
    return false;
}

Value Evaluator::lookup(const Expr& identifier, const Scope& scope) {
    Value out;
    uint32_t slot = identifier.hint.load(std::memory_order_relaxed);
    const uint32_t guess = slot;
    for (const Scope* s = &scope; s; s = s->parent) {
        if (s->vars.find(identifier.text, out, slot)) {
            if (slot != guess) identifier.hint.store(slot, std::memory_order_relaxed);
            return out;
        }
    }
    if (identifier.builtin >= 0) return Value::function(static_cast<Builtin>(identifier.builtin));
    if (identifier.text == "now") return default_now();
    unknown_name(identifier.text, scope);
}

void Evaluator::unknown_name(std::string_view name, const Scope& scope) {
    std::set<std::string> seen;
    std::vector<std::string> defined;
    for (const Scope* s = &scope; s; s = s->parent)
        s->vars.for_each_entry([&](std::string_view key, const Value&) {
            if (seen.emplace(key).second) defined.emplace_back(key);
        });
    std::vector<std::string> candidates = defined;
    for (int i = 0; i < static_cast<int>(Builtin::count_); ++i)
        candidates.emplace_back(builtin_name(static_cast<Builtin>(i)));
    std::string hint = suggest(name, candidates, "");
    if (hint.empty()) {
        std::sort(defined.begin(), defined.end());
        hint = defined.empty() ? "the context defines no names" : "defined names: " + name_list(defined);
    }
    interpreter_error("unknown context value '" + std::string(name) + "'", hint);
}

} // namespace mlserve::tmpl
