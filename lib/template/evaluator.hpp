#pragma once
// One evaluation of a compiled template: scopes, the arena, the step budget, and the functions that
// render template nodes, evaluate expressions and call built-ins.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "template/ast.hpp"
#include "template/value.hpp"

namespace mlserve::tmpl {

/// Names visible to an expression: `vars` (an object) shadows everything in `parent`. The root scope is
/// the context; below it come the default `now` and the built-ins.
struct Scope {
    const Scope* parent = nullptr;
    Value vars;
};

class Evaluator {
public:
    Evaluator(const EvalOptions& options, Arena& arena) : m_options(options), m_arena(arena) {}

    /// Renders a template node; Type::absent when it deletes itself ($if without a branch).
    Value render(const TNode& node, const Scope& scope);
    /// Evaluates a parsed expression; failures point at its site.
    Value eval(const Expression& expression, const Scope& scope);
    /// Renders a string with `${}` parts.
    Value interpolate(const std::vector<Part>& parts, const Scope& scope);

    Arena& arena() { return m_arena; }
    /// Counts work against the step budget.
    void step(uint64_t n = 1) {
        m_steps += n;
        if (m_steps > k_max_steps) over_budget();
    }

private:
    friend struct Operators;
    Value eval(const Expr& e, const Scope& scope);
    Value eval_binary(const Expr& e, const Scope& scope);
    Value eval_access(const Expr& e, const Scope& scope);
    Value eval_dot(const Expr& e, const Scope& scope);
    Value eval_call(const Expr& e, const Scope& scope);
    Value lookup(const Expr& identifier, const Scope& scope);
    bool find_name(std::string_view name, const Scope& scope, Value& out);
    [[noreturn]] void unknown_name(std::string_view name, const Scope& scope);

    Value call_builtin(Builtin f, std::span<const Value> args, const Scope& scope);
    Value from_now(std::string_view offset, std::optional<std::string_view> reference, const Scope& scope);
    Value default_now();

    Value render_object(const TNode& node, const Scope& scope);
    Value render_array(const TNode& node, const Scope& scope);
    Value render_operator(const TNode& node, const Scope& scope);
    [[noreturn]] void over_budget();

    const EvalOptions& m_options;
    Arena& m_arena;
    uint64_t m_steps = 0;
    std::optional<Value> m_now;
};

/// Appends the interpolation of one value (strings as is, numbers as JavaScript writes them, null as
/// nothing); false for arrays, objects and functions, which cannot be interpolated.
bool append_interpolated(std::string& out, const Value& v);

} // namespace mlserve::tmpl
