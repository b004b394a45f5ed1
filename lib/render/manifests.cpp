#include "render/manifests.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <tuple>

namespace mlserve::render {

using core::Json;

namespace {

/// Dependencies first: namespaces and identities, then configuration, storage, the workloads, what acts on
/// them (rollouts, autoscalers, routing, policy), monitoring, and finally the GitOps Application.
constexpr std::array<std::string_view, 16> k_kind_order = {
    "Namespace",        "ServiceAccount",          "ConfigMap",       "PersistentVolumeClaim",
    "Service",          "Deployment",              "InferenceService", "SeldonDeployment",
    "Rollout",          "AnalysisTemplate",        "HorizontalPodAutoscaler", "VirtualService",
    "NetworkPolicy",    "ServiceMonitor",          "PrometheusRule",  "Application",
};

const Json* member(const Json& object, const char* key) {
    auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

std::string text(const Json& object, const char* key) {
    const Json* value = member(object, key);
    return value && value->is_string() ? value->get<std::string>() : std::string();
}

std::string metadata_text(const Json& object, const char* key) {
    const Json* metadata = member(object, "metadata");
    return metadata && metadata->is_object() ? text(*metadata, key) : std::string();
}

std::string group_of(const std::string& api_version) {
    size_t slash = api_version.find('/');
    return slash == std::string::npos ? std::string() : api_version.substr(0, slash);
}

core::Error object_error(const std::string& what, const std::string& problem) {
    return core::input_error(what + ": " + problem, {}, {},
                             "a template must give an object with apiVersion, kind and metadata.name, a list of "
                             "such objects, or null when it does not apply");
}

} // namespace

std::string describe_object(const Json& object) {
    std::string ns = metadata_text(object, "namespace");
    return text(object, "kind") + " " + (ns.empty() ? "" : ns + "/") + metadata_text(object, "name");
}

std::string object_identity(const Json& object) {
    // A JSON list, so that no name can make two identities equal.
    return Json::array({group_of(text(object, "apiVersion")), text(object, "kind"), metadata_text(object, "namespace"),
                        metadata_text(object, "name")})
        .dump();
}

core::Result<void> check_object(const Json& object, const std::string& what) {
    if (!object.is_object()) return object_error(what, "expected an object, got " + std::string(object.type_name()));
    for (const char* key : {"apiVersion", "kind"}) {
        const Json* value = member(object, key);
        if (!value || !value->is_string() || value->get_ref<const std::string&>().empty())
            return object_error(what, std::string("the object has no ") + key);
    }
    const Json* metadata = member(object, "metadata");
    if (!metadata || !metadata->is_object()) return object_error(what, text(object, "kind") + " has no metadata");
    const Json* name = member(*metadata, "name");
    if (!name || !name->is_string() || name->get_ref<const std::string&>().empty())
        return object_error(what, text(object, "kind") + " has no metadata.name");
    const Json* ns = member(*metadata, "namespace");
    if (ns && !ns->is_string())
        return object_error(what, describe_object(object) + " has a metadata.namespace that is not a string");
    return {};
}

core::Result<void> collect_objects(Json result, const std::string& source, ManifestSet& out) {
    if (result.is_null()) return {};
    if (result.is_object()) {
        MLSERVE_TRY(check_object(result, "template " + source));
        out.push_back({std::move(result), source});
        return {};
    }
    if (!result.is_array())
        return object_error("template " + source, "expected an object, a list or null, got " +
                                                      std::string(result.type_name()));
    for (size_t i = 0; i < result.size(); ++i) {
        MLSERVE_TRY(check_object(result[i], "template " + source + ": item " + std::to_string(i)));
        out.push_back({std::move(result[i]), source});
    }
    return {};
}

size_t kind_rank(std::string_view kind) {
    auto it = std::find(k_kind_order.begin(), k_kind_order.end(), kind);
    return static_cast<size_t>(it - k_kind_order.begin());
}

core::Result<void> canonical_order(ManifestSet& manifests) {
    struct Key {
        size_t rank;
        std::string kind, ns, name;
        auto tie() const { return std::tie(rank, kind, ns, name); }
    };
    auto key = [](const Json& object) {
        std::string kind = text(object, "kind");
        size_t rank = kind_rank(kind);
        return Key{rank, rank < k_kind_order.size() ? std::string() : kind, metadata_text(object, "namespace"),
                   metadata_text(object, "name")};
    };
    std::stable_sort(manifests.begin(), manifests.end(), [&](const Manifest& a, const Manifest& b) {
        return key(a.object).tie() < key(b.object).tie();
    });

    std::map<std::string, const Manifest*> seen;
    for (const auto& manifest : manifests) {
        const Json& object = manifest.object;
        auto [it, fresh] = seen.emplace(object_identity(object), &manifest);
        if (!fresh)
            return core::input_error("two rendered objects are both " + describe_object(object) + ": from " +
                                         it->second->source + " and " + manifest.source,
                                     {}, {},
                                     "give one of them another name, or drop one with an override or --templates");
    }
    return {};
}

} // namespace mlserve::render
