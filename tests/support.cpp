#include "support.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

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

FileServer::FileServer(const std::string& dir) {
    // The server writes its port to a file once it listens, so that no port is guessed.
    const std::string port_file = dir + "/.port";
    const std::string script = "import http.server,functools,os,sys\n"
                               "class Quiet(http.server.SimpleHTTPRequestHandler):\n"
                               "    def log_message(self,*a): pass\n"
                               "s=http.server.HTTPServer(('127.0.0.1',0),functools.partial(Quiet,directory=sys.argv[1]))\n"
                               "open(sys.argv[2]+'.tmp','w').write(str(s.server_address[1]))\n"
                               "os.rename(sys.argv[2]+'.tmp',sys.argv[2])\n"
                               "s.serve_forever()\n";
    const pid_t pid = fork();
    if (pid < 0) return;
    if (pid == 0) {
        execlp("python3", "python3", "-c", script.c_str(), dir.c_str(), port_file.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    m_pid = pid;
    std::string port;
    for (int i = 0; i < 400 && port.empty(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
        port = slurp(port_file);
    }
    if (!port.empty()) m_url = "http://127.0.0.1:" + port;
}

FileServer::~FileServer() {
    if (m_pid <= 0) return;
    kill(m_pid, SIGTERM);
    waitpid(m_pid, nullptr, 0);
}

void write_file(const std::string& path, const std::string& text) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << text;
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
