#pragma once
// JSON-e templates: compiled once (expressions parsed to ASTs), evaluated many times against contexts.
// Namespace `tmpl` because `template` is a C++ keyword.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/json.hpp"

namespace mlserve::tmpl {

/// The current time, injected so that $fromNow is deterministic in tests and golden files.
using Clock = std::function<std::chrono::system_clock::time_point()>;

/// Finds where the node at an RFC 6901 pointer stands in a template's source, for a document compiled without
/// its positions; asked only when a message needs the position.
using Locator = std::function<core::Mark(std::string_view pointer)>;

struct EvalOptions {
    Clock now; ///< empty: the system clock
};

class CompiledTemplate {
public:
    CompiledTemplate();
    ~CompiledTemplate();
    CompiledTemplate(CompiledTemplate&&) noexcept;
    CompiledTemplate& operator=(CompiledTemplate&&) noexcept;

    struct Impl;
    const Impl& impl() const { return *m_impl; }

private:
    friend core::Result<CompiledTemplate> compile_template(const core::Document&);
    friend core::Result<CompiledTemplate> compile_template_lazily(core::Document, Locator);
    std::unique_ptr<Impl> m_impl;
};

/// Parses every `${}` and `$eval`-style expression of `doc` into an AST. Errors (exit 2) name the template
/// file, line and column and the JSON path of the node, e.g.
/// `inferenceservice.yaml:14:9: spec.predictor.minReplicas: unknown operator '$iff'` + hint "did you mean '$if'?".
core::Result<CompiledTemplate> compile_template(const core::Document& doc);

/// Like compile_template, but the branches of every `$if` are compiled when an evaluation first takes them
/// (once, also with evaluations in several threads), so that a template costs only what it uses; the
/// compiled template keeps `doc`. An error in a branch (an unknown operator, a syntax error) is reported,
/// with the same location, only when an evaluation takes that branch: meant for templates known to compile,
/// such as the built-in ones (which a test compiles in full).
/// `locate`, when given, is how messages find positions: `doc` then need not carry any (the built-in templates
/// are unpacked without them, which saves recording a position for every node that no message will show).
core::Result<CompiledTemplate> compile_template_lazily(core::Document doc, Locator locate = {});

/// Evaluates a compiled template against a context (a JSON object). Template errors and invalid-context
/// errors both come back as Error (exit 2) with the source location of the failing node. A template
/// that evaluates to "deleted" (e.g. `$if` with no `else`) returns null.
core::Result<core::Json> evaluate(const CompiledTemplate& compiled, const core::Json& context,
                                  const EvalOptions& options = {});

} // namespace mlserve::tmpl
