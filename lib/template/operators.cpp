// JSON-e's operators at evaluation time: the checks that depend on what operands evaluate to, and the
// operators themselves. Loop variables live in a Scope on the C++ stack, shadowing the outer names.

#include <algorithm>
#include <numeric>

#include "template/evaluator.hpp"
#include "template/strings.hpp"

namespace mlserve::tmpl {

using Kind = TNode::Kind;

struct Operators {
    Evaluator& ev;
    const TNode& node;
    const Scope& scope;

    Value child(size_t i, const Scope& s) { return ev.render(*node.children[i], s); }
    Value child(size_t i) { return child(i, scope); }
    Arena& arena() { return ev.arena(); }

    Value array_operand(const char* message) {
        Value v = child(0);
        if (!v.is(Type::array)) template_error(message);
        return v;
    }

    Value if_() {
        if (truthy(ev.eval(node.expression, scope))) return node.has_then ? child(0) : Value::absent();
        return node.has_else ? child(1) : Value::absent();
    }

    Value json() {
        Value v = child(0);
        if (v.is(Type::absent)) return Value::view("{}"); // json-e's delete marker is an empty object
        return arena().string(stable_stringify(v));
    }

    Value flatten() {
        Value v = array_operand("$flatten value must evaluate to an array");
        ArrayBuilder out(arena());
        for (size_t i = 0; i < v.size(); ++i) {
            Value item = v.item(i);
            if (!item.is(Type::array)) {
                out.push(item);
                continue;
            }
            ev.step(item.size() / 16);
            for (size_t k = 0; k < item.size(); ++k) out.push(item.item(k));
        }
        return out.finish();
    }

    void flatten_deep(const Value& v, ArrayBuilder& out, int depth) {
        if (depth > k_max_value_depth)
            template_error("a value is nested deeper than " + std::to_string(k_max_value_depth) + " levels");
        for (size_t i = 0; i < v.size(); ++i) {
            ev.step();
            Value item = v.item(i);
            if (item.is(Type::array)) flatten_deep(item, out, depth + 1);
            else out.push(item);
        }
    }

    Value from_now() {
        Value offset = child(0);
        std::optional<std::string_view> reference;
        if (node.has_from) {
            Value from = child(1);
            if (!from.is(Type::string)) template_error("$fromNow's from must evaluate to a date string");
            reference = from.as_string();
        }
        if (!offset.is(Type::string)) template_error("$fromNow expects a string");
        return ev.from_now(offset.as_string(), reference, scope);
    }

    Value let() {
        Value vars = child(0);
        if (vars.is(Type::absent)) vars = Value::object(nullptr, 0);
        if (!vars.is(Type::object)) template_error("$let value must be an object");
        vars.for_each_entry([](std::string_view key, const Value&) {
            if (!is_identifier(key))
                template_error("top level keys of $let must follow /[a-zA-Z_][a-zA-Z0-9_]*/",
                               "'" + std::string(key) + "' is not an identifier");
        });
        const Scope inner{&scope, vars};
        return child(1, inner);
    }

    Value map() {
        Value v = child(0);
        if (v.is(Type::array)) {
            ArrayBuilder out(arena());
            out.reserve(v.size());
            for (size_t i = 0; i < v.size(); ++i) {
                ev.step();
                const Entry vars[2] = {{node.var1, v.item(i)}, {node.var2, Value::number(static_cast<double>(i))}};
                const Scope inner{&scope, Value::object(vars, node.var2.empty() ? 1 : 2)};
                Value r = child(1, inner);
                if (!r.is(Type::absent)) out.push(r);
            }
            return out.finish();
        }
        if (!v.is(Type::object)) template_error("$map value must evaluate to an array or object");
        ObjectBuilder out(arena());
        v.for_each_entry([&](std::string_view key, const Value& val) {
            ev.step();
            Entry vars[2];
            if (node.var2.empty()) {
                Entry* pair = arena().entries(2);
                pair[0] = {"key", Value::view(key)};
                pair[1] = {"val", val};
                vars[0] = {node.var1, Value::object(pair, 2)};
            } else {
                vars[0] = {node.var1, val};
                vars[1] = {node.var2, Value::view(key)};
            }
            const Scope inner{&scope, Value::object(vars, node.var2.empty() ? 1 : 2)};
            Value r = child(1, inner);
            if (r.is(Type::absent)) return;
            if (!r.is(Type::object))
                template_error("$map on objects expects each(" + node.var1 + ") to evaluate to an object");
            r.for_each_entry([&](std::string_view k, const Value& item) { out.set(k, item); });
        });
        return out.finish();
    }

    Value reduce() {
        Value v = array_operand("$reduce value must evaluate to an array");
        Value acc = node.literal_value;
        for (size_t i = 0; i < v.size(); ++i) {
            ev.step();
            const Entry vars[3] = {{node.var1, acc}, {node.var2, v.item(i)}, {node.var3, Value::number(static_cast<double>(i))}};
            const Scope inner{&scope, Value::object(vars, node.var3.empty() ? 2 : 3)};
            Value r = child(1, inner);
            if (!r.is(Type::absent)) acc = r;
        }
        return acc;
    }

    Value find() {
        Value v = array_operand("$find value must evaluate to an array");
        for (size_t i = 0; i < v.size(); ++i) {
            const Entry vars[2] = {{node.var1, v.item(i)}, {node.var2, Value::number(static_cast<double>(i))}};
            const Scope inner{&scope, Value::object(vars, node.var2.empty() ? 1 : 2)};
            if (truthy(ev.eval(node.expression, inner))) return v.item(i);
        }
        return Value::absent();
    }

    Value match() {
        ArrayBuilder out(arena());
        for (size_t i = 0; i < node.conditions.size(); ++i) {
            if (!truthy(ev.eval(node.conditions[i], scope))) continue;
            Value r = child(i);
            if (!r.is(Type::absent)) out.push(r);
        }
        return out.finish();
    }

    Value switch_() {
        size_t matched = node.conditions.size();
        for (size_t i = 0; i < node.conditions.size(); ++i) {
            if (!truthy(ev.eval(node.conditions[i], scope))) continue;
            if (matched != node.conditions.size())
                template_error("$switch can only have one truthy condition",
                               "'" + node.conditions[matched].source + "' and '" + node.conditions[i].source +
                                   "' are both true");
            matched = i;
        }
        if (matched != node.conditions.size()) return child(matched);
        return node.has_default ? child(node.conditions.size()) : Value::absent();
    }

    Value objects_operand(const std::string& op) {
        Value v = child(0);
        bool ok = v.is(Type::array);
        for (size_t i = 0; ok && i < v.size(); ++i) ok = v.item(i).is(Type::object);
        if (!ok) template_error(op + " value must evaluate to an array of objects");
        return v;
    }

    Value merge() {
        Value v = objects_operand("$merge");
        if (v.size() == 1) return v.item(0);
        ObjectBuilder out(arena());
        for (size_t i = 0; i < v.size(); ++i)
            v.item(i).for_each_entry([&](std::string_view k, const Value& item) {
                ev.step();
                out.set(k, item);
            });
        return out.finish();
    }

    Value merge_deep(const Value& l, const Value& r, int depth) {
        if (depth > k_max_value_depth)
            template_error("a value is nested deeper than " + std::to_string(k_max_value_depth) + " levels");
        ev.step();
        if (l.is(Type::array) && r.is(Type::array)) {
            ArrayBuilder out(arena());
            out.reserve(l.size() + r.size());
            for (size_t i = 0; i < l.size(); ++i) out.push(l.item(i));
            for (size_t i = 0; i < r.size(); ++i) out.push(r.item(i));
            return out.finish();
        }
        if (!l.is(Type::object) || !r.is(Type::object)) return r;
        ObjectBuilder out(arena());
        out.reserve(l.size() + r.size());
        l.for_each_entry([&](std::string_view k, const Value& item) { out.append(k, item); });
        r.for_each_entry([&](std::string_view k, const Value& item) {
            Value existing;
            out.set(k, l.find(k, existing) ? merge_deep(existing, item, depth + 1) : item);
        });
        return out.finish();
    }

    Value merge_deep() {
        Value v = objects_operand("$mergeDeep");
        if (v.size() == 0) return Value::object(nullptr, 0);
        Value acc = v.item(0);
        for (size_t i = 1; i < v.size(); ++i) acc = merge_deep(acc, v.item(i), 0);
        return acc;
    }

    Value reverse() {
        Value v = array_operand("$reverse value must evaluate to an array of objects");
        ArrayBuilder out(arena());
        out.reserve(v.size());
        for (size_t i = v.size(); i-- > 0;) out.push(v.item(i));
        return out.finish();
    }

    Value sort() {
        static const char* k_message = "$sorted values to be sorted must have the same type";
        Value v = child(0);
        if (!v.is(Type::array)) template_error(k_message);
        std::vector<Value> keys(v.size());
        for (size_t i = 0; i < v.size(); ++i) {
            ev.step();
            if (node.var1.empty()) {
                keys[i] = v.item(i);
                if (keys[i].is(Type::array) || keys[i].is(Type::object)) template_error(k_message);
                continue;
            }
            const Entry vars[1] = {{node.var1, v.item(i)}};
            keys[i] = ev.eval(node.expression, Scope{&scope, Value::object(vars, 1)});
        }
        if (!keys.empty()) {
            const Type type = keys[0].type();
            if (type != Type::number && type != Type::string) template_error(k_message);
            for (const Value& key : keys)
                if (key.type() != type) template_error(k_message);
        }
        std::vector<size_t> order(keys.size());
        std::iota(order.begin(), order.end(), size_t{0});
        ev.step(keys.size() * 4);
        std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
            if (keys[a].is(Type::number)) return keys[a].as_number() < keys[b].as_number();
            return keys[a].as_string() < keys[b].as_string();
        });
        ArrayBuilder out(arena());
        out.reserve(order.size());
        for (size_t i : order) out.push(v.item(i));
        return out.finish();
    }
};

Value Evaluator::render_operator(const TNode& node, const Scope& scope) {
    Operators op{*this, node, scope};
    switch (node.kind) {
    case Kind::eval: return eval(node.expression, scope);
    case Kind::if_: return op.if_();
    case Kind::json: return op.json();
    case Kind::flatten: return op.flatten();
    case Kind::flatten_deep: {
        Value v = op.array_operand("$flattenDeep value must evaluate to an array");
        ArrayBuilder out(m_arena);
        op.flatten_deep(v, out, 0);
        return out.finish();
    }
    case Kind::from_now: return op.from_now();
    case Kind::let: return op.let();
    case Kind::map: return op.map();
    case Kind::reduce: return op.reduce();
    case Kind::find: return op.find();
    case Kind::match: return op.match();
    case Kind::switch_: return op.switch_();
    case Kind::merge: return op.merge();
    case Kind::merge_deep: return op.merge_deep();
    case Kind::reverse: return op.reverse();
    case Kind::sort: return op.sort();
    default: template_error("unknown template node");
    }
}

} // namespace mlserve::tmpl
