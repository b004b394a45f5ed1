// -o json: a ValidationReport object with a stable schema (README "validate", "Report formats").

#include "core/json.hpp"
#include "validate/report_detail.hpp"
#include "validate/validate.hpp"

namespace mlserve::validate {

std::string format_json_report(const Report& report) {
    using core::Json;
    detail::Counts counts = detail::count_findings(report.findings);
    Json findings = Json::array();
    for (const auto& f : report.findings)
        findings.push_back(Json{{"rule", f.rule},
                                {"severity", severity_name(f.severity)},
                                {"message", f.message},
                                {"hint", f.hint},
                                {"file", f.location.file},
                                {"line", f.location.line},
                                {"column", f.location.column},
                                {"path", f.path},
                                {"object", f.object}});
    Json out{{"apiVersion", "mlserve.dev/v1alpha1"},
             {"kind", "ValidationReport"},
             {"summary",
              {{"files", report.inputs.size()},
               {"objects", report.documents},
               {"errors", counts.errors},
               {"warnings", counts.warnings},
               {"info", counts.infos}}},
             {"inputs", report.inputs},
             {"findings", std::move(findings)},
             {"notes", report.notes}};
    return out.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

} // namespace mlserve::validate
