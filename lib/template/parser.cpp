#include "template/parser.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <string>

namespace mlserve::tmpl {

int find_builtin(std::string_view name) {
    // Every identifier of every expression is looked up here, and most are context names: keep the names at
    // hand so that a name of another length is ruled out without a call or a comparison of characters.
    static const auto k_names = [] {
        std::array<std::string_view, static_cast<size_t>(Builtin::count_)> names;
        for (size_t i = 0; i < names.size(); ++i) names[i] = builtin_name(static_cast<Builtin>(i));
        return names;
    }();
    for (size_t i = 0; i < k_names.size(); ++i)
        if (k_names[i] == name) return static_cast<int>(i);
    return -1;
}

Parser::Parser(std::string_view source, size_t offset, std::vector<std::unique_ptr<Expr>>& pool)
    : m_lexer(source, offset), m_pool(pool) {
    advance();
}

const Expr* Parser::parse_all() {
    const Expr* root = expression(0);
    if (m_token.kind != Tok::end) trailing();
    return root;
}

const Expr* Parser::parse_interpolation(size_t& end) {
    const Expr* root = expression(0);
    if (m_token.kind == Tok::end)
        fail(FailureKind::syntax, "unterminated ${..} expression", "close the expression with '}'");
    if (m_token.kind != Tok::rbrace) trailing();
    end = m_token.end;
    return root;
}

void Parser::enter() {
    if (++m_nesting > k_max_expression_depth)
        fail(FailureKind::syntax, "expression nested deeper than " + std::to_string(k_max_expression_depth) + " levels",
             "split the expression with $let");
}

Expr* Parser::make(Expr::Op op, const Expr* a, const Expr* b, const Expr* c) {
    auto node = std::make_unique<Expr>();
    node->op = op;
    node->a = a;
    node->b = b;
    node->c = c;
    int below = 0;
    for (const Expr* child : {a, b, c})
        if (child) below = std::max(below, child->height);
    node->height = below + 1;
    if (node->height > k_max_expression_depth)
        fail(FailureKind::syntax, "expression nested deeper than " + std::to_string(k_max_expression_depth) + " levels",
             "split the expression with $let");
    m_pool.push_back(std::move(node));
    return m_pool.back().get();
}

void Parser::unexpected(std::initializer_list<Tok> expected) {
    if (m_token.kind == Tok::end) fail(FailureKind::syntax, "Unexpected end of input");
    std::vector<std::string_view> names;
    for (Tok t : expected) names.push_back(token_name(t));
    std::sort(names.begin(), names.end());
    std::string list;
    for (auto name : names) list += (list.empty() ? "" : ", ") + std::string(name);
    fail(FailureKind::syntax, "Found: " + std::string(m_token.text) + " token, expected one of: " + list);
}

void Parser::expected_unit() {
    unexpected({Tok::not_, Tok::lparen, Tok::plus, Tok::minus, Tok::lbracket, Tok::false_, Tok::identifier, Tok::null,
                Tok::number, Tok::string, Tok::true_, Tok::lbrace});
}

void Parser::trailing() {
    unexpected({Tok::ne, Tok::and_, Tok::lparen, Tok::star, Tok::pow, Tok::plus, Tok::minus, Tok::dot, Tok::slash,
                Tok::lt, Tok::le, Tok::eq, Tok::gt, Tok::ge, Tok::lbracket, Tok::in, Tok::or_});
}

void Parser::take(Tok kind) {
    if (m_token.kind != kind) unexpected({kind});
    advance();
}

namespace {
using Op = Expr::Op;

bool binary_at(int level, Tok t, Op& op) {
    switch (level) {
    case 0: if (t == Tok::or_) return op = Op::or_, true; break;
    case 1: if (t == Tok::and_) return op = Op::and_, true; break;
    case 2: if (t == Tok::in) return op = Op::in, true; break;
    case 3:
        if (t == Tok::eq) return op = Op::eq, true;
        if (t == Tok::ne) return op = Op::ne, true;
        break;
    case 4:
        if (t == Tok::lt) return op = Op::lt, true;
        if (t == Tok::gt) return op = Op::gt, true;
        if (t == Tok::le) return op = Op::le, true;
        if (t == Tok::ge) return op = Op::ge, true;
        break;
    case 5:
        if (t == Tok::plus) return op = Op::add, true;
        if (t == Tok::minus) return op = Op::sub, true;
        break;
    case 6:
        if (t == Tok::star) return op = Op::mul, true;
        if (t == Tok::slash) return op = Op::div, true;
        break;
    default: break;
    }
    return false;
}
} // namespace

const Expr* Parser::expression(int level) {
    if (level == 7) {
        const Expr* base = postfix();
        if (m_token.kind != Tok::pow) return base;
        advance();
        enter();
        const Expr* exponent = expression(7); // right-associative: 2 ** 3 ** 2 == 2 ** 9
        leave();
        return make(Op::pow, base, exponent);
    }
    if (level == 0) enter();
    const Expr* node = expression(level + 1);
    Op op;
    while (binary_at(level, m_token.kind, op)) {
        advance();
        node = make(op, node, expression(level + 1));
    }
    if (level == 0) leave();
    return node;
}

const Expr* Parser::postfix() {
    const Expr* node = unit();
    while (true) {
        if (m_token.kind == Tok::lbracket) {
            node = brackets(node);
        } else if (m_token.kind == Tok::dot) {
            advance();
            if (m_token.kind != Tok::identifier) unexpected({Tok::identifier});
            Expr* dot = make(Op::dot, node);
            dot->text = std::string(m_token.text);
            advance();
            node = dot;
        } else if (m_token.kind == Tok::lparen) {
            node = call(node);
        } else {
            return node;
        }
    }
}

const Expr* Parser::unit() {
    const Token t = m_token;
    switch (t.kind) {
    case Tok::minus:
    case Tok::plus:
    case Tok::not_: {
        advance();
        enter();
        const Expr* operand = unit();
        leave();
        return make(t.kind == Tok::minus ? Op::negate : t.kind == Tok::plus ? Op::plus : Op::not_, operand);
    }
    case Tok::number: {
        double n = 0;
        std::from_chars(t.text.data(), t.text.data() + t.text.size(), n);
        advance();
        Expr* e = make(Op::literal);
        e->value = Value::number(n);
        return e;
    }
    case Tok::string: {
        advance();
        Expr* e = make(Op::literal);
        e->text = std::string(t.text.substr(1, t.text.size() - 2));
        e->value = Value::view(e->text);
        return e;
    }
    case Tok::true_:
    case Tok::false_:
    case Tok::null: {
        advance();
        Expr* e = make(Op::literal);
        if (t.kind != Tok::null) e->value = Value::boolean(t.kind == Tok::true_);
        return e;
    }
    case Tok::identifier: {
        advance();
        Expr* e = make(Op::identifier);
        e->text = std::string(t.text);
        e->builtin = find_builtin(e->text);
        return e;
    }
    case Tok::lparen: {
        advance();
        const Expr* inner = expression(0);
        take(Tok::rparen);
        return inner;
    }
    case Tok::lbracket: return list();
    case Tok::lbrace: return object();
    default: expected_unit();
    }
}

const Expr* Parser::brackets(const Expr* target) {
    advance(); // [
    if (m_token.kind == Tok::rbracket) expected_unit();
    const Expr* left = nullptr;
    const Expr* right = nullptr;
    if (m_token.kind != Tok::colon) left = expression(0);
    if (m_token.kind != Tok::colon) {
        take(Tok::rbracket);
        return make(Op::index, target, left);
    }
    advance(); // :
    if (m_token.kind != Tok::rbracket) right = expression(0);
    take(Tok::rbracket);
    return make(Op::slice, target, left, right);
}

namespace {
void add_item(Expr* node, const Expr* item) {
    node->items.push_back(item);
    node->height = std::max(node->height, item->height + 1);
    if (node->height > k_max_expression_depth)
        fail(FailureKind::syntax, "expression nested deeper than " + std::to_string(k_max_expression_depth) + " levels",
             "split the expression with $let");
}
} // namespace

const Expr* Parser::call(const Expr* callee) {
    advance(); // (
    std::vector<const Expr*> args;
    if (m_token.kind != Tok::rparen) {
        args.push_back(expression(0));
        while (m_token.kind == Tok::comma) {
            advance();
            args.push_back(expression(0));
        }
    }
    take(Tok::rparen);
    Expr* node = make(Op::call, callee);
    for (const Expr* arg : args) add_item(node, arg);
    return node;
}

const Expr* Parser::list() {
    advance(); // [
    std::vector<const Expr*> items;
    if (m_token.kind != Tok::rbracket) {
        items.push_back(expression(0));
        while (m_token.kind == Tok::comma) {
            advance();
            items.push_back(expression(0));
        }
    }
    take(Tok::rbracket);
    Expr* node = make(Op::list);
    for (const Expr* item : items) add_item(node, item);
    return node;
}

const Expr* Parser::object() {
    advance(); // {
    Expr* node = make(Op::object);
    while (m_token.kind == Tok::string || m_token.kind == Tok::identifier) {
        std::string key(m_token.kind == Tok::string ? m_token.text.substr(1, m_token.text.size() - 2) : m_token.text);
        advance();
        take(Tok::colon);
        node->keys.push_back(std::move(key));
        add_item(node, expression(0));
        if (m_token.kind == Tok::rbrace) break;
        take(Tok::comma);
    }
    take(Tok::rbrace);
    return node;
}

} // namespace mlserve::tmpl
