// Rendering template nodes (values, strings, arrays, objects), and the public evaluate().

#include <cmath>

#include "core/text.hpp"
#include "template/evaluator.hpp"
#include "template/strings.hpp"

namespace mlserve::tmpl {

core::Error to_error(const Failure& failure, const std::string& file, const Locator* locate) {
    core::SourceLocation location{file, 0, 0};
    std::string path;
    if (failure.site) {
        core::Mark mark = failure.site->mark;
        if (mark.line == 0 && locate && *locate) mark = (*locate)(failure.site->pointer);
        location.line = mark.line;
        location.column = mark.column;
        path = failure.site->path;
    } else if (!failure.result_path.empty()) {
        path = failure.result_path;
    }
    return core::input_error(failure.message, location, path, failure.hint);
}

bool append_interpolated(std::string& out, const Value& v) {
    switch (v.type()) {
    case Type::string: out += v.as_string(); return true;
    case Type::number: append_js_number(out, v.as_number()); return true;
    case Type::boolean: out += v.as_bool() ? "true" : "false"; return true;
    case Type::null: return true;
    default: return false;
    }
}

void Evaluator::over_budget() {
    template_error("evaluation takes more than " + std::to_string(k_max_steps) + " steps",
                   "a loop runs too long; reduce the sizes $map, $reduce or range() work on");
}

Value Evaluator::render(const TNode& node, const Scope& scope) {
    if (node.kind == TNode::Kind::deferred) return render(compile_deferred(node), scope);
    step();
    try {
        switch (node.kind) {
        case TNode::Kind::literal: return node.literal_value;
        case TNode::Kind::interpolate: return interpolate(node.parts, scope);
        case TNode::Kind::array: return render_array(node, scope);
        case TNode::Kind::object: return render_object(node, scope);
        default: return render_operator(node, scope);
        }
    } catch (Failure& f) {
        if (!f.site) f.site = &node.site;
        throw;
    }
}

Value Evaluator::interpolate(const std::vector<Part>& parts, const Scope& scope) {
    auto refuse = [](const Part& part, const Value& v) {
        const bool function = v.is(Type::function);
        throw Failure{FailureKind::template_,
                      "interpolation of '" + part.expression.source + "' produced " +
                          (function ? "a function" : "an array or object"),
                      function ? "call the function" : "interpolate a single value, or use $json", part.expression.site};
    };
    if (parts.size() == 1 && parts[0].expression.root) {
        // "${name}": a string result is used as it is, without copying.
        const Value v = eval(parts[0].expression, scope);
        if (v.is(Type::string)) return v;
        std::string out;
        if (!append_interpolated(out, v)) refuse(parts[0], v);
        return m_arena.string(out);
    }
    std::string out;
    for (const Part& part : parts) {
        if (part.expression.root) {
            const Value v = eval(part.expression, scope);
            if (!append_interpolated(out, v)) refuse(part, v);
        } else {
            out += part.text;
        }
        check_string_length(out.size());
    }
    step(out.size() / 64);
    return m_arena.string(out);
}

Value Evaluator::render_array(const TNode& node, const Scope& scope) {
    ArrayBuilder out(m_arena);
    out.reserve(node.children.size());
    for (const auto& child : node.children) {
        Value v = render(*child, scope);
        if (!v.is(Type::absent)) out.push(v);
    }
    return out.finish();
}

Value Evaluator::render_object(const TNode& node, const Scope& scope) {
    ObjectBuilder out(m_arena);
    out.reserve(node.children.size());
    for (size_t i = 0; i < node.children.size(); ++i) {
        const TNode& child = *node.children[i];
        Value v = render(child, scope);
        if (v.is(Type::absent)) continue;
        if (node.keys_distinct) {
            out.append(node.keys[i], v);
            continue;
        }
        std::string_view key = node.keys[i];
        if (!node.key_parts[i].empty()) {
            try {
                key = interpolate(node.key_parts[i], scope).as_string();
            } catch (Failure& f) {
                if (!f.site) f.site = &child.site;
                throw;
            }
        }
        out.set(key, v);
    }
    return out.finish();
}

namespace {

// Context names must be identifiers. Nesting and text are checked where values leave the engine
// (to_json), so a context costs nothing beyond what a template reads of it.
void check_context(const Json& context) {
    if (!context.is_object())
        template_error("context must be an object", "the context is " + std::string(context.type_name()));
    for (const auto& [key, item] : context.get_ref<const Json::object_t&>())
        if (!is_identifier(key))
            template_error("top level keys of context must follow /[a-zA-Z_][a-zA-Z0-9_]*/",
                           "context key '" + key + "' is not an identifier");
}

} // namespace

core::Result<core::Json> evaluate(const CompiledTemplate& compiled, const core::Json& context,
                                  const EvalOptions& options) {
    const auto& impl = compiled.impl();
    try {
        check_context(context);
        Arena arena(k_max_arena_bytes);
        Evaluator evaluator(options, arena);
        const Scope root{nullptr, Value::borrow(context)};
        const Value result = evaluator.render(*impl.root, root);
        if (result.is(Type::absent)) return core::Json(nullptr);
        return to_json(result);
    } catch (const Failure& f) {
        return to_error(f, impl.file, &impl.locate);
    } catch (const std::bad_alloc&) {
        return core::Error{core::ExitCode::failure, "out of memory while evaluating the template", {},
                           core::SourceLocation{impl.file, 0, 0}, {}, {}};
    }
}

} // namespace mlserve::tmpl
