#pragma once
// Internal to lib/validate's rules: reading untrusted JSON without throwing, reporting findings through the
// rule configuration, and the pod-spec walker that policy and cross-object rules share.
//
// Every reader here accepts any JSON value: a rule that meets a wrong type skips what it cannot read (the
// schema checker reports types), so no rule can throw or crash on a malformed manifest.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "validate/validate.hpp"

namespace mlserve::validate::detail {

using core::Json;

// ---------------------------------------------------------------------------------------------------------------
// Reading

/// The member `key` of `object` when `object` is an object and has it, else nullptr.
const Json* member(const Json* object, std::string_view key);
/// The string at `key`, or "" (also for a non-string value).
std::string string_of(const Json* object, std::string_view key);
/// The integer at `key` (a JSON integer, or a float holding a whole number), or nothing.
std::optional<long long> int_of(const Json* object, std::string_view key);
/// True when `key` holds JSON true.
bool true_at(const Json* object, std::string_view key);
/// The array at `key`, or nullptr.
const Json* array_of(const Json* object, std::string_view key);
/// The object at `key`, or nullptr.
const Json* object_of(const Json* object, std::string_view key);
/// String-valued entries of the object at `key` (labels, annotations, selectors); other entries are skipped.
std::map<std::string, std::string> string_map(const Json* object, std::string_view key);

/// RFC 6901 pointer of `parent` + each token.
std::string ptr(std::string_view parent, std::string_view token);
std::string ptr(std::string_view parent, size_t index);

/// The group of an apiVersion ("apps/v1" -> "apps", "v1" -> "").
std::string api_group(std::string_view api_version);

/// "quoted" text, cut at 64 characters, for messages.
std::string shown(std::string_view text);

// ---------------------------------------------------------------------------------------------------------------
// Reporting

/// Where findings go: applies RuleConfig (disabled ids and categories, severity overrides) and fills in the
/// location, path and object of each finding.
class Sink {
public:
    Sink(const RuleConfig& config, std::vector<Finding>& out);

    /// A finding of `rule` on the node at `pointer` of `manifest` (or at the key naming it when `at_key`).
    void report(const Manifest& manifest, std::string_view rule, std::string_view pointer, std::string message,
                std::string hint, bool at_key = false);
    /// False when the rule (or its category) is disabled.
    bool enabled(std::string_view rule) const;
    const RuleConfig& config() const { return m_config; }

private:
    const RuleConfig& m_config;
    std::vector<Finding>& m_out;
};

/// The catalogue entry of `rule`, or nullptr.
const RuleInfo* find_rule(std::string_view rule);

// ---------------------------------------------------------------------------------------------------------------
// Pods: every place a manifest describes the pods it will run

struct ContainerRef {
    std::string pointer;       ///< of the container object
    const Json* value = nullptr;
    bool init = false;         ///< an init container
    bool image_from_elsewhere = false; ///< image filled in by an operator (KServe runtime, Seldon prepackaged server)
};

/// One pod template: its spec (pod-level fields), containers and where its pod annotations are.
struct PodRef {
    std::string role;                  ///< for messages: "predictor", "template", "componentSpecs[0]"...
    std::string spec_pointer;          ///< pod-level fields (securityContext); "" when none can be written
    const Json* spec = nullptr;
    std::vector<ContainerRef> containers;
    std::map<std::string, std::string> annotations; ///< of the pods (object annotations where the operator copies them)
};

/// Every pod template of a manifest: InferenceService components (predictor, canaries, transformer,
/// explainer, workers), SeldonDeployment componentSpecs and explainers, the template of Deployments,
/// StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs, Rollouts and PodTemplates, and bare Pods.
std::vector<PodRef> pods_of(const Manifest& manifest);

/// True for kinds whose pods serve traffic and that policies about replicas and networks apply to.
bool is_serving_workload(const Manifest& manifest);

// ---------------------------------------------------------------------------------------------------------------
// KServe facts shared by the KServe and cross-object rules

/// The InferenceService's deployment mode from its annotation, aliases folded: "Knative", "Standard",
/// "ModelMesh", "" when not annotated, or the unknown value as written.
std::string kserve_mode(const Manifest& manifest);
bool is_inference_service(const Manifest& manifest);
bool is_seldon_deployment(const Manifest& manifest);
bool is_rollout(const Manifest& manifest);

// ---------------------------------------------------------------------------------------------------------------
// Label selectors

/// The labels of one set of pods, or of a Service. `open` marks sets where an operator adds labels we cannot
/// know (KServe, Knative, Seldon): a requirement on a key not in `labels` is then assumed to hold.
struct LabelSet {
    std::map<std::string, std::string> labels;
    bool open = false;
};

/// Does a metav1.LabelSelector (matchLabels + matchExpressions) select `set`? An empty selector selects all.
/// A selector this code cannot read (wrong types, unknown operator) selects everything, so that it never
/// produces a false finding.
bool selector_matches(const Json* selector, const LabelSet& set);
/// Does a plain map selector (Service.spec.selector) select `set`?
bool map_selector_matches(const std::map<std::string, std::string>& selector, const LabelSet& set);

/// The pod label sets of one workload manifest (several for an InferenceService's components or a
/// SeldonDeployment's predictors); empty for kinds that run no pods. `known` is false when the labels cannot
/// be told (a Rollout with a workloadRef whose target is not in the set).
struct WorkloadPods {
    std::vector<LabelSet> sets;
    bool known = true;
};
WorkloadPods pod_labels(const Manifest& manifest, const std::vector<Manifest>& all);

/// Objects an operator creates from a manifest that others may refer to by kind and name
/// (KServe Standard mode: the Deployment and Service "{isvc}-predictor" and friends).
struct Implied {
    std::string kind;
    std::string name;
};
std::vector<Implied> implied_objects(const Manifest& manifest);

/// Two namespaces refer to the same place (an unset namespace matches any: it is decided at apply time).
bool same_namespace(std::string_view a, std::string_view b);

// ---------------------------------------------------------------------------------------------------------------
// The rule families (one file each)

void check_kserve(const Manifest& manifest, const std::vector<Manifest>& all, Sink& sink);
void check_seldon(const Manifest& manifest, Sink& sink);
void check_argo(const Manifest& manifest, Sink& sink);
void check_hpa(const Manifest& manifest, Sink& sink);
void check_pod_semantics(const Manifest& manifest, Sink& sink);
void check_cross(const std::vector<Manifest>& all, Sink& sink);
void check_policy(const std::vector<Manifest>& all, Sink& sink);

} // namespace mlserve::validate::detail
