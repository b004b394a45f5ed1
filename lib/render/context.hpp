#pragma once
// The render CONTEXT: what every template sees (the README's "Templates" section lists it).

#include "core/error.hpp"
#include "core/json.hpp"
#include "spec/spec.hpp"

namespace mlserve::render {

/// Builds the context templates are evaluated against from a loaded spec (defaults applied):
///   model             the whole ModelDeployment document
///   name, namespace   metadata.name, metadata.namespace
///   labels            the app.kubernetes.io/* labels, then metadata.labels
///   kserve            deploymentModeValue (Knative|Standard, or Serverless|RawDeployment before KServe 0.16),
///                     standardCanarySupported (KServe >= 0.20)
///   canaryModel       spec.model deep-merged with spec.canary.model, or null without a canary
///   durationsSeconds  every duration of the spec as a number of seconds, in the spec's shape
///                     (e.g. durationsSeconds.canary.interval = 300, .slo.latencyP95 = 0.5)
///   derived           values JSON-e cannot compute comfortably:
///                     hasCanary; resources.{model,canary,transformer,explainer} as {requests, limits} with
///                     nvidia.com/gpu only when > 0; env.{model,canaryModel,transformer,deployment} as
///                     [{name, value}] lists; pvcName (from a pvc:// storageUri, else null);
///                     fractions.canary.analysis.maxErrorRate, fractions.slo.{availability,errorBudget} (0..1);
///                     metricsPort (the model server's Prometheus port: per KServe runtime, or the
///                     backend-deployment container port)
/// Errors (exit 2, with the spec's file:line:col) only for values the spec loader should have refused.
core::Result<core::Json> build_context(const spec::LoadedSpec& spec);

} // namespace mlserve::render
