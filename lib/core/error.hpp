#pragma once
// Errors are values: every lib/ function that can fail returns Result<T>. Only cli/main.cpp prints them.

#include <cassert>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace mlserve::core {

/// The one exit-code table of the tool (DESIGN.md §6). `exit_code_table()` renders it for --help and README.
enum class ExitCode : int {
    ok = 0,
    failure = 1,      ///< I/O, cluster, Git remote or runtime unreachable or refused, anything unclassified
    usage = 2,        ///< unknown flag, conflicting flags, unreadable or malformed file
    check_failed = 3, ///< validation errors, SLO missed, analysis failed before promote
    timeout = 4,      ///< timed out waiting
    degraded = 5,     ///< rollout degraded, aborted or rolled back
    conflict = 6,     ///< resourceVersion precondition or non-fast-forward push still failing after retries
};

/// The exit-code table as aligned text, one code per line.
std::string exit_code_table();

/// Where in a source file something is. Lines and columns are 1-based; line 0 means "unknown".
struct SourceLocation {
    std::string file;
    int line = 0;
    int column = 0;

    bool known() const { return line > 0; }
    /// "file:line:col", "file" or "" depending on what is known.
    std::string to_string() const;
};

struct Error {
    ExitCode code = ExitCode::failure;
    std::string message;
    std::string hint;              ///< one line telling how to fix it; may be empty
    SourceLocation location;       ///< where in an input file, if known
    std::string path;              ///< field path inside the document, e.g. spec.model.format; may be empty
    std::vector<std::string> details; ///< further lines (one per cause)

    /// "file:line:col: path: message" without the hint, as printed after "error: ".
    std::string headline() const;
};

/// Builds an input error (exit 2) at a location.
Error input_error(std::string message, SourceLocation location = {}, std::string path = {}, std::string hint = {});

/// Either a value or an Error.
template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_v(std::move(value)) {}
    Result(Error error) : m_v(std::move(error)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { assert(ok()); return std::get<0>(m_v); }
    const T& value() const& { assert(ok()); return std::get<0>(m_v); }
    T&& value() && { assert(ok()); return std::get<0>(std::move(m_v)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const& { assert(!ok()); return std::get<1>(m_v); }
    Error&& error() && { assert(!ok()); return std::get<1>(std::move(m_v)); }

private:
    std::variant<T, Error> m_v;
};

/// Result of an operation with no value.
template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_failed(true) {}

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const Error& error() const& { assert(m_failed); return m_error; }
    Error&& error() && { assert(m_failed); return std::move(m_error); }

private:
    Error m_error;
    bool m_failed = false;
};

} // namespace mlserve::core

/// Returns the error of a failed Result expression from the enclosing function.
#define MLSERVE_TRY(expr)                                                                                              \
    do {                                                                                                               \
        auto&& mlserve_try_result_ = (expr);                                                                           \
        if (!mlserve_try_result_.ok()) return std::move(mlserve_try_result_).error();                                  \
    } while (false)
