#pragma once
// The `validate` verb: inputs -> objects -> schemas and rules -> one report and an exit code.

#include <string>
#include <vector>

#include "core/error.hpp"
#include "validate/inputs.hpp"
#include "validate/validate.hpp"

namespace mlserve::validate {

struct ValidateRequest {
    InputOptions inputs;
    std::vector<std::string> schema_locations; ///< --schema-location values in order; empty: the defaults
    bool strict = false;                       ///< a missing schema is an error instead of a warning
    bool verbose = false;                      ///< -v: info findings for CEL rules that were not evaluated
    RuleConfig rules;                          ///< --disable, --severity, --production-namespace, ...
};

struct ValidateOutcome {
    Report report;
    core::ExitCode exit_code = core::ExitCode::ok; ///< 0 clean or warnings only, 3 error findings, 2 malformed input
};

/// The rule configuration from the CLI's flags: --disable values (each may list several ids separated by ','),
/// --severity RULE=error|warning|info values, --production-namespace and --require-signed-images.
/// Errors (exit 2): a --severity value without '=' or with another level. Unknown rule ids are refused by
/// run_validate, which knows the catalogue.
core::Result<RuleConfig> rule_config(const std::vector<std::string>& disable, const std::vector<std::string>& severity,
                                     const std::vector<std::string>& production_namespaces, bool require_signed_images);

/// `validate --list-rules`: a table (id, category, default severity, doc) for text, else a JSON list.
std::string format_rule_catalog(const std::vector<RuleInfo>& rules, ReportFormat format);

/// Where schemas come from when no --schema-location is given: the directories of $MLSERVE_SCHEMA_PATH
/// (separated by ':'; those that do not exist skipped), else $XDG_DATA_HOME/kubectl-mlserve/schemas (~/.local/share/kubectl-mlserve/schemas; what
/// `schemas pull` will fill; not ~/.cache, where the schema store keeps its compiled index) when it exists, else
/// none (every object then gets a schema.not-found warning).
std::vector<std::string> default_schema_locations();

/// Reads the inputs (read_inputs), checks each object against its schema and all of them together against the
/// semantic and policy rules, applies --disable and --severity to every finding (input.*, spec.* and schema.*
/// included) and returns the report, findings sorted by input order, line, column and rule.
/// Errors: unknown rule ids in the rule config (exit 2), bad inputs as read_inputs, a schema source that is
/// broken (exit 2, naming it) or unreachable (exit 1).
core::Result<ValidateOutcome> run_validate(const ValidateRequest& request);

} // namespace mlserve::validate
