package sim

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Argo Rollouts Rollout (argoproj.io/v1alpha1), canary strategy: reference/seldon-argo.md §1.2 (steps), §1.3
// (status), §1.4 (phase), §2 (what promote/promote --full/abort/retry patch), §3.3 (analysis outcomes).

// PauseCondition is status.pauseConditions[].
type PauseCondition struct {
	Reason    string `json:"reason"`
	StartTime string `json:"startTime"`
}

// RunStatus is status.canary.currentStepAnalysisRunStatus.
type RunStatus struct {
	Name    string `json:"name"`
	Status  string `json:"status"`
	Message string `json:"message,omitempty"`
}

// WeightDestination is one side of status.canary.weights.
type WeightDestination struct {
	Weight          int64  `json:"weight"`
	ServiceName     string `json:"serviceName,omitempty"`
	PodTemplateHash string `json:"podTemplateHash,omitempty"`
}

// TrafficWeights is status.canary.weights (set only with trafficRouting, as upstream).
type TrafficWeights struct {
	Canary WeightDestination `json:"canary"`
	Stable WeightDestination `json:"stable"`
}

// RolloutCanaryStatus is status.canary.
type RolloutCanaryStatus struct {
	CurrentStepAnalysisRunStatus *RunStatus      `json:"currentStepAnalysisRunStatus,omitempty"`
	Weights                      *TrafficWeights `json:"weights,omitempty"`
}

// RolloutStatus is the Rollout status the simulator writes.
type RolloutStatus struct {
	Abort              bool                `json:"abort,omitempty"`
	AbortedAt          string              `json:"abortedAt,omitempty"`
	PauseConditions    []PauseCondition    `json:"pauseConditions,omitempty"`
	ControllerPause    bool                `json:"controllerPause,omitempty"`
	PromoteFull        bool                `json:"promoteFull,omitempty"`
	CurrentPodHash     string              `json:"currentPodHash,omitempty"`
	CurrentStepHash    string              `json:"currentStepHash,omitempty"`
	CurrentStepIndex   *int32              `json:"currentStepIndex,omitempty"`
	StableRS           string              `json:"stableRS,omitempty"`
	Replicas           int64               `json:"replicas,omitempty"`
	UpdatedReplicas    int64               `json:"updatedReplicas,omitempty"`
	ReadyReplicas      int64               `json:"readyReplicas,omitempty"`
	AvailableReplicas  int64               `json:"availableReplicas,omitempty"`
	HPAReplicas        int64               `json:"HPAReplicas,omitempty"`
	Selector           string              `json:"selector,omitempty"`
	ObservedGeneration string              `json:"observedGeneration,omitempty"` // a string, as Argo writes it
	Phase              string              `json:"phase,omitempty"`
	Message            string              `json:"message,omitempty"`
	Conditions         []Condition         `json:"conditions,omitempty"`
	Canary             RolloutCanaryStatus `json:"canary"`
}

// RolloutState remembers when the current update started (the canary ReplicaSet's creation).
type RolloutState struct {
	Hash        string
	UpdateStart time.Time
}

// AnnoRevision is the revision annotation the Argo controller keeps on the Rollout.
const AnnoRevision = "rollout.argoproj.io/revision"

func int32Ptr(i int32) *int32 { return &i }

// parsePause reads pause.duration: "30s", "1h" or an integer number of seconds; 0 means indefinite.
func parsePause(step map[string]any) time.Duration {
	p, _ := step["pause"].(map[string]any)
	switch v := p["duration"].(type) {
	case string:
		if n, err := strconv.Atoi(v); err == nil {
			return time.Duration(n) * time.Second
		}
		d, _ := time.ParseDuration(v)
		return d
	case float64:
		return time.Duration(v) * time.Second
	case int64:
		return time.Duration(v) * time.Second
	}
	return 0
}

// currentSetWeight is the last setWeight at or before the current step; 100 once all steps are done.
func currentSetWeight(steps []map[string]any, idx int) int64 {
	if idx >= len(steps) {
		return 100
	}
	for i := idx; i >= 0; i-- {
		if w, ok := intAt(steps[i], "setWeight"); ok {
			return w
		}
	}
	return 0
}

func selectorString(obj map[string]any) string {
	labels := mapAt(obj, "spec", "selector", "matchLabels")
	var parts []string
	for k, v := range labels {
		parts = append(parts, fmt.Sprintf("%s=%v", k, v))
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

// ReconcileRollout computes the next status of a canary Rollout (and the revision annotation).
func ReconcileRollout(obj map[string]any, st *RolloutState, now time.Time, o Options) Result {
	var prev RolloutStatus
	fromMap(field(obj, "status"), &prev)
	name := str(obj, "metadata", "name")
	var steps []map[string]any
	for _, s := range sliceAt(obj, "spec", "strategy", "canary", "steps") {
		if m, ok := s.(map[string]any); ok {
			steps = append(steps, m)
		}
	}
	podHash := hashOf(field(obj, "spec", "template"))
	stepHash := hashOf(steps)
	gen, _ := intAt(obj, "metadata", "generation")
	replicas, ok := intAt(obj, "spec", "replicas")
	if !ok {
		replicas = 1
	}
	revision, _ := strconv.Atoi(annotation(obj, AnnoRevision))
	delay := readyDelay(obj, o)
	n := len(steps)

	next := prev
	next.ObservedGeneration = strconv.FormatInt(gen, 10)
	next.Selector = selectorString(obj)
	idx := 0
	if prev.CurrentStepIndex != nil {
		idx = int(*prev.CurrentStepIndex)
	}
	switch {
	case prev.StableRS == "": // initial deploy: no steps, no analysis (rollout/analysis.go initialDeploy)
		next.StableRS, next.CurrentPodHash, idx = podHash, podHash, n
		if revision == 0 {
			revision = 1
		}
		st.Hash, st.UpdateStart = podHash, now.Add(-delay)
	case podHash != prev.CurrentPodHash || (prev.CurrentStepHash != "" && stepHash != prev.CurrentStepHash):
		// resetRolloutStatus: a new template or changed steps restart the update from step 0 (§2.3)
		if podHash != prev.CurrentPodHash {
			revision++
		}
		next.CurrentPodHash = podHash
		next.PauseConditions, next.ControllerPause, next.Abort, next.AbortedAt, next.PromoteFull = nil, false, false, "", false
		next.Canary.CurrentStepAnalysisRunStatus = nil
		idx = 0
		st.Hash, st.UpdateStart = podHash, now
	}
	if st.Hash != podHash { // simulator restarted mid-update: the canary ReplicaSet exists already
		st.Hash, st.UpdateStart = podHash, now.Add(-delay)
	}
	next.CurrentStepHash = stepHash
	conds := newConditionSet("", nil, prev.Conditions, now)
	rsName := fmt.Sprintf("%s-%s", name, podHash)
	var requeue time.Duration

	if podHash == next.StableRS { // fully promoted (or the template went back to stable): nothing to do
		idx, next.Abort, next.AbortedAt, next.PauseConditions, next.ControllerPause = n, false, "", nil, false
	}
	if next.PromoteFull { // promote --full: skip the remaining steps and analysis (§2.2)
		idx, next.PauseConditions, next.ControllerPause, next.Abort = n, nil, false, false
		next.Canary.CurrentStepAnalysisRunStatus = nil
	}
	abortMsg := ""
	deadline := false
	paused, _ := field(obj, "spec", "paused").(bool)
	for !next.Abort && !paused && idx < n {
		step := steps[idx]
		canaryReady := !now.Before(st.UpdateStart.Add(delay))
		_, isAnalysis := step["analysis"]
		if contains(listAnnotation(obj, AnnoFailStep), strconv.Itoa(idx)) && !isAnalysis && canaryReady {
			deadline = true // the canary ReplicaSet never becomes available
			break
		}
		if _, ok := step["setWeight"]; ok {
			if !canaryReady {
				requeue = st.UpdateStart.Add(delay).Sub(now)
				break
			}
			idx++
			continue
		}
		if _, ok := step["pause"]; ok {
			dur := parsePause(step)
			var pc *PauseCondition
			for i := range next.PauseConditions {
				if next.PauseConditions[i].Reason == "CanaryPauseStep" {
					pc = &next.PauseConditions[i]
				}
			}
			if pc != nil {
				start, _ := parseTime(pc.StartTime)
				if dur > 0 && !now.Before(start.Add(dur)) {
					next.PauseConditions, next.ControllerPause = nil, false
					idx++
					continue
				}
				if dur > 0 {
					requeue = start.Add(dur).Sub(now)
				}
				break
			}
			if next.ControllerPause { // promote cleared the pause condition: the pause step is complete (§2.1)
				next.ControllerPause = false
				idx++
				continue
			}
			next.PauseConditions = []PauseCondition{{Reason: "CanaryPauseStep", StartTime: timestamp(now)}}
			next.ControllerPause = true
			if dur > 0 {
				requeue = dur
			}
			break
		}
		if isAnalysis {
			run := fmt.Sprintf("%s-%s-%d-%d", name, podHash, revision, idx)
			ar := next.Canary.CurrentStepAnalysisRunStatus
			if ar == nil || ar.Name != run {
				ar = &RunStatus{Name: run, Status: "Running"}
				next.Canary.CurrentStepAnalysisRunStatus = ar
				st.UpdateStart = now // the AnalysisRun takes the ready delay to finish
				if delay > 0 {
					requeue = delay
					break
				}
			}
			if ar.Status == "Running" {
				if now.Before(st.UpdateStart.Add(delay)) {
					requeue = st.UpdateStart.Add(delay).Sub(now)
					break
				}
				ar.Status = annotation(obj, AnnoAnalysisResult)
				if ar.Status == "" {
					ar.Status = "Successful"
				}
				if contains(listAnnotation(obj, AnnoFailStep), strconv.Itoa(idx)) {
					ar.Status = "Failed"
				}
			}
			switch ar.Status {
			case "Successful":
				idx++
				continue
			case "Failed", "Error":
				ar.Message = fmt.Sprintf("Metric %q assessed %s due to failed (1) > failureLimit (0)", "sim", ar.Status)
				next.Abort = true
				abortMsg = "Step-based analysis phase error/failed: " + ar.Message
			case "Inconclusive": // pause for a human: promote advances the step (§3.3)
				if len(next.PauseConditions) == 0 {
					next.PauseConditions = []PauseCondition{{Reason: "InconclusiveAnalysisRun", StartTime: timestamp(now)}}
					next.ControllerPause = true
				}
			}
			break
		}
		idx++ // experiment, setCanaryScale, setHeaderRoute, setMirrorRoute, plugin: complete at once
	}

	if next.Abort {
		if next.AbortedAt == "" {
			next.AbortedAt = timestamp(now)
		}
		idx, next.PauseConditions, next.ControllerPause = 0, nil, false
	}
	if !next.Abort && !deadline && idx >= n && !paused {
		next.StableRS, next.PromoteFull = podHash, false // all steps done: the canary becomes stable
		next.Canary.CurrentStepAnalysisRunStatus = nil
	}
	if n > 0 {
		next.CurrentStepIndex = int32Ptr(int32(idx))
	} else {
		next.CurrentStepIndex = nil
	}

	// Weights and replicas.
	weight := currentSetWeight(steps, idx)
	if next.Abort {
		weight = 0
	}
	promoted := next.StableRS == podHash
	if promoted {
		weight = 0 // all traffic on stable, which is now the current template
	}
	canaryReplicas := (replicas*weight + 99) / 100
	if promoted {
		next.Replicas, next.UpdatedReplicas = replicas, replicas
	} else {
		next.Replicas, next.UpdatedReplicas = replicas+canaryReplicas, canaryReplicas
	}
	next.ReadyReplicas, next.AvailableReplicas, next.HPAReplicas = next.Replicas, next.Replicas, next.Replicas
	if deadline {
		next.ReadyReplicas, next.AvailableReplicas = replicas, replicas
	}
	if tr := mapAt(obj, "spec", "strategy", "canary", "trafficRouting"); tr != nil {
		stableHash := next.StableRS
		next.Canary.Weights = &TrafficWeights{
			Canary: WeightDestination{Weight: weight, PodTemplateHash: podHash,
				ServiceName: str(obj, "spec", "strategy", "canary", "canaryService")},
			Stable: WeightDestination{Weight: 100 - weight, PodTemplateHash: stableHash,
				ServiceName: str(obj, "spec", "strategy", "canary", "stableService")},
		}
	} else {
		next.Canary.Weights = nil
	}

	// Conditions (utils/conditions/conditions.go reasons) and the phase (CalculateRolloutPhase, §1.4).
	conds.set(Condition{Type: "Available", Status: "True", Reason: "AvailableReason", Message: "Rollout has minimum availability"})
	var progressing Condition
	switch {
	case next.Abort:
		msg := fmt.Sprintf("Rollout aborted update to revision %d", revision)
		if old := conds.get("Progressing"); abortMsg == "" && old != nil && old.Reason == "RolloutAborted" {
			msg = old.Message // keep the reason the abort was made with
		} else if abortMsg != "" {
			msg += ": " + abortMsg
		}
		progressing = Condition{Type: "Progressing", Status: "False", Reason: "RolloutAborted", Message: msg}
	case deadline:
		deadlineMsg := fmt.Sprintf("ReplicaSet %q has timed out progressing.", rsName)
		if abortOnDeadline, _ := field(obj, "spec", "progressDeadlineAbort").(bool); abortOnDeadline {
			next.Abort, next.AbortedAt, next.CurrentStepIndex = true, timestamp(now), int32Ptr(0)
			if next.Canary.Weights != nil {
				next.Canary.Weights.Canary.Weight, next.Canary.Weights.Stable.Weight = 0, 100
			}
			progressing = Condition{Type: "Progressing", Status: "False", Reason: "RolloutAborted",
				Message: fmt.Sprintf("Rollout aborted update to revision %d: %s", revision, deadlineMsg)}
		} else {
			progressing = Condition{Type: "Progressing", Status: "False", Reason: "ProgressDeadlineExceeded", Message: deadlineMsg}
		}
	case paused || len(next.PauseConditions) > 0:
		progressing = Condition{Type: "Progressing", Status: "Unknown", Reason: "RolloutPaused", Message: "Rollout is paused"}
		conds.set(Condition{Type: "Paused", Status: "True", Reason: "RolloutPaused", Message: "Rollout is paused"})
	case promoted:
		progressing = Condition{Type: "Progressing", Status: "True", Reason: "NewReplicaSetAvailable",
			Message: fmt.Sprintf("ReplicaSet %q has successfully progressed.", rsName)}
	default:
		progressing = Condition{Type: "Progressing", Status: "True", Reason: "ReplicaSetUpdated",
			Message: fmt.Sprintf("ReplicaSet %q is progressing.", rsName)}
	}
	conds.set(progressing)
	if progressing.Reason != "RolloutPaused" {
		conds.Clear("Paused")
	}
	for i := range conds.conds { // Argo conditions carry lastUpdateTime too (required by the Rollout CRD)
		if conds.conds[i].LastUpdateTime == "" {
			conds.conds[i].LastUpdateTime = conds.conds[i].LastTransitionTime
		}
	}
	next.Conditions = conds.conds
	switch {
	case progressing.Reason == "RolloutAborted" || progressing.Reason == "ProgressDeadlineExceeded":
		next.Phase, next.Message = "Degraded", progressing.Reason+": "+progressing.Message
	case paused:
		next.Phase, next.Message = "Paused", "manually paused"
	case len(next.PauseConditions) > 0:
		next.Phase, next.Message = "Paused", next.PauseConditions[0].Reason
	case !promoted:
		next.Phase, next.Message = "Progressing", "waiting for all steps to complete"
	default:
		next.Phase, next.Message = "Healthy", ""
	}
	return Result{Status: toMap(next), RequeueAfter: requeue,
		Annotations: map[string]string{AnnoRevision: strconv.Itoa(revision)}}
}
