// validate's flags about rules: --disable, --severity and the rule list of --list-rules.

#include <algorithm>

#include "core/json.hpp"
#include "core/text.hpp"
#include "validate/run.hpp"

namespace mlserve::validate {

core::Result<RuleConfig> rule_config(const std::vector<std::string>& disable, const std::vector<std::string>& severity,
                                     const std::vector<std::string>& production_namespaces,
                                     bool require_signed_images) {
    RuleConfig config;
    for (const auto& value : disable)
        for (auto& id : core::split(value, ','))
            if (!id.empty()) config.disabled.insert(id);
    for (const auto& value : severity) {
        auto eq = value.find('=');
        std::string level = eq == std::string::npos ? std::string() : value.substr(eq + 1);
        Severity parsed = Severity::error;
        if (level == "warning") parsed = Severity::warning;
        else if (level == "info") parsed = Severity::info;
        else if (level != "error")
            return core::input_error("--severity \"" + value + "\" is not RULE=error|warning|info", {}, {},
                                     "e.g. --severity policy.image-pinned=warning");
        config.severity[value.substr(0, eq)] = parsed;
    }
    config.production_namespaces.insert(production_namespaces.begin(), production_namespaces.end());
    config.require_signed_images = require_signed_images;
    return config;
}

std::string format_rule_catalog(const std::vector<RuleInfo>& rules, ReportFormat format) {
    if (format != ReportFormat::text) {
        core::Json list = core::Json::array();
        for (const auto& rule : rules)
            list.push_back(core::Json{{"id", rule.id},
                                      {"category", rule.category},
                                      {"severity", severity_name(rule.default_severity)},
                                      {"doc", rule.doc}});
        return list.dump(2) + "\n";
    }
    std::size_t id_width = 2, category_width = 8;
    for (const auto& rule : rules) {
        id_width = std::max(id_width, rule.id.size());
        category_width = std::max(category_width, rule.category.size());
    }
    auto row = [&](const std::string& id, const std::string& category, std::string_view severity,
                   const std::string& doc) {
        std::string line = id + std::string(id_width - id.size() + 2, ' ') + category +
                           std::string(category_width - category.size() + 2, ' ') + std::string(severity);
        return line + std::string(10 - severity.size(), ' ') + doc + "\n";
    };
    std::string out = row("ID", "CATEGORY", "SEVERITY", "DESCRIPTION");
    for (const auto& rule : rules) out += row(rule.id, rule.category, severity_name(rule.default_severity), rule.doc);
    return out;
}

} // namespace mlserve::validate
