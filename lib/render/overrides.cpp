#include "render/overrides.hpp"

#include <set>

#include "core/text.hpp"
#include "render/patch.hpp"

namespace mlserve::render {

using core::Json;

namespace {

std::string string_member(const Json& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string object_name(const Json& object) {
    auto metadata = object.find("metadata");
    return metadata != object.end() && metadata->is_object() ? string_member(*metadata, "name") : std::string();
}

/// "Kind/name" of a rendered object, as the hints list them.
std::string display(const Json& object) { return string_member(object, "kind") + "/" + object_name(object); }

struct Target {
    std::string kind;
    std::string name;        ///< empty: any
    std::string api_version; ///< empty: any

    bool matches(const Json& object) const {
        return string_member(object, "kind") == kind && (name.empty() || object_name(object) == name) &&
               (api_version.empty() || string_member(object, "apiVersion") == api_version);
    }
    std::string describe() const {
        std::string out = "kind " + kind;
        if (!name.empty()) out += ", name \"" + name + "\"";
        if (!api_version.empty()) out += ", apiVersion " + api_version;
        return out;
    }
};

/// One line listing what was rendered, with a "did you mean" for a mistyped kind.
std::string unmatched_hint(const Target& target, const ManifestSet& manifests) {
    std::vector<std::string> kinds;
    std::set<std::string> seen;
    std::string listing;
    size_t listed = 0;
    for (const auto& manifest : manifests) {
        std::string kind = string_member(manifest.object, "kind");
        if (seen.insert(kind).second) kinds.push_back(kind);
        if (listed < 12) listing += (listed ? ", " : "") + display(manifest.object);
        ++listed;
    }
    if (listed > 12) listing += ", and " + std::to_string(listed - 12) + " more";
    if (manifests.empty()) return "nothing was rendered for this spec";
    std::string hint;
    if (!seen.count(target.kind)) {
        if (auto best = core::closest_match(target.kind, kinds); !best.empty()) hint = "did you mean '" + best + "'? ";
    }
    return hint + "rendered objects: " + listing;
}

core::Error entry_error(const core::Document& spec, const std::string& pointer, std::string message,
                        std::string hint = {}) {
    return core::input_error(std::move(message), spec.location(pointer), core::pointer_to_path(pointer),
                             std::move(hint));
}

core::Result<Target> read_target(const Json& entry, const core::Document& spec, const std::string& base) {
    auto it = entry.find("target");
    if (it == entry.end() || !it->is_object())
        return entry_error(spec, base, "an override needs a target",
                           "write target: {kind: InferenceService, name: NAME}");
    Target target{string_member(*it, "kind"), string_member(*it, "name"), string_member(*it, "apiVersion")};
    if (target.kind.empty())
        return entry_error(spec, base + "/target", "target.kind is required", "write target: {kind: InferenceService}");
    return target;
}

core::Result<void> apply_entry(ManifestSet& manifests, const Json& entry, const core::Document& spec, size_t index) {
    std::string base = core::pointer_append("/spec/overrides", std::to_string(index));
    if (!entry.is_object()) return entry_error(spec, base, "an override must be a map with target and a patch");
    auto target = read_target(entry, spec, base);
    MLSERVE_TRY(target);
    auto merge = entry.find("mergePatch");
    auto json = entry.find("jsonPatch");
    if ((merge == entry.end()) == (json == entry.end()))
        return entry_error(spec, base, "an override needs exactly one of mergePatch and jsonPatch",
                           "mergePatch is an RFC 7386 merge patch, jsonPatch an RFC 6902 list of operations");
    if (json != entry.end() && !json->is_array())
        return entry_error(spec, core::pointer_append(base, "jsonPatch"),
                           "a JSON patch must be a list of operations, not " +
                               std::string(json->is_object() ? "a map" : "a single value"),
                           "write jsonPatch: [{op: replace, path: /spec/replicas, value: 3}]");

    bool matched = false;
    for (auto& manifest : manifests) {
        if (!target->matches(manifest.object)) continue;
        matched = true;
        if (merge != entry.end()) {
            manifest.object = merge_patch(std::move(manifest.object), *merge);
            continue;
        }
        size_t failed = 0;
        auto patched = json_patch(manifest.object, *json, &failed);
        if (!patched) {
            std::string pointer = core::pointer_append(core::pointer_append(base, "jsonPatch"), std::to_string(failed));
            return entry_error(spec, pointer, patched.error().message + " in " + display(manifest.object),
                               patched.error().hint);
        }
        manifest.object = std::move(*patched);
    }
    if (!matched)
        return entry_error(spec, base + "/target", "no rendered object matches " + target->describe(),
                           unmatched_hint(*target, manifests));
    return {};
}

} // namespace

core::Result<void> apply_overrides(ManifestSet& manifests, const core::Document& spec) {
    auto spec_it = spec.value.find("spec");
    if (spec_it == spec.value.end() || !spec_it->is_object()) return {};
    auto overrides = spec_it->find("overrides");
    if (overrides == spec_it->end() || overrides->is_null()) return {};
    if (!overrides->is_array())
        return entry_error(spec, "/spec/overrides", "overrides must be a list",
                           "write overrides: [{target: {kind: KIND}, mergePatch: {...}}]");
    for (size_t i = 0; i < overrides->size(); ++i) MLSERVE_TRY(apply_entry(manifests, (*overrides)[i], spec, i));
    return {};
}

} // namespace mlserve::render
