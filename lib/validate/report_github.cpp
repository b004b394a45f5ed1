// -o github: GitHub Actions workflow commands, so that findings show as annotations on the changed lines:
// `::error file=F,line=L,col=C,title=RULE::message` (warning and notice for the other severities).

#include "validate/report_detail.hpp"
#include "validate/validate.hpp"

namespace mlserve::validate {

namespace {

// The escaping of GitHub's runner (toolkit/packages/core/src/command.ts): data escapes %, \r and \n;
// property values escape ':' and ',' as well.
std::string escape_data(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '%') out += "%25";
        else if (c == '\r') out += "%0D";
        else if (c == '\n') out += "%0A";
        else out += c;
    }
    return out;
}

std::string escape_property(const std::string& text) {
    std::string out;
    for (char c : escape_data(text)) {
        if (c == ':') out += "%3A";
        else if (c == ',') out += "%2C";
        else out += c;
    }
    return out;
}

} // namespace

std::string format_github_report(const Report& report) {
    std::string out;
    for (const auto& f : report.findings) {
        const char* command = f.severity == Severity::error ? "error" : f.severity == Severity::warning ? "warning"
                                                                                                         : "notice";
        std::string properties;
        if (!f.location.file.empty()) properties += "file=" + escape_property(f.location.file) + ",";
        if (f.location.line > 0) properties += "line=" + std::to_string(f.location.line) + ",";
        if (f.location.column > 0) properties += "col=" + std::to_string(f.location.column) + ",";
        properties += "title=" + escape_property(f.rule);
        std::string message = detail::located_message(f);
        if (!f.hint.empty()) message += "\nhint: " + f.hint;
        out += std::string("::") + command + " " + properties + "::" + escape_data(message) + "\n";
    }
    for (const auto& note : report.notes) out += "::notice::" + escape_data(note) + "\n";
    out += detail::summary_line(report) + "\n";
    return out;
}

} // namespace mlserve::validate
