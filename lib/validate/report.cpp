// format_report and what its formats share.

#include <algorithm>
#include <map>
#include <utility>

#include "validate/report_detail.hpp"
#include "validate/validate.hpp"

namespace mlserve::validate {

std::string format_text_report(const Report& report, bool color);
std::string format_json_report(const Report& report);
std::string format_junit_report(const Report& report);
std::string format_tap_report(const Report& report);
std::string format_github_report(const Report& report);

std::string format_report(const Report& report, ReportFormat format, bool color) {
    switch (format) {
    case ReportFormat::text: return format_text_report(report, color);
    case ReportFormat::json: return format_json_report(report);
    case ReportFormat::junit: return format_junit_report(report);
    case ReportFormat::tap: return format_tap_report(report);
    case ReportFormat::github: return format_github_report(report);
    }
    return format_text_report(report, color);
}

namespace detail {

namespace {

std::string counted(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + ' ' + (n == 1 ? one : many);
}

} // namespace

Counts count_findings(const std::vector<Finding>& findings) {
    Counts counts;
    for (const auto& f : findings) {
        if (f.severity == Severity::error) ++counts.errors;
        else if (f.severity == Severity::warning) ++counts.warnings;
        else ++counts.infos;
    }
    return counts;
}

std::string summary_line(const Report& report) {
    Counts c = count_findings(report.findings);
    std::string line = counted(c.errors, "error", "errors") + ", " + counted(c.warnings, "warning", "warnings");
    if (c.infos > 0) line += ", " + std::to_string(c.infos) + " info";
    return line + " in " + counted(report.documents, "object", "objects") + " from " +
           counted(report.inputs.size(), "file", "files");
}

bool rendered(const Finding& finding) {
    const std::string_view suffix = "(rendered)";
    return finding.object.size() >= suffix.size() &&
           finding.object.compare(finding.object.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string located_message(const Finding& finding) {
    if (!rendered(finding)) return finding.message;
    return finding.object + ": " + (finding.path.empty() ? "" : finding.path + ": ") + finding.message;
}

std::vector<ObjectTests> group_by_object(const Report& report) {
    std::vector<ObjectTests> tests;
    // (file, object) -> its tests in input order; objects of the same name in one file are told apart by line
    std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> index;
    for (const auto& object : report.objects) {
        index[{object.file, object.object}].push_back(tests.size());
        tests.push_back({object, {}});
    }
    for (std::size_t i = 0; i < report.findings.size(); ++i) {
        const Finding& f = report.findings[i];
        auto& candidates = index[{f.location.file, f.object}];
        if (candidates.empty()) {
            candidates.push_back(tests.size());
            tests.push_back({ObjectRef{f.location.file, f.location.line, f.object}, {}});
        }
        std::size_t chosen = candidates.front();
        for (std::size_t t : candidates)
            if (tests[t].object.line <= f.location.line) chosen = t;
        tests[chosen].findings.push_back(i);
    }
    return tests;
}

} // namespace detail

} // namespace mlserve::validate
