// format_report: every format, exactly (golden strings), and the escaping each one needs.

#include <doctest/doctest.h>

#include "core/json.hpp"
#include "validate/validate.hpp"

using namespace mlserve::validate;

namespace {

// Built one field at a time: GCC 12 warns (maybe-uninitialized) on brace-initialised Findings in a list.
Finding make(std::string rule, Severity severity, std::string message, std::string hint, std::string file, int line,
             int column, std::string path, std::string object) {
    Finding f;
    f.rule = std::move(rule);
    f.severity = severity;
    f.message = std::move(message);
    f.hint = std::move(hint);
    f.location.file = std::move(file);
    f.location.line = line;
    f.location.column = column;
    f.path = std::move(path);
    f.object = std::move(object);
    return f;
}

/// Two files, three objects: one clean, one with an error and a warning, one rendered from a spec with an error.
Report sample() {
    Report report;
    report.inputs = {"m.yaml", "spec.yaml"};
    report.documents = 3;
    report.objects = {{"m.yaml", 1, "Service/web"},
                      {"m.yaml", 8, "Deployment/web"},
                      {"spec.yaml", 2, "InferenceService/iris (rendered)"}};
    report.findings = {
        make("schema.unknown-field", Severity::error, "unknown field \"replica\"", "did you mean 'replicas'?", "m.yaml", 12, 3, "spec.replica", "Deployment/web"),
        make("policy.image-pinned", Severity::warning, "image nginx:latest is not pinned", "use a tag or a digest", "m.yaml", 20, 16, "spec.template.spec.containers[0].image", "Deployment/web"),
        make("schema.enum", Severity::error, "must be one of v1, v2", "", "spec.yaml", 2, 1, "spec.predictor.model.protocolVersion", "InferenceService/iris (rendered)"),
    };
    report.notes = {"no schema for v1 Widget (1 object): pass --schema-location with its CRD or OpenAPI document"};
    return report;
}

} // namespace

TEST_CASE("text report: file:line:col, severity[rule], message, hint, notes and the summary") {
    CHECK(format_report(sample(), ReportFormat::text) ==
          "m.yaml:12:3: error[schema.unknown-field]: unknown field \"replica\"\n"
          "  hint: did you mean 'replicas'?\n"
          "m.yaml:20:16: warning[policy.image-pinned]: image nginx:latest is not pinned\n"
          "  hint: use a tag or a digest\n"
          "spec.yaml:2:1: error[schema.enum]: InferenceService/iris (rendered): "
          "spec.predictor.model.protocolVersion: must be one of v1, v2\n"
          "note: no schema for v1 Widget (1 object): pass --schema-location with its CRD or OpenAPI document\n"
          "2 errors, 1 warning in 3 objects from 2 files\n");
}

TEST_CASE("text report: colour only when asked, and singular counts") {
    Report report;
    report.inputs = {"a.yaml"};
    report.documents = 1;
    report.objects = {{"a.yaml", 1, "Pod/p"}};
    report.findings = {make("x.rule", Severity::info, "m", "", "a.yaml", 1, 2, "", "Pod/p")};
    CHECK(format_report(report, ReportFormat::text) == "a.yaml:1:2: info[x.rule]: m\n0 errors, 0 warnings, 1 info in 1 object from 1 file\n");
    CHECK(format_report(report, ReportFormat::text, true) ==
          "\033[1ma.yaml:1:2\033[0m: \033[1;36minfo\033[0m[x.rule]: m\n0 errors, 0 warnings, 1 info in 1 object from 1 file\n");
    report.findings.clear();
    CHECK(format_report(report, ReportFormat::text) == "0 errors, 0 warnings in 1 object from 1 file\n");
}

TEST_CASE("json report: a ValidationReport with a stable schema") {
    auto text = format_report(sample(), ReportFormat::json);
    auto json = nlohmann::json::parse(text);
    CHECK(json["apiVersion"] == "mlserve.dev/v1alpha1");
    CHECK(json["kind"] == "ValidationReport");
    CHECK(json["summary"] == nlohmann::json::parse(R"({"files":2,"objects":3,"errors":2,"warnings":1,"info":0})"));
    CHECK(json["inputs"] == nlohmann::json::parse(R"(["m.yaml","spec.yaml"])"));
    CHECK(json["findings"].size() == 3);
    CHECK(json["findings"][0] == nlohmann::json::parse(R"({"rule":"schema.unknown-field","severity":"error",
        "message":"unknown field \"replica\"","hint":"did you mean 'replicas'?","file":"m.yaml","line":12,"column":3,
        "path":"spec.replica","object":"Deployment/web"})"));
    CHECK(json["notes"].size() == 1);
    // key order is part of the schema: it is what people diff
    CHECK(text.rfind("{\n  \"apiVersion\": \"mlserve.dev/v1alpha1\",\n  \"kind\": \"ValidationReport\",\n  \"summary\": {\n"
                     "    \"files\": 2,\n    \"objects\": 3,\n    \"errors\": 2,\n    \"warnings\": 1,\n    \"info\": 0\n  },\n",
                     0) == 0);
}

TEST_CASE("junit report: a testsuite per file, a testcase per object, a failure per error finding") {
    CHECK(format_report(sample(), ReportFormat::junit) ==
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<testsuites name=\"kubectl mlserve validate\" tests=\"3\" failures=\"2\" errors=\"0\">\n"
          "  <testsuite name=\"m.yaml\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\">\n"
          "    <testcase name=\"Service/web\" classname=\"m.yaml\"/>\n"
          "    <testcase name=\"Deployment/web\" classname=\"m.yaml\">\n"
          "      <failure message=\"unknown field &quot;replica&quot;\" type=\"schema.unknown-field\">"
          "m.yaml:12:3: error[schema.unknown-field]: unknown field &quot;replica&quot;&#10;hint: did you mean "
          "&apos;replicas&apos;?</failure>\n"
          "      <system-out>m.yaml:20:16: warning[policy.image-pinned]: image nginx:latest is not pinned&#10;hint: use a "
          "tag or a digest&#10;</system-out>\n"
          "    </testcase>\n"
          "  </testsuite>\n"
          "  <testsuite name=\"spec.yaml\" tests=\"1\" failures=\"1\" errors=\"0\" skipped=\"0\">\n"
          "    <testcase name=\"InferenceService/iris (rendered)\" classname=\"spec.yaml\">\n"
          "      <failure message=\"InferenceService/iris (rendered): spec.predictor.model.protocolVersion: must be "
          "one of v1, v2\" type=\"schema.enum\">spec.yaml:2:1: error[schema.enum]: InferenceService/iris (rendered): "
          "spec.predictor.model.protocolVersion: must be one of v1, v2</failure>\n"
          "    </testcase>\n"
          "  </testsuite>\n"
          "</testsuites>\n");
}

TEST_CASE("junit report escapes markup and replaces control characters XML cannot hold") {
    Report report;
    report.inputs = {"a&b.yaml"};
    report.documents = 1;
    report.findings = {make("input.parse", Severity::error, "bad <tag> \x01 here", "", "a&b.yaml", 3, 1, "", "")};
    report.objects = {{"a&b.yaml", 0, ""}};
    auto xml = format_report(report, ReportFormat::junit);
    CHECK(xml.find("<testsuite name=\"a&amp;b.yaml\"") != std::string::npos);
    CHECK(xml.find("<testcase name=\"(file)\" classname=\"a&amp;b.yaml\">") != std::string::npos);
    CHECK(xml.find("message=\"bad &lt;tag&gt; \xEF\xBF\xBD here\"") != std::string::npos);
    CHECK(xml.find('\x01') == std::string::npos);
}

TEST_CASE("tap report: TAP version 13, a test point per object, findings as YAML diagnostics") {
    CHECK(format_report(sample(), ReportFormat::tap) ==
          "TAP version 13\n"
          "1..3\n"
          "ok 1 - m.yaml Service/web\n"
          "not ok 2 - m.yaml Deployment/web\n"
          "  ---\n"
          "  findings:\n"
          "  - rule: schema.unknown-field\n"
          "    severity: error\n"
          "    message: unknown field \"replica\"\n"
          "    location: m.yaml:12:3\n"
          "    path: spec.replica\n"
          "    hint: did you mean 'replicas'?\n"
          "  - rule: policy.image-pinned\n"
          "    severity: warning\n"
          "    message: image nginx:latest is not pinned\n"
          "    location: m.yaml:20:16\n"
          "    path: spec.template.spec.containers[0].image\n"
          "    hint: use a tag or a digest\n"
          "  ...\n"
          "not ok 3 - spec.yaml InferenceService/iris (rendered)\n"
          "  ---\n"
          "  findings:\n"
          "  - rule: schema.enum\n"
          "    severity: error\n"
          "    message: must be one of v1, v2\n"
          "    location: spec.yaml:2:1\n"
          "    path: spec.predictor.model.protocolVersion\n"
          "  ...\n"
          "# 2 errors, 1 warning in 3 objects from 2 files\n"
          "# note: no schema for v1 Widget (1 object): pass --schema-location with its CRD or OpenAPI document\n");
}

TEST_CASE("tap report: a warning alone keeps the test point ok and '#' in a description is escaped") {
    Report report;
    report.inputs = {"a#1.yaml"};
    report.documents = 1;
    report.objects = {{"a#1.yaml", 1, "Pod/p"}};
    report.findings = {make("policy.x", Severity::warning, "w", "", "a#1.yaml", 1, 1, "", "Pod/p")};
    auto tap = format_report(report, ReportFormat::tap);
    CHECK(tap.find("ok 1 - a\\#1.yaml Pod/p\n  ---\n") != std::string::npos);
    CHECK(tap.find("not ok") == std::string::npos);
}

TEST_CASE("github report: workflow commands with GitHub's escaping") {
    CHECK(format_report(sample(), ReportFormat::github) ==
          "::error file=m.yaml,line=12,col=3,title=schema.unknown-field::unknown field \"replica\"%0Ahint: did you "
          "mean 'replicas'?\n"
          "::warning file=m.yaml,line=20,col=16,title=policy.image-pinned::image nginx:latest is not pinned%0Ahint: "
          "use a tag or a digest\n"
          "::error file=spec.yaml,line=2,col=1,title=schema.enum::InferenceService/iris (rendered): "
          "spec.predictor.model.protocolVersion: must be one of v1, v2\n"
          "::notice::no schema for v1 Widget (1 object): pass --schema-location with its CRD or OpenAPI document\n"
          "2 errors, 1 warning in 3 objects from 2 files\n");
    Report report;
    report.inputs = {"dir,a:b.yaml"};
    report.documents = 1;
    report.findings = {make("r.x", Severity::info, "100% sure\r\nreally", "", "dir,a:b.yaml", 0, 0, "", "")};
    CHECK(format_report(report, ReportFormat::github) ==
          "::notice file=dir%2Ca%3Ab.yaml,title=r.x::100%25 sure%0D%0Areally\n"
          "0 errors, 0 warnings, 1 info in 1 object from 1 file\n");
}
