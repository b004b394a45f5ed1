#pragma once
// Helpers shared by the tests: where shared/ and the source tree are, and running the built binary.

#include <cstdlib>
#include <string>

namespace mlserve::test {

/// The shared/ folder (schemas, conformance suites, corpus): $MLSERVE_SHARED_DIR or ../shared.
inline std::string shared_dir() {
    if (const char* env = std::getenv("MLSERVE_SHARED_DIR"); env && *env) return env;
    return MLSERVE_DEFAULT_SHARED_DIR;
}

inline std::string source_dir() { return MLSERVE_SOURCE_DIR; }

/// The kubectl-mlserve binary built alongside the tests.
inline std::string binary() { return MLSERVE_BINARY; }

struct CommandResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

/// Runs `kubectl-mlserve ARGS` through /bin/sh, capturing stdout and stderr. `args` is pasted into the
/// shell command as is, so quote what needs quoting.
CommandResult run_cli(const std::string& args, const std::string& stdin_text = {});

/// A fresh empty directory under the system temp dir, removed by the destructor.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
};

/// A real HTTP server (python3 -m http.server) serving `dir` on a free 127.0.0.1 port, stopped by the destructor.
class FileServer {
public:
    explicit FileServer(const std::string& dir);
    ~FileServer();
    FileServer(const FileServer&) = delete;
    FileServer& operator=(const FileServer&) = delete;
    /// "http://127.0.0.1:PORT", or "" when the server did not come up.
    const std::string& url() const { return m_url; }

private:
    int m_pid = -1;
    std::string m_url;
};

/// Writes `text` to `path` (a fixture), creating its folders.
void write_file(const std::string& path, const std::string& text);

/// Reads a whole file (test fixtures); empty if missing.
std::string slurp(const std::string& path);

} // namespace mlserve::test
