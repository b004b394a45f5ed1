#pragma once
// The template compiler, shared by compile.cpp (values, strings, objects) and compile_ops.cpp (operators).

#include <memory>
#include <string>
#include <vector>

#include "template/ast.hpp"

namespace mlserve::tmpl {

class Compiler {
public:
    Compiler(const core::Document& doc, CompiledTemplate::Impl& impl) : m_doc(doc), m_impl(impl) {}

    /// Compiles the template value at `pointer` (RFC 6901, for positions) known as `path` in messages.
    std::unique_ptr<TNode> compile(const Json& value, const std::string& pointer, const std::string& path, int depth);

private:
    std::unique_ptr<TNode> compile_operator(const std::string& op, const Json& value, const std::string& pointer,
                                            const std::string& path, int depth);
    std::unique_ptr<TNode> literal(Json value, Site where);
    /// A Site owned by the compiled template, for expressions and failures.
    const Site* site(const std::string& pointer, const std::string& path);
    Expression expression(const std::string& source, const Site* where);
    std::vector<Part> parts(const std::string& text, const Site* where);

    const core::Document& m_doc;
    CompiledTemplate::Impl& m_impl;
};

} // namespace mlserve::tmpl
