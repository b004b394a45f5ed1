// `kubectl mlserve validate` against the real upstream schemas of shared/: the examples validate clean, single
// mutations give exactly one error at the right line, specs are checked as specs and as what they render.

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <filesystem>

#include "validate_helpers.hpp"

using namespace mlserve::test;
using nlohmann::json;

namespace {

std::vector<std::string> example_names() {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(source_dir() + "/examples"))
        if (entry.is_directory()) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

/// The error findings of a JSON report.
std::vector<json> errors_of(const json& report) {
    std::vector<json> out;
    for (const auto& f : report["findings"])
        if (f["severity"] == "error") out.push_back(f);
    return out;
}

int line_of(const std::string& text, const std::string& needle) {
    auto at = text.find(needle);
    REQUIRE(at != std::string::npos);
    return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

} // namespace

TEST_CASE("every example's spec and expected manifests validate with no error against the real schemas") {
    auto names = example_names();
    REQUIRE(names.size() >= 10);
    for (const auto& name : names) {
        CAPTURE(name);
        const std::string dir = source_dir() + "/examples/" + name;
        auto r = run_cli("validate --strict -o json " + shared_schemas() + " -f " + quoted(dir + "/model.yaml") +
                         " -f " + quoted(dir + "/expected.yaml"));
        auto report = json::parse(r.out);
        CHECK(errors_of(report) == std::vector<json>{});
        CHECK(r.exit_code == 0);
        // the spec, its rendered objects and the expected ones
        CHECK(report["summary"]["objects"].get<int>() >= 3);
    }
}

TEST_CASE("a single mutation of an example gives exactly one error, at the mutated line") {
    const std::string original = slurp(source_dir() + "/examples/fraud-detection/expected.yaml");
    struct Mutation {
        const char* what;
        std::string from, to, rule;
        std::string at; // the line the finding must be on: where this text stands in the mutated file
    };
    const std::string endpoint = "  - port: metrics\n    path: /metrics\n    interval: 30s\n";
    const Mutation mutations[] = {
        {"drop a required field", "    port: 9091\n", "", "schema.required", "  - name: queue-proxy-metrics\n"},
        {"wrong type", "    minReplicas: 5\n", "    minReplicas: five\n", "schema.type", "    minReplicas: five\n"},
        {"unknown field", "    scaleMetric: concurrency\n", "    scaleMetrik: concurrency\n", "schema.unknown-field",
         "    scaleMetrik"},
        {"bad enum", endpoint, endpoint + "    scheme: gopher\n", "schema.enum", "    scheme: gopher\n"},
    };
    TempDir dir;
    const std::string file = dir.path() + "/expected.yaml";
    auto clean = json::parse(run_cli("validate -o json " + shared_schemas() + " -f " + quoted(source_dir() +
                                     "/examples/fraud-detection/expected.yaml")).out);
    REQUIRE(errors_of(clean).empty());
    for (const auto& m : mutations) {
        CAPTURE(std::string(m.what));
        std::string text = original;
        auto at = text.find(m.from);
        REQUIRE(at != std::string::npos);
        text.replace(at, m.from.size(), m.to);
        write_file(file, text);
        int line = line_of(text, m.at);
        auto r = run_cli("validate -o json " + shared_schemas() + " -f " + quoted(file));
        CHECK(r.exit_code == 3);
        auto errors = errors_of(json::parse(r.out));
        CAPTURE(r.out);
        REQUIRE(errors.size() == 1);
        CHECK(errors[0]["rule"] == m.rule);
        CHECK(errors[0]["line"] == line);
        CHECK(errors[0]["file"] == file);
    }
}

TEST_CASE("a spec that does not load is one spec.invalid finding at the offending field") {
    TempDir dir;
    const std::string file = dir.path() + "/model.yaml";
    write_file(file, "apiVersion: mlserve.io/v1alpha1\nkind: ModelDeployment\nmetadata:\n  name: iris\nspec:\n"
                     "  model:\n    format: sklearn\n    storageUri: gs://b/m\n    replicas: 3\n");
    auto r = run_cli("validate " + shared_schemas() + " -f " + quoted(file));
    CHECK(r.exit_code == 3);
    CHECK(r.out.rfind(file + ":9:5: error[spec.invalid]: ", 0) == 0);
    CHECK(r.out.find("\n1 error, 0 warnings in 1 object from 1 file\n") != std::string::npos);
}

TEST_CASE("findings in a spec's rendered objects point at the spec and name the object and field") {
    TempDir dir;
    const std::string file = dir.path() + "/model.yaml";
    write_file(file, "# an override that the InferenceService schema refuses\n"
                     "apiVersion: mlserve.io/v1alpha1\nkind: ModelDeployment\nmetadata:\n  name: iris\n"
                     "  namespace: ml\nspec:\n  model:\n    format: sklearn\n    storageUri: gs://b/m\n"
                     "  overrides:\n  - target: {kind: InferenceService}\n"
                     "    mergePatch: {spec: {predictor: {minReplicaz: 2}}}\n");
    auto r = run_cli("validate -o json " + shared_schemas() + " -f " + quoted(file));
    CHECK(r.exit_code == 3);
    auto errors = errors_of(json::parse(r.out));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0]["rule"] == "schema.unknown-field");
    CHECK(errors[0]["file"] == file);
    CHECK(errors[0]["line"] == 2);
    CHECK(errors[0]["column"] == 1);
    CHECK(errors[0]["object"] == "InferenceService/iris (rendered)");
    CHECK(errors[0]["path"] == "spec.predictor.minReplicaz");
    auto text = run_cli("validate " + shared_schemas() + " -f " + quoted(file));
    CHECK(text.out.find(file + ":2:1: error[schema.unknown-field]: InferenceService/iris (rendered): "
                               "spec.predictor.minReplicaz: ") != std::string::npos);
}

TEST_CASE("validate -o junit, tap and github on a real manifest with one error") {
    TempDir dir;
    const std::string file = dir.path() + "/cm.yaml";
    write_file(file, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: 1\n---\n"
                     "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\n");
    auto junit = run_cli("validate -o junit " + shared_schemas() + " -f " + quoted(file));
    CHECK(junit.exit_code == 3);
    CHECK(junit.out.find("<testsuite name=\"" + file + "\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\">") !=
          std::string::npos);
    CHECK(junit.out.find("<testcase name=\"ConfigMap/d\" classname=\"" + file + "\"/>") != std::string::npos);
    CHECK(junit.out.find("<failure message=\"") != std::string::npos);
    CHECK(junit.out.find("type=\"schema.type\">" + file + ":6:6: error[schema.type]: ") != std::string::npos);
    auto tap = run_cli("validate -o tap " + shared_schemas() + " -f " + quoted(file));
    CHECK(tap.out.rfind("TAP version 13\n1..2\nnot ok 1 - " + file + " ConfigMap/c\n  ---\n", 0) == 0);
    CHECK(tap.out.find("\nok 2 - " + file + " ConfigMap/d\n# 1 error, 0 warnings in 2 objects from 1 file\n") !=
          std::string::npos);
    auto github = run_cli("validate -o github " + shared_schemas() + " -f " + quoted(file));
    CHECK(github.out.rfind("::error file=" + file + ",line=6,col=6,title=schema.type::", 0) == 0);
}

TEST_CASE("validate -v lists the CEL rules it did not evaluate; --templates must be a directory") {
    const std::string route = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r, namespace: n}\n"
                              "spec:\n  rules:\n  - backendRefs:\n    - name: s\n      port: 80\n";
    auto quiet = run_cli("validate " + shared_schemas() + " -f -", route);
    CHECK(quiet.exit_code == 0);
    CHECK(quiet.out.find("info[schema.cel-not-evaluated]") == std::string::npos);
    auto verbose = run_cli("validate -v " + shared_schemas() + " -f -", route);
    CHECK(verbose.exit_code == 0);
    CHECK(verbose.out.find("<stdin>:7:7: info[schema.cel-not-evaluated]: CEL rule not evaluated: ") != std::string::npos);
    auto templates = run_cli("validate --templates /nonexistent-templates -f " +
                             quoted(source_dir() + "/examples/sklearn-iris/model.yaml"));
    CHECK(templates.exit_code == 2);
    CHECK(templates.err == "error: --templates /nonexistent-templates is not a directory\n"
                           "hint: export the built-in templates with kubectl mlserve templates export DIR\n");
}

TEST_CASE("validate fetches a schema over http, loading libcurl only then, into the static binary") {
    TempDir dir;
    std::filesystem::copy_file(shared_dir() + "/schemas/kserve/crd/serving.kserve.io_inferenceservices.yaml",
                               dir.path() + "/isvc.yaml");
    FileServer server(dir.path());
    REQUIRE(!server.url().empty());
    const std::string manifest = "apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\n"
                                 "metadata: {name: m}\nspec:\n  predictor:\n    minReplica: 1\n";
    auto result = run_cli("validate --disable semantic,policy -o json --schema-location " + server.url() +
                              "/isvc.yaml -f -",
                          manifest);
    CHECK(result.exit_code == 3);
    auto findings = errors_of(json::parse(result.out));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0]["rule"] == "schema.unknown-field");
    CHECK(findings[0]["line"] == 6);

    auto missing = run_cli("validate --schema-location " + server.url() + "/nope.yaml -f -", manifest);
    CHECK(missing.exit_code == 1);
    CHECK(missing.err.find("cannot fetch schema " + server.url() + "/nope.yaml: the server answered HTTP 404") !=
          std::string::npos);
}
