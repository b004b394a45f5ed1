#pragma once
// What the template tests share: render a spec written as YAML, and pick objects of one kind.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/yaml.hpp"
#include "render/render.hpp"
#include "spec/spec.hpp"

namespace mlserve::test {

/// Renders one spec written as YAML; fails the test on any error.
inline render::ManifestSet render_text(const std::string& text) {
    auto docs = core::parse_yaml(text, "model.yaml");
    REQUIRE(docs.ok());
    auto loaded = spec::load_spec(docs->at(0));
    if (!loaded.ok()) FAIL(loaded.error().message);
    auto manifests = render::render(*loaded);
    if (!manifests.ok()) FAIL(manifests.error().message);
    return std::move(*manifests);
}

/// The objects of one kind, in render order.
inline std::vector<core::Json> of_kind(const render::ManifestSet& set, const std::string& kind) {
    std::vector<core::Json> out;
    for (const auto& m : set)
        if (m.object["kind"] == kind) out.push_back(m.object);
    return out;
}

} // namespace mlserve::test
