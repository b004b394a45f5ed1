// Package sim holds the controller simulator's state transitions: pure functions from an object (spec, metadata,
// current status), the simulator's memory of that object and the current time to the status an upstream controller
// would write next. Nothing here talks to a server; cmd/simulator applies the results through the status
// subresource. The upstream semantics are those of ../shared/reference/kserve.md and seldon-argo.md; each function
// names the section it follows.
package sim

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Control annotations: how a test tells the simulator to fail something or to take its time.
const (
	// AnnoFailRevision lists KServe Knative revision numbers (comma separated, e.g. "2" or "2,4") that never
	// become ready.
	AnnoFailRevision = "sim.mlserve.dev/fail-revision"
	// AnnoFailMessage is the failure message used wherever a simulated failure carries one.
	AnnoFailMessage = "sim.mlserve.dev/fail-message"
	// AnnoFailPredictor makes the KServe Standard-mode predictor Deployment, or the named Seldon predictors
	// (comma separated; "true" means all), fail.
	AnnoFailPredictor = "sim.mlserve.dev/fail-predictor"
	// AnnoFailCanary lists KServe Standard-mode canary predictor names whose Deployments never become available.
	AnnoFailCanary = "sim.mlserve.dev/fail-canary"
	// AnnoFailStep lists Argo Rollouts step indexes (0-based, comma separated) that fail: an analysis step's
	// AnalysisRun ends Failed, any other step's canary ReplicaSet exceeds its progress deadline.
	AnnoFailStep = "sim.mlserve.dev/fail-step"
	// AnnoAnalysisResult sets the phase every Argo step AnalysisRun ends in (Successful by default; Failed, Error,
	// Inconclusive). A step listed in AnnoFailStep ends Failed regardless.
	AnnoAnalysisResult = "sim.mlserve.dev/analysis-result"
	// AnnoReadyAfter delays readiness of every new revision/Deployment/ReplicaSet by a Go duration ("2s").
	AnnoReadyAfter = "sim.mlserve.dev/ready-after"
)

// DefaultFailMessage is used when AnnoFailMessage is not set.
const DefaultFailMessage = "simulated failure"

// Options are the simulator-wide settings.
type Options struct {
	IngressDomain string        // KServe ingressDomain; "example.com" as in the shipped ConfigMap
	ReadyDelay    time.Duration // default delay before a new revision/Deployment is ready
	DefaultMode   string        // KServe deployment mode when the annotation is absent: "Knative" or "Standard"
}

// DefaultOptions returns the settings the simulator uses unless told otherwise.
func DefaultOptions() Options {
	return Options{IngressDomain: "example.com", DefaultMode: "Knative"}
}

// Result is what a reconcile step produces.
type Result struct {
	Status       map[string]any // the whole new status
	RequeueAfter time.Duration  // >0: reconcile again after this long even without a change (timers)
	Annotations  map[string]string
}

// Condition is the Knative/Kubernetes condition shape used by all three backends.
type Condition struct {
	Type               string `json:"type"`
	Status             string `json:"status"`
	Severity           string `json:"severity,omitempty"`
	LastTransitionTime string `json:"lastTransitionTime,omitempty"`
	LastUpdateTime     string `json:"lastUpdateTime,omitempty"`
	Reason             string `json:"reason,omitempty"`
	Message            string `json:"message,omitempty"`
}

// ---- unstructured access ----

func field(obj map[string]any, path ...string) any {
	var cur any = obj
	for _, p := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[p]
	}
	return cur
}

func str(obj map[string]any, path ...string) string {
	s, _ := field(obj, path...).(string)
	return s
}

func mapAt(obj map[string]any, path ...string) map[string]any {
	m, _ := field(obj, path...).(map[string]any)
	return m
}

func sliceAt(obj map[string]any, path ...string) []any {
	s, _ := field(obj, path...).([]any)
	return s
}

// intAt reads an integer field that JSON decoding may have made float64 or int64.
func intAt(obj map[string]any, path ...string) (int64, bool) {
	switch v := field(obj, path...).(type) {
	case int64:
		return v, true
	case int:
		return int64(v), true
	case float64:
		return int64(v), true
	case json.Number:
		n, err := v.Int64()
		return n, err == nil
	}
	return 0, false
}

func annotation(obj map[string]any, key string) string {
	return str(obj, "metadata", "annotations", key)
}

func failMessage(obj map[string]any) string {
	if m := annotation(obj, AnnoFailMessage); m != "" {
		return m
	}
	return DefaultFailMessage
}

// listAnnotation splits a comma-separated control annotation into trimmed, non-empty items.
func listAnnotation(obj map[string]any, key string) []string {
	var out []string
	for _, s := range strings.Split(annotation(obj, key), ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func readyDelay(obj map[string]any, o Options) time.Duration {
	if v := annotation(obj, AnnoReadyAfter); v != "" {
		if d, err := time.ParseDuration(v); err == nil {
			return d
		}
	}
	return o.ReadyDelay
}

// toMap converts a typed status into the unstructured form written to the server.
func toMap(v any) map[string]any {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("sim: marshal status: %v", err))
	}
	out := map[string]any{}
	if err := json.Unmarshal(b, &out); err != nil {
		panic(fmt.Sprintf("sim: unmarshal status: %v", err))
	}
	return out
}

// fromMap decodes an unstructured value into a typed one; a value that does not fit leaves the zero value.
func fromMap(m any, out any) {
	if m == nil {
		return
	}
	b, err := json.Marshal(m)
	if err != nil {
		return
	}
	_ = json.Unmarshal(b, out)
}

func timestamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func parseTime(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339, s)
	return t, err == nil
}

// ---- hashing (the shape of Kubernetes' pod-template-hash: FNV-32a rendered with the "safe" alphabet) ----

const safeAlphabet = "bcdfghjklmnpqrstvwxz2456789"

// safeEncode renders s with Kubernetes' vowel-free alphabet (k8s.io/apimachinery/pkg/util/rand.SafeEncodeString).
func safeEncode(s string) string {
	r := make([]byte, len(s))
	for i, b := range []byte(s) {
		r[i] = safeAlphabet[int(b)%len(safeAlphabet)]
	}
	return string(r)
}

// hashOf is a stable hash of a JSON-able value, rendered like a pod-template-hash.
func hashOf(v any) string {
	b, _ := json.Marshal(v) // map keys are sorted by encoding/json, so equal values hash equally
	h := fnv.New32a()
	_, _ = h.Write(b)
	return safeEncode(strconv.FormatUint(uint64(h.Sum32()), 10))
}

// podTemplateMetadata keeps the labels and annotations that reach a pod template (controllers copy them), leaving
// out kubectl's bookkeeping and the simulator's own control annotations.
func podTemplateMetadata(obj map[string]any) map[string]any {
	keep := func(m map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range m {
			if strings.HasPrefix(k, "sim.mlserve.dev/") || k == "kubectl.kubernetes.io/last-applied-configuration" {
				continue
			}
			out[k] = v
		}
		return out
	}
	return map[string]any{"labels": keep(mapAt(obj, "metadata", "labels")),
		"annotations": keep(mapAt(obj, "metadata", "annotations"))}
}

// ---- Knative condition sets (knative.dev/pkg/apis ConditionManager semantics) ----

// conditionSet manages a list of conditions with one "happy" condition that summarises the dependents:
// MarkTrue on a dependent makes the happy condition True once every dependent is True; MarkFalse on a dependent
// marks the happy condition False with the same reason and message; MarkUnknown marks it Unknown unless another
// dependent is already False. Setting a condition to the values it already has keeps its lastTransitionTime.
type conditionSet struct {
	happy      string
	dependents []string
	conds      []Condition
	now        time.Time
}

func newConditionSet(happy string, dependents []string, existing []Condition, now time.Time) *conditionSet {
	cs := &conditionSet{happy: happy, dependents: dependents, now: now}
	cs.conds = append(cs.conds, existing...)
	return cs
}

func (cs *conditionSet) get(t string) *Condition {
	for i := range cs.conds {
		if cs.conds[i].Type == t {
			return &cs.conds[i]
		}
	}
	return nil
}

func (cs *conditionSet) set(c Condition) {
	if old := cs.get(c.Type); old != nil {
		if old.Status == c.Status && old.Reason == c.Reason && old.Message == c.Message {
			return
		}
		c.LastTransitionTime = timestamp(cs.now)
		*old = c
		return
	}
	c.LastTransitionTime = timestamp(cs.now)
	cs.conds = append(cs.conds, c)
	sort.SliceStable(cs.conds, func(i, j int) bool { return cs.conds[i].Type < cs.conds[j].Type })
}

func (cs *conditionSet) isDependent(t string) bool { return contains(cs.dependents, t) }

func (cs *conditionSet) MarkTrue(t string) {
	cs.set(Condition{Type: t, Status: "True"})
	if !cs.isDependent(t) {
		return
	}
	for _, d := range cs.dependents {
		c := cs.get(d)
		if c == nil || c.Status != "True" {
			if c != nil && c.Status == "False" {
				cs.set(Condition{Type: cs.happy, Status: "False", Reason: c.Reason, Message: c.Message})
			} else if c != nil {
				cs.set(Condition{Type: cs.happy, Status: "Unknown", Reason: c.Reason, Message: c.Message})
			} else {
				cs.set(Condition{Type: cs.happy, Status: "Unknown"})
			}
			return
		}
	}
	cs.set(Condition{Type: cs.happy, Status: "True"})
}

func (cs *conditionSet) MarkFalse(t, reason, message string) {
	cs.set(Condition{Type: t, Status: "False", Reason: reason, Message: message})
	if cs.isDependent(t) {
		cs.set(Condition{Type: cs.happy, Status: "False", Reason: reason, Message: message})
	}
}

func (cs *conditionSet) MarkUnknown(t, reason, message string) {
	cs.set(Condition{Type: t, Status: "Unknown", Reason: reason, Message: message})
	if !cs.isDependent(t) {
		return
	}
	for _, d := range cs.dependents {
		if c := cs.get(d); d != t && c != nil && c.Status == "False" {
			return // a False dependent keeps the happy condition False
		}
	}
	cs.set(Condition{Type: cs.happy, Status: "Unknown", Reason: reason, Message: message})
}

// Set applies a condition the way KServe's InferenceServiceStatus.SetCondition does (nil: no change).
func (cs *conditionSet) Set(t string, c *Condition) {
	switch {
	case c == nil:
	case c.Status == "True":
		cs.MarkTrue(t)
	case c.Status == "False":
		cs.MarkFalse(t, c.Reason, c.Message)
	default:
		cs.MarkUnknown(t, c.Reason, c.Message)
	}
}

func (cs *conditionSet) Clear(t string) {
	for i := range cs.conds {
		if cs.conds[i].Type == t {
			cs.conds = append(cs.conds[:i], cs.conds[i+1:]...)
			return
		}
	}
}

func (cs *conditionSet) IsTrue(t string) bool {
	c := cs.get(t)
	return c != nil && c.Status == "True"
}

// minDuration returns the smallest positive duration (0 if none).
func minDuration(ds ...time.Duration) time.Duration {
	var m time.Duration
	for _, d := range ds {
		if d > 0 && (m == 0 || d < m) {
			m = d
		}
	}
	return m
}
