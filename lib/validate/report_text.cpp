// -o text: one `file:line:col: severity[rule]: message` line per finding and its hint, then notes and a summary.

#include "validate/report_detail.hpp"
#include "validate/validate.hpp"

namespace mlserve::validate {

std::string format_text_report(const Report& report, bool color) {
    auto paint = [color](const char* code, const std::string& text) {
        return color ? std::string("\033[") + code + "m" + text + "\033[0m" : text;
    };
    std::string out;
    for (const auto& f : report.findings) {
        std::string where = f.location.to_string();
        if (!where.empty()) out += paint("1", where) + ": ";
        const char* code = f.severity == Severity::error ? "1;31" : f.severity == Severity::warning ? "1;33" : "1;36";
        out += paint(code, std::string(severity_name(f.severity))) + "[" + f.rule + "]: " + detail::located_message(f) +
               "\n";
        if (!f.hint.empty()) out += "  " + paint("36", "hint:") + " " + f.hint + "\n";
    }
    for (const auto& note : report.notes) out += paint("36", "note:") + " " + note + "\n";
    out += detail::summary_line(report) + "\n";
    return out;
}

} // namespace mlserve::validate
