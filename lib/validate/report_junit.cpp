// -o junit: one testsuite per input file, one testcase per object, one <failure> per error finding; warnings and
// info go to the testcase's <system-out>. Valid XML 1.0: markup characters escaped, control characters replaced.

#include <map>

#include "validate/report_detail.hpp"
#include "validate/validate.hpp"

namespace mlserve::validate {

namespace {

std::string xml_escape(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        case '\n': out += "&#10;"; break;
        case '\r': out += "&#13;"; break;
        case '\t': out += "&#9;"; break;
        default:
            // XML 1.0 has no way to write the other C0 controls, not even as references.
            if (static_cast<unsigned char>(c) < 0x20) out += "\xEF\xBF\xBD";
            else out += c;
        }
    }
    return out;
}

std::string line_of(const Finding& f) {
    std::string where = f.location.to_string();
    std::string line = (where.empty() ? "" : where + ": ") + std::string(severity_name(f.severity)) + "[" + f.rule +
                       "]: " + detail::located_message(f);
    if (!f.hint.empty()) line += "\nhint: " + f.hint;
    return line;
}

struct Suite {
    std::string file;
    std::vector<const detail::ObjectTests*> tests;
    std::size_t failures = 0;
};

} // namespace

std::string format_junit_report(const Report& report) {
    auto tests = detail::group_by_object(report);
    std::vector<Suite> suites;
    std::map<std::string, std::size_t> suite_of;
    std::size_t failures = 0;
    for (const auto& test : tests) {
        auto [it, added] = suite_of.emplace(test.object.file, suites.size());
        if (added) suites.push_back({test.object.file, {}, 0});
        Suite& suite = suites[it->second];
        suite.tests.push_back(&test);
        for (std::size_t i : test.findings)
            if (report.findings[i].severity == Severity::error) {
                ++suite.failures;
                ++failures;
                break;
            }
    }
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += "<testsuites name=\"kubectl mlserve validate\" tests=\"" + std::to_string(tests.size()) +
           "\" failures=\"" + std::to_string(failures) + "\" errors=\"0\">\n";
    for (const auto& suite : suites) {
        std::string file = xml_escape(suite.file);
        out += "  <testsuite name=\"" + file + "\" tests=\"" + std::to_string(suite.tests.size()) + "\" failures=\"" +
               std::to_string(suite.failures) + "\" errors=\"0\" skipped=\"0\">\n";
        for (const auto* test : suite.tests) {
            std::string name = test->object.object.empty() ? "(file)" : test->object.object;
            out += "    <testcase name=\"" + xml_escape(name) + "\" classname=\"" + file + "\"";
            if (test->findings.empty()) {
                out += "/>\n";
                continue;
            }
            out += ">\n";
            std::string system_out;
            for (std::size_t i : test->findings) {
                const Finding& f = report.findings[i];
                if (f.severity != Severity::error) {
                    system_out += xml_escape(line_of(f)) + "&#10;";
                    continue;
                }
                out += "      <failure message=\"" + xml_escape(detail::located_message(f)) + "\" type=\"" +
                       xml_escape(f.rule) + "\">" + xml_escape(line_of(f)) + "</failure>\n";
            }
            if (!system_out.empty()) out += "      <system-out>" + system_out + "</system-out>\n";
            out += "    </testcase>\n";
        }
        out += "  </testsuite>\n";
    }
    out += "</testsuites>\n";
    return out;
}

} // namespace mlserve::validate
