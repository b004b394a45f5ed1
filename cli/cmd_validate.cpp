// `kubectl mlserve validate`: specs and manifests against schemas, semantic rules and policy, offline.
#include <iostream>
#include <map>
#include <memory>

#include "context.hpp"
#include "core/terminal.hpp"
#include "validate/run.hpp"

namespace mlserve::cli {
namespace {

constexpr const char* k_validate_long =
    "Checks Kubernetes manifests and ModelDeployment specs before anything reaches a cluster: every object\n"
    "against the structural schema of its kind (CRDs and Kubernetes OpenAPI v3 documents), the rules the KServe,\n"
    "Seldon and Argo Rollouts webhooks and controllers enforce, and production policy. A spec is checked as a\n"
    "spec and as the manifests it renders; findings in rendered objects point at the spec's first line and name\n"
    "the object and field. Findings carry file:line:col, the rule id and a hint.\n\n"
    "Inputs: files, directories (their *.yaml, *.yml and *.json files, subdirectories included unless\n"
    "--recursive=false) and - for standard input; multi-document YAML, JSON, and List objects (each item is\n"
    "checked). A file that does not parse is reported at file:line:col and the other files are still checked.\n\n"
    "Schemas come from each --schema-location in order (a directory, searched recursively, a CRD or OpenAPI file,\n"
    "or an http(s) URL); without one, from the directories in $MLSERVE_SCHEMA_PATH (':'-separated), else from\n"
    "~/.local/share/kubectl-mlserve/schemas. An object whose kind has no schema gets a schema.not-found warning, an\n"
    "error with --strict. Unknown fields are errors: the API server would drop them without a word. CEL rules\n"
    "(x-kubernetes-validations) are not evaluated; -v lists them.\n\n"
    "Rules can be disabled by id or category (--disable) and their severity changed (--severity); --list-rules\n"
    "lists them. Reports: -o text (default), json, junit, tap, github (workflow annotations).\n\n"
    "Exit codes: 0 no error findings (warnings allowed), 3 error findings, 2 usage errors or an input that\n"
    "cannot be read or parsed, 1 a schema source that cannot be fetched.";

constexpr const char* k_validate_examples =
    "  # Validate a spec (as a spec and as what it renders) against the CRDs and Kubernetes schemas in schemas/\n"
    "  kubectl mlserve validate -f model.yaml --schema-location schemas/\n\n"
    "  # Validate a tree of manifests in CI, with JUnit output\n"
    "  kubectl mlserve validate -f manifests/ --schema-location schemas/ --strict -o junit > validate.xml\n\n"
    "  # Validate what render prints, as GitHub annotations\n"
    "  kubectl mlserve render -f model.yaml | kubectl mlserve validate -f - -o github\n\n"
    "  # Production policy: two replicas in ml-production, signed images, no image pinning rule\n"
    "  kubectl mlserve validate -f manifests/ --production-namespace ml-production --require-signed-images \\\n"
    "      --disable policy.image-pinned\n\n"
    "  # List the rules\n"
    "  kubectl mlserve validate --list-rules\n";

struct ValidateOptions {
    std::vector<std::string> filenames;
    bool recursive = true;
    std::string output = "text";
    std::vector<std::string> schema_locations;
    bool strict = false;
    bool list_rules = false;
    std::vector<std::string> disable;
    std::vector<std::string> severity;
    std::vector<std::string> production_namespaces;
    bool require_signed_images = false;
    std::string templates;
};

void add_flags(CLI::App& cmd, ValidateOptions& o) {
    cmd.add_option("-f,--filename", o.filenames, "file, directory, or - for standard input (repeatable)")
        ->type_name("FILE|DIR|-");
    cmd.add_flag("-R,--recursive{true}", o.recursive,
                 "look in the subdirectories of -f directories too (default true; --recursive=false: top level only)");
    cmd.add_option("-o,--output", o.output, "report format: text|json|junit|tap|github")
        ->check(CLI::IsMember({"text", "json", "junit", "tap", "github"}))
        ->type_name("FORMAT");
    cmd.add_option("--schema-location", o.schema_locations,
                   "CRD/OpenAPI directory, file or http(s) URL, in order (repeatable)")
        ->type_name("DIR|FILE|URL");
    cmd.add_flag("--strict", o.strict, "a kind without a schema is an error, not a warning");
    cmd.add_flag("--list-rules", o.list_rules, "list the rules (id, category, severity, description) and exit");
    cmd.add_option("--disable", o.disable, "turn rules off, by id or category (repeatable, comma-separated)")
        ->type_name("RULE[,RULE]");
    cmd.add_option("--severity", o.severity, "change a rule's severity (repeatable)")
        ->type_name("RULE=error|warning|info");
    cmd.add_option("--production-namespace", o.production_namespaces,
                   "namespace where production policy (replicas) applies (repeatable; default every namespace)")
        ->type_name("NS");
    cmd.add_flag("--require-signed-images", o.require_signed_images, "require the signed-image annotation");
    cmd.add_option("--templates", o.templates, "templates that specs are rendered with (see templates export)")
        ->type_name("DIR");
}

} // namespace

void add_validate_command(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<ValidateOptions>();
    auto* cmd = app.add_subcommand("validate", "check specs and manifests against schemas, rules and policy");
    cmd->footer(std::string(k_validate_long) + "\n\nExamples:\n" + k_validate_examples);
    add_flags(*cmd, *opts);
    cmd->callback([opts, &ctx] {
        static const std::map<std::string, validate::ReportFormat> k_formats = {
            {"text", validate::ReportFormat::text},   {"json", validate::ReportFormat::json},
            {"junit", validate::ReportFormat::junit}, {"tap", validate::ReportFormat::tap},
            {"github", validate::ReportFormat::github}};
        auto format = k_formats.at(opts->output);
        if (opts->list_rules) {
            std::cout << validate::format_rule_catalog(validate::rule_catalog(), format) << std::flush;
            return;
        }
        if (opts->filenames.empty()) {
            ctx.error = core::input_error("no input given", {}, {}, "pass -f FILE, -f DIR or -f - (standard input)");
            return;
        }
        auto rules = validate::rule_config(opts->disable, opts->severity, opts->production_namespaces,
                                           opts->require_signed_images);
        if (!ctx.check(rules)) return;
        auto outcome = validate::run_validate({{opts->filenames, opts->recursive, opts->templates},
                                               opts->schema_locations, opts->strict, ctx.flags.verbosity > 0,
                                               std::move(*rules)});
        if (!ctx.check(outcome)) return;
        bool color = format == validate::ReportFormat::text && core::use_color(stdout, ctx.flags.no_color);
        std::cout << validate::format_report(outcome->report, format, color) << std::flush;
        ctx.exit_code = outcome->exit_code;
    });
}

} // namespace mlserve::cli
