#include "core/error.hpp"

namespace mlserve::core {

std::string exit_code_table() {
    return "  0  success\n"
           "  1  failure: I/O, cluster, Git remote or runtime unreachable or refused, anything unclassified\n"
           "  2  usage or input error: unknown flag, conflicting flags, unreadable or malformed file\n"
           "  3  a check failed: validation errors, SLO missed in a smoke test, analysis failed before promote\n"
           "  4  timed out waiting\n"
           "  5  rollout degraded, aborted or rolled back\n"
           "  6  conflict: resourceVersion precondition or non-fast-forward push still failing after retries\n";
}

std::string SourceLocation::to_string() const {
    if (file.empty() && line == 0) return {};
    std::string out = file.empty() ? std::string("<input>") : file;
    if (line > 0) {
        out += ':' + std::to_string(line);
        if (column > 0) out += ':' + std::to_string(column);
    }
    return out;
}

std::string Error::headline() const {
    std::string out;
    if (auto where = location.to_string(); !where.empty()) out += where + ": ";
    if (!path.empty()) out += path + ": ";
    out += message;
    return out;
}

Error input_error(std::string message, SourceLocation location, std::string path, std::string hint) {
    return Error{ExitCode::usage, std::move(message), std::move(hint), std::move(location), std::move(path), {}};
}

} // namespace mlserve::core
