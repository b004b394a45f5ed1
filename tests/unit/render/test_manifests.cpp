#include <doctest/doctest.h>

#include "render/manifests.hpp"

using mlserve::core::Json;
using mlserve::render::canonical_order;
using mlserve::render::collect_objects;
using mlserve::render::kind_rank;
using mlserve::render::ManifestSet;

namespace {

Json object(const std::string& api_version, const std::string& kind, const std::string& ns, const std::string& name) {
    Json metadata = {{"name", name}};
    if (!ns.empty()) metadata["namespace"] = ns;
    return Json{{"apiVersion", api_version}, {"kind", kind}, {"metadata", metadata}};
}

std::string order(const ManifestSet& manifests) {
    std::string out;
    for (const auto& m : manifests) {
        out += m.object["kind"].get<std::string>() + " ";
        const Json& metadata = m.object["metadata"];
        if (metadata.contains("namespace")) out += metadata["namespace"].get<std::string>() + "/";
        out += m.object["metadata"]["name"].get<std::string>() + "\n";
    }
    return out;
}

std::string collect_error(const Json& result) {
    ManifestSet out;
    auto collected = collect_objects(result, "kserve/isvc.yaml", out);
    REQUIRE_FALSE(collected.ok());
    CHECK(collected.error().code == mlserve::core::ExitCode::usage);
    return collected.error().message;
}

} // namespace

TEST_CASE("collect_objects takes an object, a list of objects or null") {
    ManifestSet out;
    REQUIRE(collect_objects(object("v1", "Service", "ml", "a"), "svc.yaml", out).ok());
    REQUIRE(collect_objects(Json::array({object("v1", "ConfigMap", "ml", "b"), object("v1", "ConfigMap", "", "c")}),
                            "cm.yaml", out)
                .ok());
    REQUIRE(collect_objects(nullptr, "off.yaml", out).ok());
    REQUIRE(collect_objects(Json::array(), "empty.yaml", out).ok());
    REQUIRE(out.size() == 3);
    CHECK(out[0].source == "svc.yaml");
    CHECK(out[2].source == "cm.yaml");
    CHECK(out[2].object["metadata"]["name"] == "c");
}

TEST_CASE("collect_objects names the template when a result is not a Kubernetes object") {
    CHECK(collect_error("text") == "template kserve/isvc.yaml: expected an object, a list or null, got string");
    CHECK(collect_error(Json::array({object("v1", "A", "", "a"), 3})) ==
          "template kserve/isvc.yaml: item 1: expected an object, got number");
    CHECK(collect_error(Json::array({nullptr})) == "template kserve/isvc.yaml: item 0: expected an object, got null");
    CHECK(collect_error(Json::parse(R"({"kind":"Service","metadata":{"name":"a"}})")) ==
          "template kserve/isvc.yaml: the object has no apiVersion");
    CHECK(collect_error(Json::parse(R"({"apiVersion":"v1","kind":"","metadata":{"name":"a"}})")) ==
          "template kserve/isvc.yaml: the object has no kind");
    CHECK(collect_error(Json::parse(R"({"apiVersion":"v1","kind":"Service"})")) ==
          "template kserve/isvc.yaml: Service has no metadata");
    CHECK(collect_error(Json::parse(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":7}})")) ==
          "template kserve/isvc.yaml: Service has no metadata.name");
    CHECK(collect_error(Json::parse(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"a","namespace":1}})")) ==
          "template kserve/isvc.yaml: Service a has a metadata.namespace that is not a string");
}

TEST_CASE("kind_rank follows the canonical kind order and puts other kinds last") {
    CHECK(kind_rank("Namespace") == 0);
    CHECK(kind_rank("InferenceService") < kind_rank("Rollout"));
    CHECK(kind_rank("PrometheusRule") < kind_rank("Application"));
    CHECK(kind_rank("Gateway") == kind_rank("Zebra"));
    CHECK(kind_rank("Application") < kind_rank("Gateway"));
}

TEST_CASE("canonical_order sorts by kind order, then namespace, then name") {
    ManifestSet manifests = {
        {object("argoproj.io/v1alpha1", "Application", "argocd", "fraud"), "a"},
        {object("networking.istio.io/v1", "VirtualService", "ml", "fraud"), "b"},
        {object("gateway.networking.k8s.io/v1", "HTTPRoute", "ml", "r"), "c"},
        {object("v1", "Service", "ml", "b"), "d"},
        {object("v1", "Service", "ml", "a"), "e"},
        {object("v1", "Service", "aa", "z"), "f"},
        {object("gateway.networking.k8s.io/v1", "Gateway", "ml", "g"), "g"},
        {object("serving.kserve.io/v1beta1", "InferenceService", "ml", "fraud"), "h"},
        {object("v1", "Namespace", "", "ml"), "i"},
        {object("autoscaling/v2", "HorizontalPodAutoscaler", "ml", "fraud"), "j"},
    };
    REQUIRE(canonical_order(manifests).ok());
    CHECK(order(manifests) == "Namespace ml\n"
                              "Service aa/z\n"
                              "Service ml/a\n"
                              "Service ml/b\n"
                              "InferenceService ml/fraud\n"
                              "HorizontalPodAutoscaler ml/fraud\n"
                              "VirtualService ml/fraud\n"
                              "Application argocd/fraud\n"
                              "Gateway ml/g\n"
                              "HTTPRoute ml/r\n");
}

TEST_CASE("canonical_order refuses the same object twice, and tells groups apart") {
    ManifestSet distinct = {{object("v1", "Service", "ml", "a"), "x"},
                            {object("example.com/v1", "Service", "ml", "a"), "y"},
                            {object("v1", "Service", "ml2", "a"), "z"}};
    CHECK(canonical_order(distinct).ok());

    ManifestSet twice = {{object("serving.kserve.io/v1beta1", "InferenceService", "ml", "a"), "kserve/isvc.yaml"},
                         {object("v1", "Service", "ml", "a"), "svc.yaml"},
                         {object("serving.kserve.io/v1alpha1", "InferenceService", "ml", "a"), "extra/isvc.yaml"}};
    auto result = canonical_order(twice);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().message ==
          "two rendered objects are both InferenceService ml/a: from kserve/isvc.yaml and extra/isvc.yaml");
    CHECK(result.error().code == mlserve::core::ExitCode::usage);
}

TEST_CASE("object_identity ignores the version but not the group, and describe_object reads well") {
    using mlserve::render::describe_object;
    using mlserve::render::object_identity;
    CHECK(object_identity(object("serving.kserve.io/v1beta1", "InferenceService", "ml", "a")) ==
          object_identity(object("serving.kserve.io/v1alpha1", "InferenceService", "ml", "a")));
    CHECK(object_identity(object("v1", "Service", "ml", "a")) !=
          object_identity(object("x.io/v1", "Service", "ml", "a")));
    CHECK(object_identity(object("v1", "Service", "a", "b|c")) != object_identity(object("v1", "Service", "a|b", "c")));
    CHECK(describe_object(object("v1", "Service", "ml", "a")) == "Service ml/a");
    CHECK(describe_object(object("v1", "Namespace", "", "ml")) == "Namespace ml");
}
