#pragma once
// Shared by the rules tests: loading manifests and running check_rules over them.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/yaml.hpp"
#include "validate/validate.hpp"

namespace mlserve::test {

/// Every document of `text` as Manifests of one file set.
inline std::vector<validate::Manifest> manifests_of(const std::string& text, const std::string& file = "case.yaml") {
    auto docs = core::parse_yaml(text, file);
    REQUIRE_MESSAGE(docs.ok(), (docs.ok() ? "" : docs.error().headline()));
    std::vector<validate::Manifest> out;
    for (size_t i = 0; i < docs->size(); ++i) out.push_back({std::move((*docs)[i]), i});
    return out;
}

/// Every document of the files at `paths`, as one file set.
inline std::vector<validate::Manifest> load_manifests(const std::vector<std::string>& paths) {
    std::vector<validate::Manifest> out;
    for (const auto& path : paths) {
        auto docs = core::load_yaml_file(path);
        REQUIRE_MESSAGE(docs.ok(), (docs.ok() ? path : docs.error().headline()));
        for (size_t i = 0; i < docs->size(); ++i) out.push_back({std::move((*docs)[i]), i});
    }
    return out;
}

inline std::vector<validate::Finding> findings_of(const std::vector<validate::Manifest>& manifests,
                                                  const validate::RuleConfig& config = {}) {
    std::vector<validate::Finding> out;
    validate::check_rules(manifests, config, out);
    return out;
}

/// "rule line:col message" for comparisons and failure output.
inline std::string describe(const validate::Finding& f) {
    return f.rule + " " + std::to_string(f.location.line) + ":" + std::to_string(f.location.column) + " " + f.message;
}

inline std::string describe_all(const std::vector<validate::Finding>& findings) {
    std::string out;
    for (const auto& f : findings)
        out += "  " + describe(f) + " [" + std::string(validate::severity_name(f.severity)) + ", " + f.object + ", " +
               f.path + "]\n";
    return out;
}

} // namespace mlserve::test
