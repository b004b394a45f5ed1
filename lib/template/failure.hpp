#pragma once
// How the engine fails internally: a Failure is thrown where the problem is found and becomes a
// core::Error at the compile_template/evaluate boundary, with the location of the innermost template
// node that was being compiled or evaluated.

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "core/json.hpp"
#include "template/template.hpp"

namespace mlserve::tmpl {

/// Bounds that keep hostile templates and contexts from exhausting the stack, memory or time.
inline constexpr int k_max_value_depth = 256;          ///< nesting of values walked recursively
inline constexpr int k_max_template_depth = 256;       ///< nesting of template nodes
inline constexpr int k_max_expression_depth = 128;     ///< height of one expression's syntax tree
inline constexpr size_t k_max_string_bytes = 8u << 20; ///< any one string built during evaluation
inline constexpr size_t k_max_items = 1'000'000;       ///< any one array built during evaluation
inline constexpr size_t k_max_arena_bytes = 256u << 20; ///< all memory one evaluation may allocate
inline constexpr uint64_t k_max_steps = 50'000'000;    ///< evaluation steps (nodes, iterations, bytes/64)

/// JSON-e's error classes: the syntax of an expression, the template's structure, evaluating an
/// expression, calling a built-in.
enum class FailureKind { syntax, template_, interpreter, builtin };

/// Where in the template a failure happened.
struct Site {
    core::Mark mark;
    std::string path; ///< e.g. spec.predictor["app.kubernetes.io/name"][0]
    /// The node's RFC 6901 pointer, kept instead of `mark` when the template's document came without positions
    /// (compile_template_lazily with a Locator): the mark is looked up only for a message.
    std::string pointer = {};
};

struct Failure {
    Failure(FailureKind k, std::string m, std::string h, const Site* s = nullptr)
        : kind(k), message(std::move(m)), hint(std::move(h)), site(s) {}

    FailureKind kind;
    std::string message;
    std::string hint;
    const Site* site = nullptr;
    std::string result_path; ///< where in the result, for failures found after evaluation (to_json)
};

[[noreturn]] inline void fail(FailureKind kind, std::string message, std::string hint = {}) {
    throw Failure{kind, std::move(message), std::move(hint), nullptr};
}
[[noreturn]] inline void template_error(std::string message, std::string hint = {}) {
    fail(FailureKind::template_, std::move(message), std::move(hint));
}
[[noreturn]] inline void interpreter_error(std::string message, std::string hint = {}) {
    fail(FailureKind::interpreter, std::move(message), std::move(hint));
}

/// The Error a Failure becomes (exit code 2), located in `file`; `locate`, when given, finds the mark of a
/// site that kept only its pointer.
core::Error to_error(const Failure& failure, const std::string& file, const Locator* locate = nullptr);

} // namespace mlserve::tmpl
