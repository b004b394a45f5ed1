#pragma once
// JSON-e's expression grammar (precedence from loosest: || && in ==,!= <,>,<=,>= +,- *,/ ** ; unary
// operators bind to the unit right after them, before property access, as in json-e).

#include <memory>
#include <string_view>
#include <vector>

#include "template/ast.hpp"
#include "template/lexer.hpp"

namespace mlserve::tmpl {

/// Looks up a built-in function by its expression name; -1 if none.
int find_builtin(std::string_view name);

class Parser {
public:
    /// Parses `source` from byte `offset`; nodes go into `pool`, which owns them.
    Parser(std::string_view source, size_t offset, std::vector<std::unique_ptr<Expr>>& pool);

    /// A whole expression (`$eval`, `$if`, ...): anything after it is a syntax failure.
    const Expr* parse_all();
    /// The expression of a `${`: it must be followed by `}`; `end` gets the offset after the `}`.
    const Expr* parse_interpolation(size_t& end);

private:
    const Expr* expression(int level);
    const Expr* postfix();
    const Expr* unit();
    const Expr* brackets(const Expr* target);
    const Expr* call(const Expr* callee);
    const Expr* list();
    const Expr* object();

    Expr* make(Expr::Op op, const Expr* a = nullptr, const Expr* b = nullptr, const Expr* c = nullptr);
    void advance() { m_token = m_lexer.next(); }
    void take(Tok kind);
    [[noreturn]] void unexpected(std::initializer_list<Tok> expected);
    [[noreturn]] void expected_unit();
    [[noreturn]] void trailing();
    void enter();
    void leave() { --m_nesting; }

    Lexer m_lexer;
    Token m_token;
    std::vector<std::unique_ptr<Expr>>& m_pool;
    int m_nesting = 0;
};

} // namespace mlserve::tmpl
