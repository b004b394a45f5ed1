#pragma once
// Internal to lib/validate's rules: reading untrusted JSON without throwing, reporting findings through the
// rule configuration, and the pod-spec walker that policy and cross-object rules share.
//
// Every reader here accepts any JSON value: a rule that meets a wrong type skips what it cannot read (the
// schema checker reports types), so no rule can throw or crash on a malformed manifest.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
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

/// The node at an RFC 6901 pointer, or nullptr when there is none.
const Json* at_pointer(const Json& root, std::string_view pointer);
/// RFC 6901 pointer of `parent` + each token.
std::string ptr(std::string_view parent, std::string_view token);
std::string ptr(std::string_view parent, size_t index);

/// The manifest's kind and apiVersion group, read in place ("" when missing or not strings): rules ask often.
std::string_view kind_of(const Manifest& manifest);
std::string_view group_of(const Manifest& manifest);

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

/// An InferenceService component: predictor, transformer or explainer.
struct KserveComponent {
    std::string role;
    std::string pointer;
    const Json* value;
};
/// The predictor, transformer and explainer that `spec` has, in that order.
std::vector<KserveComponent> kserve_components(const Json* spec);
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
/// be told (a ModelMesh InferenceService; a Rollout with a workloadRef, which Index resolves).
struct WorkloadPods {
    std::vector<LabelSet> sets;
    bool known = true;
};
WorkloadPods pod_labels(const Manifest& manifest);

/// Objects an operator creates from a manifest that others may refer to by kind and name
/// (KServe Standard mode: the Deployment and Service "{isvc}-predictor" and friends).
struct Implied {
    std::string kind;
    std::string name;
};
std::vector<Implied> implied_objects(const Manifest& manifest);

/// Two namespaces refer to the same place (an unset namespace matches any: it is decided at apply time).
bool same_namespace(std::string_view a, std::string_view b);

/// The first matchLabels entry of a LabelSelector (or of a map selector), for index lookups.
std::optional<std::pair<std::string, std::string>> first_label(const Json* selector);

/// Label sets indexed by label, so that a selector meets only the sets that can match it: those with its first
/// matchLabels entry, and open sets lacking that key. Without a matchLabels entry, every set.
class LabelIndex {
public:
    void add(size_t id, const LabelSet* set);
    /// Calls `visit(id, set)` for each candidate until it returns true; returns whether one did.
    bool find(const std::optional<std::pair<std::string, std::string>>& first,
              const std::function<bool(size_t, const LabelSet&)>& visit) const;
    bool empty() const { return m_sets.empty(); }

private:
    std::vector<std::pair<size_t, const LabelSet*>> m_sets;
    std::unordered_map<std::string, std::vector<size_t>> m_by_label;             ///< "key\0value" -> m_sets positions
    mutable std::unordered_map<std::string, std::vector<size_t>> m_open_lacking; ///< key -> open sets without it
};

/// What the cross-object and policy rules look up, computed once per file set so that they stay linear in
/// its size: names (with the objects operators create), pod labels by namespace, Services by namespace.
class Index {
public:
    explicit Index(const std::vector<Manifest>& all);
    Index(const Index&) = delete;
    Index& operator=(const Index&) = delete;

    const std::vector<Manifest>& manifests() const { return m_all; }
    const std::string& ns(size_t i) const { return m_ns[i]; }
    /// The workload's pods; a Rollout with a workloadRef gets those of its target.
    const WorkloadPods& pods(size_t i) const { return m_pods[i]; }
    const std::vector<Implied>& implied(size_t i) const { return m_implied[i]; }
    /// pods_of() of each manifest, walked once.
    const std::vector<PodRef>& pod_refs(size_t i) const { return m_pod_refs[i]; }

    /// Manifests named kind/name, or that create such an object, visible from `ns`.
    std::vector<size_t> find(const std::string& kind, const std::string& name, const std::string& ns) const;
    bool has_kind(const std::string& kind) const { return m_names_by_kind.count(kind) != 0; }
    /// Names of every object of `kind` (for "did you mean" hints).
    const std::vector<std::string>& names_of(const std::string& kind) const;
    /// Model formats the ServingRuntimes and ClusterServingRuntimes in the set serve.
    bool runtime_serves(const std::string& format) const { return m_runtime_formats.count(format) != 0; }

    struct PodSetRef {
        size_t manifest;
        size_t set;
    };
    const PodSetRef& pod_set(size_t id) const { return m_pod_sets[id]; }
    size_t pod_set_count() const { return m_pod_sets.size(); }
    /// Whether some workload visible from `ns` runs pods `matches` selects: nothing when it cannot be told (no
    /// workload there, or one whose labels are unknown).
    std::optional<bool> any_pods(const std::string& ns, const std::optional<std::pair<std::string, std::string>>& first,
                                 const std::function<bool(const LabelSet&)>& matches) const;
    /// Calls `visit` for every pod set visible from `ns` that the selector may select.
    void candidate_pods(const std::string& ns, const std::optional<std::pair<std::string, std::string>>& first,
                        const std::function<bool(size_t, const LabelSet&)>& visit) const;
    /// Calls `visit` for every Service manifest of namespace `ns` (as a label set of its metadata.labels).
    void candidate_services(const std::string& ns, const std::optional<std::pair<std::string, std::string>>& first,
                            const std::function<bool(size_t, const LabelSet&)>& visit) const;
    bool has_services(const std::string& ns) const;

private:
    struct Bucket {
        LabelIndex pods, services;
        bool unknown_pods = false;
    };
    template <class F> void visible(const std::string& ns, F f) const;

    const std::vector<Manifest>& m_all;
    std::vector<std::string> m_ns;
    std::vector<WorkloadPods> m_pods;
    std::vector<std::vector<Implied>> m_implied;
    std::vector<std::vector<PodRef>> m_pod_refs;
    std::vector<LabelSet> m_service_labels;
    std::vector<PodSetRef> m_pod_sets;
    std::unordered_map<std::string, std::vector<size_t>> m_by_name; ///< "kind/name" -> manifests
    std::unordered_map<std::string, std::vector<std::string>> m_names_by_kind;
    std::unordered_set<std::string> m_runtime_formats;
    std::map<std::string, Bucket> m_buckets; ///< by namespace ("" for objects without one)
};

// ---------------------------------------------------------------------------------------------------------------
// The rule families (one file each)

void check_kserve(const Manifest& manifest, const std::vector<PodRef>& pods, const Index& index, Sink& sink);
void check_kserve_scaling(const Manifest& manifest, const std::string& mode, Sink& sink);
void check_seldon(const Manifest& manifest, Sink& sink);
void check_argo(const Manifest& manifest, Sink& sink);
void check_hpa(const Manifest& manifest, Sink& sink);
void check_pod_semantics(const Manifest& manifest, const std::vector<PodRef>& pods, Sink& sink);
void check_cross(const Index& index, Sink& sink);
void check_policy(const Index& index, Sink& sink);

} // namespace mlserve::validate::detail
