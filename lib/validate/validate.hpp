#pragma once
// Offline validation of Kubernetes manifests: structural OpenAPI v3 schemas (CRDs and Kubernetes OpenAPI
// documents), semantic rules (what the KServe/Seldon/Argo webhooks and controllers would reject) and policy rules
// (production practice). Findings point at file:line:col of the offending node.
//
// The pieces, each in its own files under lib/validate/:
//   schema_*.cpp  SchemaStore and check_schema()           (structural schemas)
//   rules_*.cpp   semantic_rules(), policy_rules(), check_rules()
//   report*.cpp   format_report()
//   inputs.cpp    read_inputs()

#include <cstddef>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/json.hpp"

namespace mlserve::validate {

enum class Severity { error, warning, info };

/// "error", "warning", "info".
std::string_view severity_name(Severity severity);

/// One problem found in one manifest (or in a set of manifests, for cross-object rules).
struct Finding {
    std::string rule;               ///< rule id, e.g. "schema.unknown-field", "kserve.canary-mode", "policy.image-pinned"
    Severity severity = Severity::error;
    std::string message;            ///< one line, no trailing period, no location
    std::string hint;               ///< one line telling how to fix it; may be empty
    core::SourceLocation location;  ///< the offending node (or its nearest known ancestor)
    std::string path;               ///< field path inside the object, e.g. spec.predictor.model.format; may be empty
    std::string object;             ///< "Kind/name" (or "Kind/namespace/name") of the object; may be empty
};

/// One Kubernetes object read from an input or rendered from a spec.
struct Manifest {
    core::Document doc;     ///< the object with its source positions; doc.file names the input
    std::size_t index = 0;  ///< 0-based index of the document within its input

    std::string api_version() const; ///< "" when missing or not a string
    std::string kind() const;
    std::string name() const;        ///< metadata.name, or metadata.generateName, or ""
    std::string namespace_name() const; ///< metadata.namespace or ""
    /// "Kind/name", for messages and reports.
    std::string display_name() const;
};

/// What one rule is, for `validate --list-rules` and for reports.
struct RuleInfo {
    std::string id;                 ///< stable, e.g. "seldon.traffic-sum"
    std::string category;           ///< "schema", "semantic" or "policy"
    Severity default_severity = Severity::error;
    std::string doc;                ///< one line
};

// ---------------------------------------------------------------------------------------------------------------
// Structural schemas

/// A compiled structural schema for one group/version/kind. Opaque; built by SchemaStore.
class Schema;

struct SchemaStats {
    std::size_t kinds = 0;          ///< group/version/kinds known
    std::size_t sources = 0;        ///< files (or URLs) read
};

/// Schemas by apiVersion and kind. Sources are CRD YAML files (every served version of each CRD), Kubernetes
/// OpenAPI v3 documents (components.schemas with x-kubernetes-group-version-kind) and directories of them (read
/// recursively). Loading is lazy where it can be: a source is indexed cheaply and a schema is compiled the first
/// time a manifest of its kind asks for it.
class SchemaStore {
public:
    SchemaStore();
    ~SchemaStore();
    SchemaStore(SchemaStore&&) noexcept;
    SchemaStore& operator=(SchemaStore&&) noexcept;

    /// Adds a directory (recursive), a file or an http(s) URL. Later sources do not replace kinds an earlier one
    /// already provides. A broken schema file is an input error naming the file (and line when known).
    core::Result<void> add_location(std::string_view location);

    /// The schema for apiVersion/kind, or nullptr when no source provides it. A schema that fails to compile
    /// (a broken $ref, say) is an error naming its source.
    core::Result<const Schema*> find(std::string_view api_version, std::string_view kind) const;

    SchemaStats stats() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

struct SchemaOptions {
    bool unknown_fields_are_errors = true; ///< the API server would prune them silently
    bool report_unevaluated_cel = false;   ///< `-v`: an info finding per x-kubernetes-validations rule not run
};

/// Checks one manifest against its schema and appends findings (rule ids "schema.*").
void check_schema(const Manifest& manifest, const Schema& schema, const SchemaOptions& options,
                  std::vector<Finding>& out);

/// The schema.* rules, for the catalogue.
const std::vector<RuleInfo>& schema_rules();

// ---------------------------------------------------------------------------------------------------------------
// Semantic and policy rules

struct RuleConfig {
    std::set<std::string> disabled;                 ///< rule ids (or "policy" / "semantic" for a whole category)
    std::map<std::string, Severity> severity;       ///< overrides of default severities, by rule id
    std::set<std::string> production_namespaces;    ///< where policy.min-replicas applies; empty: every namespace
    bool require_signed_images = false;             ///< policy.signed-image applies only when set
};

/// The semantic rules (KServe, Seldon, Argo Rollouts, HPA, cross-object) and the policy rules.
const std::vector<RuleInfo>& semantic_rules();
const std::vector<RuleInfo>& policy_rules();

/// Every rule of every category, sorted by id.
std::vector<RuleInfo> rule_catalog();

/// Runs the semantic and policy rules over one set of manifests (one file set: cross-object rules look only inside
/// it) and appends findings, honouring config.disabled and config.severity.
void check_rules(const std::vector<Manifest>& manifests, const RuleConfig& config, std::vector<Finding>& out);

// ---------------------------------------------------------------------------------------------------------------
// Reports

enum class ReportFormat { text, json, junit, tap, github };

/// One object that was checked, for the reports that list every object (junit test cases, TAP test points).
struct ObjectRef {
    std::string file;   ///< as in Finding::location.file
    int line = 0;       ///< where the object starts; 0 when unknown
    std::string object; ///< as in Finding::object ("Kind/name"; rendered objects end in " (rendered)")
};

struct Report {
    std::vector<std::string> inputs;    ///< files read, in order ("-" for stdin)
    std::size_t documents = 0;          ///< objects checked
    std::vector<Finding> findings;      ///< sorted by file, line, column, rule
    std::vector<std::string> notes;     ///< e.g. kinds with no schema, CEL rules not evaluated
    std::vector<ObjectRef> objects;     ///< every object checked, in input order
};

/// Renders a report. text: `file:line:col: error[RULE]: message` + indented `hint:` line per finding, then a
/// summary; json: a stable object with apiVersion "mlserve.dev/v1alpha1", kind "ValidationReport".
std::string format_report(const Report& report, ReportFormat format, bool color = false);

} // namespace mlserve::validate
