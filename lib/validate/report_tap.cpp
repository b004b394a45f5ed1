// -o tap: TAP version 13 (which TAP 14 consumers read too), one test point per object; an object with findings
// carries them in a YAML diagnostic block. Errors make a test point "not ok"; warnings and info do not.

#include "core/json.hpp"
#include "core/yaml.hpp"
#include "validate/report_detail.hpp"
#include "validate/validate.hpp"

namespace mlserve::validate {

namespace {

/// A test point's description may not hold a newline, and '#' would start a directive.
std::string description(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '#') out += "\\#";
        else if (c == '\\') out += "\\\\";
        else if (c == '\n' || c == '\r') out += ' ';
        else out += c;
    }
    return out;
}

std::string indented(const std::string& yaml) {
    std::string out;
    std::size_t start = 0;
    while (start < yaml.size()) {
        std::size_t end = yaml.find('\n', start);
        if (end == std::string::npos) end = yaml.size();
        out += "  " + yaml.substr(start, end - start) + "\n";
        start = end + 1;
    }
    return out;
}

} // namespace

std::string format_tap_report(const Report& report) {
    using core::Json;
    auto tests = detail::group_by_object(report);
    std::string out = "TAP version 13\n1.." + std::to_string(tests.size()) + "\n";
    std::size_t number = 0;
    for (const auto& test : tests) {
        bool failed = false;
        Json findings = Json::array();
        for (std::size_t i : test.findings) {
            const Finding& f = report.findings[i];
            failed = failed || f.severity == Severity::error;
            Json item{{"rule", f.rule}, {"severity", severity_name(f.severity)}, {"message", f.message}};
            if (!f.location.to_string().empty()) item["location"] = f.location.to_string();
            if (!f.path.empty()) item["path"] = f.path;
            if (!f.hint.empty()) item["hint"] = f.hint;
            findings.push_back(std::move(item));
        }
        std::string name = test.object.object.empty() ? "(file)" : test.object.object;
        out += std::string(failed ? "not ok " : "ok ") + std::to_string(++number) + " - " +
               description(test.object.file + " " + name) + "\n";
        if (!findings.empty()) out += "  ---\n" + indented(core::to_yaml(Json{{"findings", findings}})) + "  ...\n";
    }
    out += "# " + detail::summary_line(report) + "\n";
    for (const auto& note : report.notes) out += "# note: " + description(note) + "\n";
    return out;
}

} // namespace mlserve::validate
