#include "core/terminal.hpp"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

namespace mlserve::core {
namespace {

bool env_set(const char* name) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' && std::strcmp(v, "0") != 0;
}

std::string source_line(const SourceLocation& location) {
    if (!location.known() || location.file.empty() || location.file == "<stdin>") return {};
    std::ifstream in(location.file);
    std::string line;
    for (int i = 0; i < location.line && std::getline(in, line); ++i) {
    }
    if (!in || line.size() > 300) return {};
    return line;
}

} // namespace

bool use_color(std::FILE* stream, bool no_color_flag) {
    if (no_color_flag || env_set("NO_COLOR")) return false;
    if (env_set("CLICOLOR_FORCE") || env_set("FORCE_COLOR")) return true;
    const char* term = std::getenv("TERM");
    if (term != nullptr && std::strcmp(term, "dumb") == 0) return false;
    return isatty(fileno(stream)) != 0;
}

void print_error(const Error& error, bool color, std::FILE* stream) {
    const char* red = color ? "\033[1;31m" : "";
    const char* cyan = color ? "\033[36m" : "";
    const char* reset = color ? "\033[0m" : "";
    std::fprintf(stream, "%serror:%s %s\n", red, reset, error.headline().c_str());
    if (auto line = source_line(error.location); !line.empty()) {
        std::fprintf(stream, "  %s\n", line.c_str());
        int col = error.location.column > 0 ? error.location.column : 1;
        std::fprintf(stream, "  %*s%s^%s\n", col - 1, "", red, reset);
    }
    for (const auto& detail : error.details) std::fprintf(stream, "  %s\n", detail.c_str());
    if (!error.hint.empty()) std::fprintf(stream, "%shint:%s %s\n", cyan, reset, error.hint.c_str());
}

void print_warning(const std::string& message, bool color, std::FILE* stream) {
    std::fprintf(stream, "%swarning:%s %s\n", color ? "\033[1;33m" : "", color ? "\033[0m" : "", message.c_str());
}

} // namespace mlserve::core
