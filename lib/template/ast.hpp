#pragma once
// The compiled form of a template: a tree of template nodes whose expressions are parsed syntax trees.
// Built once by compile_template, read (never written) by any number of evaluations.

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/once.hpp"
#include "template/failure.hpp"
#include "template/template.hpp"
#include "template/value.hpp"

namespace mlserve::tmpl {

/// One node of an expression's syntax tree.
struct Expr {
    enum class Op : uint8_t {
        literal,    // value
        identifier, // text (builtin: the built-in of that name, if any)
        negate, plus, not_,
        add, sub, mul, div, pow, lt, gt, le, ge, eq, ne, and_, or_, in,
        dot,        // a.text
        index,      // a[b]
        slice,      // a[b:c] (b or c may be absent)
        call,       // a(items...)
        list,       // [items...]
        object      // {keys[i]: items[i]...}
    };
    Op op = Op::literal;
    Value value;
    std::string text;
    int builtin = -1;
    int height = 1; ///< of the subtree; bounded so that evaluating it cannot exhaust the stack
    /// identifier, dot: where the name was found last time (a guess; evaluations may share it).
    mutable std::atomic<uint32_t> hint{0};
    const Expr* a = nullptr;
    const Expr* b = nullptr;
    const Expr* c = nullptr;
    std::vector<const Expr*> items;
    std::vector<std::string> keys;
};

/// A parsed expression: its root, its source text and where it stands in the template.
struct Expression {
    const Expr* root = nullptr;
    std::string source;
    const Site* site = nullptr;
};

/// A piece of an interpolated string: literal text, or a `${...}` expression.
struct Part {
    std::string text;
    Expression expression; ///< root == nullptr for literal text
};

struct Deferred;

/// One node of the template tree.
struct TNode {
    enum class Kind : uint8_t {
        literal, interpolate, array, object,
        eval, flatten, flatten_deep, from_now, if_, json, let, map, reduce, find, match, switch_, merge, merge_deep,
        sort, reverse,
        deferred // a branch of a lazily compiled template, compiled when first rendered (compile_deferred)
    };
    Kind kind = Kind::literal;
    Site site;
    Json literal;                     ///< literal: the value; reduce: `initial` (not rendered, as in json-e)
    Value literal_value;              ///< literal wrapped once at compile time
    std::vector<Part> parts;          ///< interpolate
    std::vector<std::unique_ptr<TNode>> children; ///< array items, object values, operator operands
    /// object: per child, the key (already unescaped) or its interpolation; operators: unused
    std::vector<std::string> keys;
    std::vector<std::vector<Part>> key_parts;      ///< object: parts of interpolated keys (empty: literal key)
    bool keys_distinct = true;        ///< object: no interpolated keys, so no key can repeat
    Expression expression;            ///< eval, if, find (each), sort (by)
    std::vector<Expression> conditions; ///< match, switch: sorted conditions, parallel to children
    std::string var1, var2, var3;     ///< map/find/sort/reduce variable names
    bool has_then = false, has_else = false, has_default = false, has_from = false;
    std::unique_ptr<Deferred> deferred; ///< deferred: what compiling the branch needs, and its result
};

/// The compiled tree of a deferred node (compiling it on first use, once); throws the Failure that compiling
/// it met, every time it is asked for.
const TNode& compile_deferred(const TNode& node);

} // namespace mlserve::tmpl

struct mlserve::tmpl::CompiledTemplate::Impl {
    std::shared_ptr<const core::Document> source; ///< compile_template_lazily: what deferred branches compile from
    Locator locate; ///< compile_template_lazily: finds the marks that sites left to be looked up (Site::pointer)
    std::unique_ptr<TNode> root;
    std::string file;
    std::vector<std::unique_ptr<Expr>> exprs;  ///< owns every expression node
    std::vector<std::unique_ptr<Site>> sites;  ///< owns the sites of expressions
};

/// A `$if` branch left uncompiled by compile_template_lazily: where it is in the document and, once an
/// evaluation has taken it, its compiled tree (with the expressions and sites it owns) or the failure.
struct mlserve::tmpl::Deferred {
    const core::Document* document = nullptr; ///< kept alive by the template's Impl::source
    const Json* value = nullptr;
    std::string pointer;
    std::string path;
    int depth = 0;
    bool marks_on_demand = false;
    core::Once once;
    std::unique_ptr<CompiledTemplate::Impl> compiled;
    std::optional<Failure> failure;
};
