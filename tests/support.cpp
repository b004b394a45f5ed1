#include "support.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace mlserve::test {

CommandResult run_cli(const std::string& args, const std::string& stdin_text) {
    TempDir dir;
    std::string in = dir.path() + "/in", out = dir.path() + "/out", err = dir.path() + "/err";
    std::ofstream(in) << stdin_text;
    std::string command = "NO_COLOR=1 '" + binary() + "' " + args + " <'" + in + "' >'" + out + "' 2>'" + err + "'";
    int status = std::system(command.c_str());
    CommandResult result;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.out = slurp(out);
    result.err = slurp(err);
    return result;
}

TempDir::TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "mlserve-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    m_path = pattern;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

std::string slurp(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

} // namespace mlserve::test
