// `kubectl mlserve validate` through the built binary: inputs, exit codes, flags and error text.

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>

#include "validate_helpers.hpp"

using namespace mlserve::test;

namespace {
const std::string k_pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n";
const std::string k_hint_sources = "note: no schema sources: pass --schema-location DIR|FILE|URL, or set MLSERVE_SCHEMA_PATH\n";
} // namespace

TEST_CASE("validate reads standard input and reports an object without kind at its line") {
    NoDefaultSchemas env;
    auto r = run_cli("validate -f -", k_pod + "---\napiVersion: v1\nmetadata:\n  name: q\n");
    CHECK(r.err == "");
    CHECK(r.exit_code == 3);
    CHECK(r.out == "<stdin>:2:7: warning[schema.not-found]: no schema for Pod (v1)\n"
                   "  hint: pass its CRD or OpenAPI document with --schema-location DIR|FILE|URL\n"
                   "<stdin>:6:1: error[input.missing-kind]: document 2 has no kind\n"
                   "  hint: add kind, e.g. kind: Deployment\n" +
                       k_hint_sources +
                       "note: no schema for v1 Pod (1 object): pass --schema-location with its CRD or OpenAPI "
                       "document\n"
                       "1 error, 1 warning in 2 objects from 1 file\n");
}

TEST_CASE("validate: warnings alone exit 0, --strict makes a missing schema an error") {
    NoDefaultSchemas env;
    CHECK(run_cli("validate -f -", k_pod).exit_code == 0);
    auto strict = run_cli("validate --strict -f -", k_pod);
    CHECK(strict.exit_code == 3);
    CHECK(strict.out.rfind("<stdin>:2:7: error[schema.not-found]: no schema for Pod (v1)\n", 0) == 0);
}

TEST_CASE("validate: a path that does not exist is a usage error before anything is read") {
    auto r = run_cli("validate -f nope.yaml -f -", k_pod);
    CHECK(r.exit_code == 2);
    CHECK(r.out == "");
    CHECK(r.err == "error: the path \"nope.yaml\" does not exist\nhint: pass an existing file or directory, or - for "
                   "standard input\n");
    auto none = run_cli("validate");
    CHECK(none.exit_code == 2);
    CHECK(none.err == "error: no input given\nhint: pass -f FILE, -f DIR or -f - (standard input)\n");
}

TEST_CASE("validate: malformed YAML is reported at file:line:col, the other files are still checked, exit 2") {
    NoDefaultSchemas env;
    TempDir dir;
    write_file(dir.path() + "/a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [x\n");
    write_file(dir.path() + "/b.yaml", "kind: ConfigMap\n");
    auto r = run_cli("validate -f " + quoted(dir.path()));
    CHECK(r.exit_code == 2);
    CHECK(r.out == dir.path() + "/a.yaml:4:1: error[input.parse]: malformed YAML: end of sequence flow not found\n"
                                "  hint: check indentation and quoting around this line\n" +
                       dir.path() + "/b.yaml:1:1: error[input.missing-api-version]: document 1 has no apiVersion\n"
                                    "  hint: add apiVersion, e.g. apiVersion: apps/v1\n" +
                       k_hint_sources + "2 errors, 0 warnings in 2 objects from 2 files\n");
}

TEST_CASE("validate: directories give their YAML and JSON files in sorted order, recursively unless told not to") {
    NoDefaultSchemas env;
    TempDir dir;
    const std::string d = dir.path();
    write_file(d + "/b.yaml", "kind: A\n");
    write_file(d + "/a.json", "{\"kind\": \"B\"}\n");
    write_file(d + "/sub/c.yml", "kind: C\n");
    write_file(d + "/.hidden/d.yaml", "kind: D\n");
    write_file(d + "/notes.txt", "kind: E\n");
    auto r = run_cli("validate -o json -f " + quoted(d));
    CHECK(r.exit_code == 3);
    auto json = nlohmann::json::parse(r.out);
    CHECK(json["inputs"] == nlohmann::json({d + "/a.json", d + "/b.yaml", d + "/sub/c.yml"}));
    CHECK(json["summary"]["objects"] == 3);
    auto top = nlohmann::json::parse(run_cli("validate -o json --recursive=false -f " + quoted(d)).out);
    CHECK(top["inputs"] == nlohmann::json({d + "/a.json", d + "/b.yaml"}));
    // the same file named twice is read once
    auto twice = nlohmann::json::parse(run_cli("validate -o json -f " + quoted(d + "/b.yaml") + " -f " + quoted(d)).out);
    CHECK(twice["inputs"] == nlohmann::json({d + "/b.yaml", d + "/a.json", d + "/sub/c.yml"}));
    std::filesystem::create_directories(d + "/empty/sub");
    write_file(d + "/empty/sub/e.yaml", "kind: E\n");
    auto empty = run_cli("validate -f " + quoted(d + "/empty") + " --recursive=false");
    CHECK(empty.exit_code == 2);
    CHECK(empty.err == "error: no *.yaml, *.yml or *.json file under " + d + "/empty\n"
                       "hint: drop --recursive=false to look in its subdirectories too\n");
}

TEST_CASE("validate expands List items and locates them where they stand in the file") {
    NoDefaultSchemas env;
    auto r = run_cli("validate -f - -o json --disable schema.not-found",
                     "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n"
                     "- apiVersion: v1\n  metadata: {name: b}\n- 42\n");
    CHECK(r.exit_code == 3);
    auto json = nlohmann::json::parse(r.out);
    CHECK(json["summary"]["objects"] == 3);
    REQUIRE(json["findings"].size() == 2);
    CHECK(json["findings"][0]["rule"] == "input.missing-kind");
    CHECK(json["findings"][0]["line"] == 7);
    CHECK(json["findings"][0]["column"] == 3);
    CHECK(json["findings"][0]["object"] == "(no kind)/b");
    CHECK(json["findings"][1]["rule"] == "input.not-an-object");
    CHECK(json["findings"][1]["line"] == 9);
}

TEST_CASE("validate: a document that is not a map is a finding, not a crash") {
    NoDefaultSchemas env;
    auto r = run_cli("validate -f -", "- a\n- b\n---\njust text\n");
    CHECK(r.exit_code == 3);
    CHECK(r.out == "<stdin>:1:1: error[input.not-an-object]: document 1 is a list, not an object\n"
                   "  hint: each YAML document must be one Kubernetes object (a map)\n"
                   "<stdin>:4:1: error[input.not-an-object]: document 2 is a scalar, not an object\n"
                   "  hint: each YAML document must be one Kubernetes object (a map)\n" +
                       k_hint_sources + "2 errors, 0 warnings in 2 objects from 1 file\n");
}

TEST_CASE("validate --list-rules lists every rule, as a table or as JSON") {
    auto text = run_cli("validate --list-rules");
    CHECK(text.exit_code == 0);
    CHECK(text.out.rfind("ID ", 0) == 0);
    CHECK(text.out.find("\ninput.parse ") != std::string::npos);
    CHECK(text.out.find("\nschema.unknown-field ") != std::string::npos);
    auto json = run_cli("validate --list-rules -o json");
    auto rules = nlohmann::json::parse(json.out);
    REQUIRE(rules.is_array());
    std::vector<std::string> ids;
    for (const auto& rule : rules) {
        ids.push_back(rule["id"]);
        CHECK(!rule["doc"].get<std::string>().empty());
        CHECK((rule["category"] == "input" || rule["category"] == "spec" || rule["category"] == "schema" ||
               rule["category"] == "semantic" || rule["category"] == "policy"));
    }
    CHECK(std::is_sorted(ids.begin(), ids.end()));
    CHECK(std::find(ids.begin(), ids.end(), "spec.invalid") != ids.end());
}

TEST_CASE("validate --disable and --severity apply to every rule and refuse unknown ids") {
    NoDefaultSchemas env;
    const std::string doc = "apiVersion: v1\nmetadata: {name: q}\n";
    CHECK(run_cli("validate -f - --disable schema.not-found,input.missing-kind", doc).out ==
          k_hint_sources + "0 errors, 0 warnings in 1 object from 1 file\n");
    CHECK(run_cli("validate -f - --disable input", doc).exit_code == 0);
    auto lowered = run_cli("validate -f - --severity input.missing-kind=warning", doc);
    CHECK(lowered.exit_code == 0);
    CHECK(lowered.out.rfind("<stdin>:1:1: warning[input.missing-kind]: document 1 has no kind\n", 0) == 0);
    auto typo = run_cli("validate -f - --disable input.missing-knd", doc);
    CHECK(typo.exit_code == 2);
    CHECK(typo.err == "error: unknown rule \"input.missing-knd\" in --disable\nhint: did you mean 'input.missing-kind'?\n");
    auto level = run_cli("validate -f - --severity input.missing-kind=fatal", doc);
    CHECK(level.exit_code == 2);
    CHECK(level.err == "error: --severity \"input.missing-kind=fatal\" is not RULE=error|warning|info\n"
                       "hint: e.g. --severity policy.image-pinned=warning\n");
}

TEST_CASE("validate takes its default schemas from MLSERVE_SCHEMA_PATH") {
    TempDir dir;
    write_file(dir.path() + "/s/widget.yaml",
               "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n"
               "spec:\n  group: example.com\n  names: {kind: Widget, plural: widgets}\n  scope: Namespaced\n"
               "  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n"
               "        type: object\n        properties:\n          spec:\n            type: object\n"
               "            properties:\n              size: {type: integer}\n");
    EnvGuard path("MLSERVE_SCHEMA_PATH", dir.path() + "/none:" + dir.path() + "/s");
    auto r = run_cli("validate -f -", "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec:\n  size: big\n");
    CHECK(r.exit_code == 3);
    CHECK(r.out.rfind("<stdin>:5:9: error[schema.type]: ", 0) == 0);
}
