#pragma once
// What the spec tests share: load a spec written as YAML, and an error as one comparable line.
#include <doctest/doctest.h>

#include <string>

#include "core/yaml.hpp"
#include "spec/spec.hpp"

namespace mlserve::test {

/// Parses `text` as s.yaml and loads its first document.
inline core::Result<spec::LoadedSpec> load(const std::string& text) {
    auto docs = core::parse_yaml(text, "s.yaml");
    REQUIRE(docs.ok());
    return spec::load_spec(docs->at(0));
}

/// "headline | hint" of the input error loading `text` gives, or "<loaded>".
inline std::string error_of(const std::string& text) {
    auto loaded = load(text);
    if (loaded.ok()) return "<loaded>";
    CHECK(loaded.error().code == core::ExitCode::usage);
    return loaded.error().headline() + " | " + loaded.error().hint;
}

} // namespace mlserve::test
