#pragma once
// Compiling and evaluating templates written inline as YAML, for the template tests.

#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "core/yaml.hpp"
#include "template/template.hpp"

namespace mlserve::test {

inline core::Json yaml(const std::string& text) {
    auto docs = core::parse_yaml(text, "inline.yaml");
    REQUIRE_MESSAGE(docs.ok(), (docs.ok() ? "" : docs.error().headline()));
    return docs->empty() ? core::Json() : docs->at(0).value;
}

inline core::Result<tmpl::CompiledTemplate> compile_yaml(const std::string& text, const std::string& file = "t.yaml") {
    auto docs = core::parse_yaml(text, file);
    REQUIRE_MESSAGE(docs.ok(), (docs.ok() ? "" : docs.error().headline()));
    return tmpl::compile_template(docs->at(0));
}

/// 2017-01-19T16:27:20.974Z, the clock of json-e's suite.
inline tmpl::EvalOptions fixed_clock() {
    using namespace std::chrono;
    tmpl::EvalOptions options;
    options.now = [] {
        return sys_days{year{2017} / January / 19} + hours{16} + minutes{27} + seconds{20} + milliseconds{974};
    };
    return options;
}

/// Compiles and evaluates; the template must compile.
inline core::Result<core::Json> render(const std::string& template_text, const core::Json& context,
                                       const std::string& file = "t.yaml") {
    auto compiled = compile_yaml(template_text, file);
    REQUIRE_MESSAGE(compiled.ok(), (compiled.ok() ? "" : compiled.error().headline()));
    return tmpl::evaluate(*compiled, context, fixed_clock());
}

/// The headline of the error a template/context pair fails with ("" if it does not fail).
inline std::string failure(const std::string& template_text, const core::Json& context,
                           const std::string& file = "t.yaml") {
    auto compiled = compile_yaml(template_text, file);
    if (!compiled.ok()) return compiled.error().headline();
    auto result = tmpl::evaluate(*compiled, context, fixed_clock());
    return result.ok() ? std::string() : result.error().headline();
}

} // namespace mlserve::test
