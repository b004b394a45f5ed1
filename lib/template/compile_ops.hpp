#pragma once
// The template compiler, shared by compile.cpp (values, strings, objects) and compile_ops.cpp (operators).

#include <memory>
#include <string>
#include <vector>

#include "template/ast.hpp"

namespace mlserve::tmpl {

class Compiler {
public:
    /// `lazy`: `$if` branches become deferred nodes, compiled on first use (compile_template_lazily).
    /// `marks_on_demand`: `doc` has no positions; sites keep their pointers for a Locator instead.
    Compiler(const core::Document& doc, CompiledTemplate::Impl& impl, bool lazy = false, bool marks_on_demand = false)
        : m_doc(doc), m_impl(impl), m_lazy(lazy), m_marks_on_demand(marks_on_demand) {}

    /// Compiles the template value at `pointer` (RFC 6901, for positions) known as `path` in messages.
    std::unique_ptr<TNode> compile(const Json& value, const std::string& pointer, const std::string& path, int depth);

private:
    std::unique_ptr<TNode> compile_operator(const std::string& op, const Json& value, const std::string& pointer,
                                            const std::string& path, int depth);
    std::unique_ptr<TNode> literal(Json value, Site where);
    /// compile(), or in a lazy compile a deferred node that will compile the same value on first use.
    std::unique_ptr<TNode> branch(const Json& value, const std::string& pointer, const std::string& path, int depth);
    /// Where the node at `pointer` stands: its mark, or with marks_on_demand its pointer.
    Site site_of(const std::string& pointer, const std::string& path) const;
    /// A Site owned by the compiled template, for expressions and failures.
    const Site* site(const std::string& pointer, const std::string& path);
    Expression expression(const std::string& source, const Site* where);
    std::vector<Part> parts(const std::string& text, const Site* where);

    const core::Document& m_doc;
    CompiledTemplate::Impl& m_impl;
    bool m_lazy;
    bool m_marks_on_demand;
};

} // namespace mlserve::tmpl
