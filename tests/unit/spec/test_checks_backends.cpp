// The checks of what one backend's objects cannot express (lib/spec/checks_backends.cpp).
#include <doctest/doctest.h>

#include "core/yaml.hpp"
#include "spec/spec.hpp"
#include "unit/spec/spec_helpers.hpp"

using mlserve::test::error_of;
using mlserve::test::load;

namespace {

std::string spec_text(const std::string& body, const std::string& name = "fraud", const std::string& ns = "ml") {
    return "apiVersion: mlserve.io/v1alpha1\nkind: ModelDeployment\nmetadata:\n  name: " + name + "\n  namespace: " +
           ns + "\nspec:\n" + body;
}

const std::string k_seldon = "  backend: seldon\n";

} // namespace

TEST_CASE("a Seldon canary must be served over the SeldonDeployment's one protocol") {
    // sklearn defaults to SKLEARN_SERVER over v2; a TensorFlow canary gets TENSORFLOW_SERVER over v1.
    CHECK(error_of(spec_text(k_seldon + "  model: {format: sklearn, storageUri: s3://b/m}\n"
                                        "  canary:\n    model: {format: tensorflow, storageUri: s3://b/tf}\n")) ==
          "s.yaml:10:21: spec.canary.model.format: the canary needs Seldon protocol \"tensorflow\" (TENSORFLOW_SERVER, "
          "protocol v1) but the SeldonDeployment uses \"v2\" from the stable model (SKLEARN_SERVER, protocol v2) | a "
          "SeldonDeployment has one protocol for every predictor: give the canary protocol v2 and a server that "
          "speaks it, or change the protocol without a canary");
    // The same protocol v1 is "seldon" for SKLEARN_SERVER but "tensorflow" for TENSORFLOW_SERVER.
    CHECK(error_of(spec_text(k_seldon + "  model: {format: sklearn, storageUri: s3://b/m, protocol: v1}\n"
                                        "  canary:\n    model: {format: tensorflow, protocol: v1}\n")) ==
          "s.yaml:10:43: spec.canary.model.protocol: the canary needs Seldon protocol \"tensorflow\" "
          "(TENSORFLOW_SERVER, protocol v1) but the SeldonDeployment uses \"seldon\" from the stable model "
          "(SKLEARN_SERVER, protocol v1) | a SeldonDeployment has one protocol for every predictor: give the canary "
          "protocol v1 and a server that speaks it, or change the protocol without a canary");
    // grpc-v2 adds transport: grpc for every predictor.
    CHECK(error_of(spec_text(k_seldon + "  model: {format: onnx, storageUri: s3://b/m, protocol: grpc-v2}\n"
                                        "  canary:\n    model: {protocol: v2}\n    strategy: shadow\n"))
              .starts_with("s.yaml:10:23: spec.canary.model.protocol: the canary needs Seldon protocol \"v2\" "
                           "(TRITON_SERVER, protocol v2) but the SeldonDeployment uses \"v2 over gRPC\""));
    // A custom image defaults to v1: under a v2 deployment it must say it speaks v2.
    const std::string custom = "  canary:\n    model: {format: custom, image: r/m:2";
    CHECK(error_of(spec_text(k_seldon + "  model: {format: sklearn, storageUri: s3://b/m}\n" + custom + "}\n"))
              .starts_with("s.yaml:10:21: spec.canary.model.format: the canary needs Seldon protocol \"seldon\" (a "
                           "custom image, protocol v1) but the SeldonDeployment uses \"v2\""));
    const std::string sklearn = "  model: {format: sklearn, storageUri: s3://b/m}\n";
    CHECK(load(spec_text(k_seldon + sklearn + custom + ", protocol: v2}\n")).ok());
    // A v2 server for another format fits (SKLEARN_SERVER v2 -> TRITON_SERVER v2), A/B included.
    CHECK(load(spec_text(k_seldon + sklearn + "  canary:\n    model: {format: onnx, storageUri: s3://b/o}\n" +
                         "    strategy: abtest\n"))
              .ok());
}

TEST_CASE("a transformer needs backend kserve") {
    const std::string model = "  model: {format: sklearn, storageUri: s3://b/m}\n";
    CHECK(error_of(spec_text(k_seldon + model + "  transformer: {image: r/pre:1}\n")) ==
          "s.yaml:9:16: spec.transformer: a transformer needs backend kserve: a KServe transformer image does not work "
          "as a Seldon graph node | use backend kserve, or run pre-processing inside the model's image");
    CHECK(error_of(spec_text("  backend: deployment\n" + model + "  deployment: {image: r/m:1}\n" +
                             "  transformer: {image: r/pre:1}\n")) ==
          "s.yaml:10:16: spec.transformer: a transformer needs backend kserve | with backend deployment, run "
          "pre-processing inside the image");
    CHECK(load(spec_text(model + "  transformer: {image: r/pre:1}\n")).ok());
}

TEST_CASE("scaling.behavior with backend seldon is a warning: Seldon's hpaSpec cannot carry it") {
    const std::string body = "  model: {format: sklearn, storageUri: s3://b/m}\n"
                             "  scaling:\n    maxReplicas: 4\n    behavior: {scaleDown: {maxPercent: 50}}\n";
    auto loaded = load(spec_text(k_seldon + body));
    REQUIRE(loaded.ok());
    REQUIRE(loaded->warnings.size() == 1);
    CHECK(loaded->warnings[0].headline() + " | " + loaded->warnings[0].hint ==
          "s.yaml:11:15: spec.scaling.behavior: Seldon's hpaSpec has no behavior field; spec.scaling.behavior is "
          "dropped | remove spec.scaling.behavior: Seldon's HorizontalPodAutoscalers scale with the Kubernetes "
          "defaults");
    auto kserve = load(spec_text("  kserve: {mode: Standard}\n" + body));
    REQUIRE(kserve.ok());
    CHECK(kserve->warnings.empty());
}

TEST_CASE("an Argo analysis without Istio traffic routing is a warning: the canary Service gets no requests") {
    const std::string body = "  kserve: {mode: Standard}\n  model: {format: sklearn, storageUri: s3://b/m}\n"
                             "  canary:\n    model: {storageUri: s3://b/m2}\n    engine: argo\n"
                             "    analysis: {prometheus: http://prom:9090, maxErrorRate: \"1%\"}\n";
    auto loaded = load(spec_text(body));
    REQUIRE(loaded.ok());
    REQUIRE(loaded->warnings.size() == 1);
    CHECK(loaded->warnings[0].headline() + " | " + loaded->warnings[0].hint ==
          "s.yaml:12:15: spec.canary.analysis: the analysis measures requests to the Service \"fraud-canary\", which "
          "gets traffic only through spec.canary.trafficRouting.istio; without it every measurement is Inconclusive "
          "and the rollout pauses at its first step | add trafficRouting: {istio: {host: fraud.example.com}}, or "
          "remove analysis and promote by hand");
    auto routed = load(spec_text(body + "    trafficRouting: {istio: {host: fraud.example.com}}\n"));
    REQUIRE(routed.ok());
    CHECK(routed->warnings.empty());
}

TEST_CASE("backend deployment with engine argo leaves room for the {name}-canary and {name}-stable Services") {
    const std::string body = "  backend: deployment\n  model: {format: sklearn}\n  deployment: {image: r/m:1}\n"
                             "  canary:\n    model: {image: r/m:2}\n";
    std::string name(57, 'm');
    CHECK(error_of(spec_text(body, name)) ==
          "s.yaml:4:9: metadata.name: the Argo Rollouts Service \"" + name +
              "-canary\" is 64 characters, over the DNS limit of 63 | shorten metadata.name by 1 character (the "
              "Rollout's Services are {name}-stable and {name}-canary)");
    auto fits = load(spec_text(body, std::string(56, 'm')));
    REQUIRE(fits.ok());
    CHECK(fits->value()["spec"]["canary"]["engine"] == "argo");
    CHECK(load(spec_text(body.substr(0, body.find("  canary")), name)).ok()); // no canary, no Rollout Services
}

TEST_CASE("a KServe Standard-mode canary counts {name}-canary-predictor in the 63-character host budget") {
    const std::string body = "  kserve: {mode: Standard, version: \"0.20\"}\n"
                             "  model: {format: sklearn, storageUri: s3://b/m}\n"
                             "  transformer: {image: r/pre:1}\n"
                             "  canary:\n    model: {storageUri: s3://b/m2}\n";
    std::string ns(24, 'n'); // 23 + 18 + 24 = 65
    CHECK(error_of(spec_text(body, std::string(23, 'm'), ns)) ==
          "s.yaml:4:9: metadata.name: the KServe host label \"" + std::string(23, 'm') + "-canary-predictor-" + ns +
              "\" is 65 characters, over the DNS limit of 63 | shorten metadata.name or metadata.namespace by 2 "
              "characters (KServe builds {name}-canary-predictor-{namespace})");
    CHECK(load(spec_text(body, std::string(21, 'm'), ns)).ok()); // exactly 63
    // Knative canaries and Argo rollouts run on the predictor itself: only {name}-transformer-{ns} counts.
    std::string knative = body;
    knative.replace(knative.find("Standard"), 8, "Knative");
    CHECK(load(spec_text(knative, std::string(23, 'm'), ns)).ok());
    CHECK(load(spec_text(body + "    engine: argo\n", std::string(23, 'm'), ns)).ok());
}

TEST_CASE("Seldon's predictor Service {name}-default must fit in 63 characters") {
    const std::string body = k_seldon + "  model: {format: sklearn, storageUri: s3://b/m}\n";
    std::string name(57, 's');
    CHECK(error_of(spec_text(body, name)) ==
          "s.yaml:4:9: metadata.name: the Seldon predictor Service \"" + name +
              "-default\" is 65 characters, over the DNS limit of 63; Seldon would name it seldon-<md5 hash> instead | "
              "shorten metadata.name by 2 characters so that the Service keeps the name clients use "
              "({name}-default.{namespace}.svc)");
    CHECK(load(spec_text(body, std::string(55, 's'))).ok());
    // The per-container Services {name}-default-{node} are longer, but only the operator uses them.
    CHECK(load(spec_text(body + "  canary:\n    model: {storageUri: s3://b/m2}\n    strategy: shadow\n",
                         std::string(55, 's')))
              .ok());
}
