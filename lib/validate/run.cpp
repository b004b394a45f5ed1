// The `validate` verb: read the inputs, check every object against its schema and all of them against the rules.

#include "validate/run.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_map>

#include "core/text.hpp"

namespace mlserve::validate {

namespace {

/// Unknown rule ids in --disable/--severity are usage errors: a typo must not silently disable nothing.
core::Result<void> check_rule_ids(const RuleConfig& config, const std::vector<RuleInfo>& catalog) {
    std::vector<std::string> ids;
    std::set<std::string> categories;
    for (const auto& rule : catalog) {
        ids.push_back(rule.id);
        categories.insert(rule.category);
    }
    auto known = [&](const std::string& id) { return std::binary_search(ids.begin(), ids.end(), id); };
    auto unknown = [&](const std::string& id, const std::string& flag) {
        std::string hint = core::suggestion_hint(id, ids);
        return core::input_error("unknown rule \"" + id + "\" in " + flag, {}, {},
                                 hint.empty() ? "kubectl mlserve validate --list-rules lists them" : hint);
    };
    for (const auto& id : config.disabled)
        if (!known(id) && !categories.count(id)) return unknown(id, "--disable");
    for (const auto& [id, severity] : config.severity)
        if (!known(id)) return unknown(id, "--severity");
    return {};
}

/// --disable and --severity over findings of any rule (check_rules honours them itself; this covers the rest).
void apply_config(const RuleConfig& config, const std::vector<RuleInfo>& catalog, std::vector<Finding>& findings) {
    std::unordered_map<std::string, std::string> category;
    for (const auto& rule : catalog) category[rule.id] = rule.category;
    auto disabled = [&](const Finding& f) {
        if (config.disabled.count(f.rule)) return true;
        auto it = category.find(f.rule);
        return it != category.end() && config.disabled.count(it->second) > 0;
    };
    findings.erase(std::remove_if(findings.begin(), findings.end(), disabled), findings.end());
    for (auto& f : findings)
        if (auto it = config.severity.find(f.rule); it != config.severity.end()) f.severity = it->second;
}

std::string location_key(const core::SourceLocation& location) {
    return location.file + ':' + std::to_string(location.line) + ':' + std::to_string(location.column);
}

class Checker {
public:
    Checker(const ValidateRequest& request, const SchemaStore& store) : m_request(request), m_store(store) {}

    /// Schema findings for one object; a missing schema is schema.not-found (error with --strict).
    core::Result<void> check(const Manifest& manifest, bool rendered, std::vector<Finding>& out) {
        std::string api_version = manifest.api_version(), kind = manifest.kind();
        auto schema = m_store.find(api_version, kind); // the store compiles each kind once and remembers misses
        MLSERVE_TRY(schema);
        std::string object = manifest.display_name() + (rendered ? " (rendered)" : "");
        if (*schema == nullptr) {
            ++m_missing[api_version + ' ' + kind];
            out.push_back(Finding{"schema.not-found", m_request.strict ? Severity::error : Severity::warning,
                                  "no schema for " + kind + " (" + api_version + ")",
                                  "pass its CRD or OpenAPI document with --schema-location DIR|FILE|URL",
                                  manifest.doc.location("/kind"), "kind", object});
            return {};
        }
        size_t first = out.size();
        SchemaOptions options;
        options.report_unevaluated_cel = m_request.verbose;
        check_schema(manifest, **schema, options, out);
        if (rendered)
            for (size_t i = first; i < out.size(); ++i) out[i].object = object;
        return {};
    }

    /// One note per kind without a schema.
    void notes(std::vector<std::string>& out) const {
        for (const auto& [key, count] : m_missing)
            out.push_back("no schema for " + key + " (" + std::to_string(count) + (count == 1 ? " object" : " objects") +
                          "): pass --schema-location with its CRD or OpenAPI document");
    }

private:
    const ValidateRequest& m_request;
    const SchemaStore& m_store;
    std::map<std::string, size_t> m_missing;
};

/// Rendered objects have one position, the spec document's start: a rule finding there belongs to one of them.
void mark_rendered(const InputSet& inputs, std::vector<Finding>& findings, size_t first) {
    std::set<std::string> starts;
    for (size_t i = 0; i < inputs.manifests.size(); ++i)
        if (inputs.rendered[i]) starts.insert(location_key(inputs.manifests[i].doc.location("")));
    if (starts.empty()) return;
    for (size_t i = first; i < findings.size(); ++i) {
        auto& f = findings[i];
        if (!starts.count(location_key(f.location))) continue;
        const std::string suffix = " (rendered)";
        if (f.object.size() < suffix.size() || f.object.compare(f.object.size() - suffix.size(), suffix.size(), suffix))
            f.object = f.object.empty() ? "(rendered)" : f.object + suffix;
    }
}

void sort_findings(const std::vector<ObjectRef>& objects, std::vector<Finding>& findings) {
    std::unordered_map<std::string, size_t> order;
    for (const auto& object : objects) order.emplace(object.file, order.size());
    auto rank = [&](const std::string& file) {
        auto it = order.find(file);
        return it == order.end() ? order.size() : it->second;
    };
    std::stable_sort(findings.begin(), findings.end(), [&](const Finding& a, const Finding& b) {
        auto ka = std::make_tuple(rank(a.location.file), a.location.line, a.location.column);
        auto kb = std::make_tuple(rank(b.location.file), b.location.line, b.location.column);
        if (ka != kb) return ka < kb;
        return a.rule < b.rule;
    });
}

} // namespace

std::vector<std::string> default_schema_locations() {
    if (const char* path = std::getenv("MLSERVE_SCHEMA_PATH"); path && *path) {
        std::vector<std::string> out;
        std::error_code ec;
        // like $PATH: entries that do not exist are skipped
        for (auto& part : core::split(path, ':'))
            if (!part.empty() && std::filesystem::exists(part, ec)) out.push_back(part);
        return out;
    }
    std::string data;
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) data = xdg;
    else if (const char* home = std::getenv("HOME"); home && *home) data = std::string(home) + "/.local/share";
    if (data.empty()) return {};
    std::string pulled = data + "/kubectl-mlserve/schemas";
    std::error_code ec;
    if (std::filesystem::is_directory(pulled, ec)) return {pulled};
    return {};
}

core::Result<ValidateOutcome> run_validate(const ValidateRequest& request) {
    std::vector<RuleInfo> catalog = rule_catalog();
    MLSERVE_TRY(check_rule_ids(request.rules, catalog));
    SchemaStore store;
    std::vector<std::string> locations =
        request.schema_locations.empty() ? default_schema_locations() : request.schema_locations;
    for (const auto& location : locations) MLSERVE_TRY(store.add_location(location));

    auto inputs = read_inputs(request.inputs);
    MLSERVE_TRY(inputs);
    ValidateOutcome outcome;
    Report& report = outcome.report;
    report.findings = std::move(inputs->findings);
    Checker checker(request, store);
    for (size_t i = 0; i < inputs->manifests.size(); ++i)
        MLSERVE_TRY(checker.check(inputs->manifests[i], inputs->rendered[i], report.findings));
    size_t first_rule_finding = report.findings.size();
    // with both categories off there is nothing to run (check_rules would still index every object)
    if (!request.rules.disabled.count("semantic") || !request.rules.disabled.count("policy"))
        check_rules(inputs->manifests, request.rules, report.findings);
    mark_rendered(*inputs, report.findings, first_rule_finding);
    apply_config(request.rules, catalog, report.findings);
    sort_findings(inputs->objects, report.findings);

    if (locations.empty())
        report.notes.push_back("no schema sources: pass --schema-location DIR|FILE|URL, or set MLSERVE_SCHEMA_PATH");
    checker.notes(report.notes);
    report.inputs = std::move(inputs->files);
    report.documents = inputs->objects.size();
    report.objects = std::move(inputs->objects);
    bool errors = std::any_of(report.findings.begin(), report.findings.end(),
                              [](const Finding& f) { return f.severity == Severity::error; });
    outcome.exit_code = inputs->malformed ? core::ExitCode::usage
                        : errors          ? core::ExitCode::check_failed
                                          : core::ExitCode::ok;
    return outcome;
}

} // namespace mlserve::validate
