#pragma once
// Helpers for the schema tests: a one-version CRD around an inline schema, and findings as one line each.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/yaml.hpp"
#include "support.hpp"
#include "validate/validate.hpp"

namespace mlserve::test {

/// A CRD for example.com/v1 Widget whose openAPIV3Schema is `schema_json` (JSON is YAML flow style).
inline std::string widget_crd(const std::string& schema_json) {
    return "apiVersion: apiextensions.k8s.io/v1\n"
           "kind: CustomResourceDefinition\n"
           "metadata:\n  name: widgets.example.com\n"
           "spec:\n  group: example.com\n  names:\n    kind: Widget\n    plural: widgets\n  scope: Namespaced\n"
           "  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema: " +
           schema_json + "\n";
}


/// "line:col rule path: message (hint)" per finding.
inline std::vector<std::string> lines_of(const std::vector<validate::Finding>& findings) {
    std::vector<std::string> out;
    for (const auto& f : findings) {
        std::string line = std::to_string(f.location.line) + ":" + std::to_string(f.location.column) + " " + f.rule +
                           " " + f.path + ": " + f.message;
        if (!f.hint.empty()) line += " (" + f.hint + ")";
        out.push_back(line);
    }
    return out;
}

/// Findings of each document of `manifest_yaml` (file "m.yaml") against `store`.
inline std::vector<std::string> check_with(const validate::SchemaStore& store, const std::string& manifest_yaml,
                                           const validate::SchemaOptions& options = {}) {
    auto docs = core::parse_yaml(manifest_yaml, "m.yaml");
    if (!docs) return {"parse error: " + docs.error().headline()};
    std::vector<validate::Finding> findings;
    for (auto& doc : *docs) {
        validate::Manifest manifest{std::move(doc), 0};
        auto schema = store.find(manifest.api_version(), manifest.kind());
        if (!schema) return {"schema error: " + schema.error().headline()};
        if (*schema == nullptr) return {"no schema for " + manifest.api_version() + " " + manifest.kind()};
        validate::check_schema(manifest, **schema, options, findings);
    }
    return lines_of(findings);
}

/// Findings of `manifest_yaml` against a Widget CRD with `schema_json`.
inline std::vector<std::string> check_widget(const std::string& schema_json, const std::string& manifest_yaml,
                                             const validate::SchemaOptions& options = {}) {
    TempDir dir;
    write_file(dir.path() + "/crd.yaml", widget_crd(schema_json));
    validate::SchemaStore store;
    auto added = store.add_location(dir.path() + "/crd.yaml");
    if (!added) return {"add error: " + added.error().headline()};
    return check_with(store, manifest_yaml, options);
}

inline const std::string k_widget_head = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n";

} // namespace mlserve::test

namespace doctest {
template <>
struct StringMaker<std::vector<std::string>> {
    static String convert(const std::vector<std::string>& lines) {
        std::string out = "{";
        for (const auto& line : lines) out += "\n  " + line;
        return String((out + "\n}").c_str());
    }
};
} // namespace doctest
