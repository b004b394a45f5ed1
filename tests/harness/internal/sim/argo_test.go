package sim

import (
	"testing"
	"time"
)

// Pinned to ../shared/reference/seldon-argo.md §1 (Rollout spec/status/phase), §2 (the plugin's patches, sent
// here verbatim as merge patches) and §3.3 (analysis outcomes).

const rolloutV1 = `{"apiVersion":"argoproj.io/v1alpha1","kind":"Rollout",
 "metadata":{"name":"web","namespace":"ml","generation":1},
 "spec":{"replicas":4,"selector":{"matchLabels":{"app":"web"}},
  "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"web:1"}]}},
  "strategy":{"canary":{"canaryService":"web-canary","stableService":"web-stable",
   "trafficRouting":{"nginx":{"stableIngress":"web"}},
   "steps":[{"setWeight":20},{"pause":{}},{"setWeight":50},{"pause":{"duration":"10s"}},
            {"analysis":{"templates":[{"templateName":"success-rate"}]}},{"setWeight":80}]}}}}`

// The plugin's patches (§2.1-§2.4), verbatim.
const (
	promotePatch     = `{"status":{"pauseConditions":null}}`
	promoteFullPatch = `{"status":{"promoteFull":true}}`
	abortPatch       = `{"status":{"abort":true}}`
	retryPatch       = `{"status":{"abort":false}}`
)

type rolloutRun struct {
	t   *testing.T
	obj map[string]any
	st  RolloutState
	now time.Time
	o   Options
}

func newRollout(t *testing.T) *rolloutRun {
	r := &rolloutRun{t: t, obj: object(t, rolloutV1), now: t0, o: DefaultOptions()}
	r.reconcile()
	return r
}

func (r *rolloutRun) reconcile() Result {
	res := ReconcileRollout(r.obj, &r.st, r.now, r.o)
	apply(r.obj, res)
	return res
}

func (r *rolloutRun) status() map[string]any { return r.obj["status"].(map[string]any) }

func (r *rolloutRun) stepIndex() int64 {
	i, ok := intAt(r.obj, "status", "currentStepIndex")
	if !ok {
		r.t.Fatalf("no currentStepIndex")
	}
	return i
}

func (r *rolloutRun) phase() string {
	return str(r.obj, "status", "phase") + " - " + str(r.obj, "status", "message")
}

func (r *rolloutRun) newImage(image string) {
	r.obj["spec"].(map[string]any)["template"] = object(r.t,
		`{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"`+image+`"}]}}`)
	bumpGeneration(r.obj)
}

// §1.3/§2.1: the very first revision skips the steps (no analysis on initial deploy, rollout/analysis.go);
// observedGeneration is a string; "fully promoted" ⇔ stableRS == currentPodHash; phase Healthy.
func TestArgo_1_3_InitialDeployIsHealthy(t *testing.T) {
	r := newRollout(t)
	st := r.status()
	wantEq(t, "observedGeneration is a string", jsonOf(st["observedGeneration"]), `"1"`)
	wantEq(t, "stableRS == currentPodHash", str(st, "stableRS"), str(st, "currentPodHash"))
	wantEq(t, "currentStepIndex", r.stepIndex(), 6)
	wantEq(t, "phase", r.phase(), "Healthy - ")
	wantEq(t, "revision annotation", annotation(r.obj, AnnoRevision), "1")
	wantEq(t, "selector", str(st, "selector"), "app=web")
	wantJSON(t, "weights", field(st, "canary", "weights"), `{"canary":{"weight":0,"serviceName":"web-canary",
	 "podTemplateHash":"`+str(st, "currentPodHash")+`"},"stable":{"weight":100,"serviceName":"web-stable",
	 "podTemplateHash":"`+str(st, "currentPodHash")+`"}}`)
}

// §1.2 steps + §1.3 status + §1.4 phase: a new template runs setWeight 20, then stops at pause {} with a
// CanaryPauseStep pause condition and controllerPause; phase Paused with the reason as message; weights 20/80.
func TestArgo_1_2_SetWeightThenIndefinitePause(t *testing.T) {
	r := newRollout(t)
	stable := str(r.status(), "stableRS")
	r.newImage("web:2")
	r.reconcile()
	st := r.status()
	wantEq(t, "currentStepIndex", r.stepIndex(), 1)
	wantJSON(t, "pauseConditions", st["pauseConditions"], `[{"reason":"CanaryPauseStep","startTime":"2026-11-25T12:00:00Z"}]`)
	wantEq(t, "controllerPause", st["controllerPause"], any(true))
	wantEq(t, "phase", r.phase(), "Paused - CanaryPauseStep")
	wantEq(t, "stableRS unchanged", str(st, "stableRS"), stable)
	if str(st, "currentPodHash") == stable {
		t.Errorf("currentPodHash must move to the new template")
	}
	wantEq(t, "canary weight", jsonOf(field(st, "canary", "weights", "canary", "weight")), "20")
	wantEq(t, "stable weight", jsonOf(field(st, "canary", "weights", "stable", "weight")), "80")
	wantEq(t, "stable hash", str(st, "canary", "weights", "stable", "podTemplateHash"), stable)
	wantEq(t, "revision", annotation(r.obj, AnnoRevision), "2")
	wantEq(t, "Paused condition", condition(t, st, "Paused").Reason, "RolloutPaused")
	// the Rollout CRD requires lastTransitionTime, lastUpdateTime, message, reason, status and type
	for _, c := range sliceAt(st, "conditions") {
		m := c.(map[string]any)
		for _, f := range []string{"lastTransitionTime", "lastUpdateTime", "message", "reason", "status", "type"} {
			if s, _ := m[f].(string); s == "" {
				t.Errorf("condition %v lacks %s", m["type"], f)
			}
		}
	}
}

// §2.1 promote: `{"status":{"pauseConditions":null}}` → the controller sees controllerPause with no
// CanaryPauseStep and completes the pause step; a timed pause ends by itself; the analysis step completes when the
// AnalysisRun is Successful; after the last step the canary becomes stable and the phase Healthy.
func TestArgo_2_1_PromoteThroughTimedPauseAndAnalysis(t *testing.T) {
	r := newRollout(t)
	r.newImage("web:2")
	r.reconcile()
	mergePatch(t, r.obj, promotePatch)
	res := r.reconcile()
	wantEq(t, "at timed pause", r.stepIndex(), 3)
	wantEq(t, "phase", r.phase(), "Paused - CanaryPauseStep")
	wantEq(t, "requeue for the pause", res.RequeueAfter, 10*time.Second)
	wantEq(t, "weight 50", jsonOf(field(r.status(), "canary", "weights", "canary", "weight")), "50")
	r.now = t0.Add(9 * time.Second)
	r.reconcile()
	wantEq(t, "still paused", r.stepIndex(), 3)
	r.now = t0.Add(10 * time.Second)
	r.reconcile()
	st := r.status()
	wantEq(t, "all steps done", r.stepIndex(), 6)
	wantEq(t, "phase", r.phase(), "Healthy - ")
	wantEq(t, "promoted", str(st, "stableRS"), str(st, "currentPodHash"))
	if _, ok := st["pauseConditions"]; ok {
		t.Errorf("pauseConditions left behind: %v", st["pauseConditions"])
	}
	wantEq(t, "stable weight", jsonOf(field(st, "canary", "weights", "stable", "weight")), "100")
	wantEq(t, "Progressing", condition(t, st, "Progressing").Reason, "NewReplicaSetAvailable")
}

// §2.1/§3.3: an analysis step shows its AnalysisRun {rollout}-{hash}-{revision}-{step} Running until it ends.
func TestArgo_3_3_AnalysisRunRunningThenSuccessful(t *testing.T) {
	r := newRollout(t)
	r.o.ReadyDelay = 2 * time.Second
	r.newImage("web:2")
	r.reconcile()
	r.now = t0.Add(2 * time.Second)
	r.reconcile() // setWeight 20 done once the canary is ready, stops at pause {}
	mergePatch(t, r.obj, promotePatch)
	r.reconcile()
	r.now = t0.Add(12 * time.Second)
	r.reconcile()
	st := r.status()
	wantEq(t, "at analysis", r.stepIndex(), 4)
	wantJSON(t, "run", field(st, "canary", "currentStepAnalysisRunStatus"),
		`{"name":"web-`+str(st, "currentPodHash")+`-2-4","status":"Running"}`)
	wantEq(t, "phase", r.phase(), "Progressing - waiting for all steps to complete")
	r.now = t0.Add(14 * time.Second)
	r.reconcile()
	wantEq(t, "done", r.phase(), "Healthy - ")
}

// §2.3 abort: `{"status":{"abort":true}}` → abortedAt, currentStepIndex 0, weight 0 (all traffic to stable),
// Progressing reason RolloutAborted, phase Degraded "RolloutAborted: Rollout aborted update to revision N".
// §2.4 retry: `{"status":{"abort":false}}` → the update restarts from step 0.
func TestArgo_2_3_AbortThenRetry(t *testing.T) {
	r := newRollout(t)
	r.newImage("web:2")
	r.reconcile()
	mergePatch(t, r.obj, abortPatch)
	r.reconcile()
	st := r.status()
	wantEq(t, "phase", r.phase(), "Degraded - RolloutAborted: Rollout aborted update to revision 2")
	wantEq(t, "currentStepIndex", r.stepIndex(), 0)
	wantEq(t, "abortedAt", str(st, "abortedAt"), "2026-11-25T12:00:00Z")
	wantEq(t, "canary weight", jsonOf(field(st, "canary", "weights", "canary", "weight")), "0")
	wantEq(t, "abort kept", st["abort"], any(true))
	if _, ok := st["pauseConditions"]; ok {
		t.Errorf("abort clears pause conditions")
	}
	r.reconcile()
	wantEq(t, "stays degraded", r.phase(), "Degraded - RolloutAborted: Rollout aborted update to revision 2")

	mergePatch(t, r.obj, retryPatch)
	r.reconcile()
	wantEq(t, "retried to the first pause", r.stepIndex(), 1)
	wantEq(t, "phase", r.phase(), "Paused - CanaryPauseStep")
}

// §2.3: "Updating the spec.template back to the previous version will fully revert the rollout": Healthy,
// currentStepIndex = len(steps), abort dropped.
func TestArgo_2_3_TemplateBackToStableAfterAbort(t *testing.T) {
	r := newRollout(t)
	r.newImage("web:2")
	r.reconcile()
	mergePatch(t, r.obj, abortPatch)
	r.reconcile()
	r.newImage("web:1")
	r.reconcile()
	st := r.status()
	wantEq(t, "phase", r.phase(), "Healthy - ")
	wantEq(t, "currentStepIndex", r.stepIndex(), 6)
	if _, ok := st["abort"]; ok {
		t.Errorf("abort should be cleared")
	}
}

// §2.2 promote --full: `{"status":{"promoteFull":true}}` → all steps skipped, canary stable, promoteFull reset.
func TestArgo_2_2_PromoteFull(t *testing.T) {
	r := newRollout(t)
	r.newImage("web:2")
	r.reconcile()
	mergePatch(t, r.obj, promoteFullPatch)
	r.reconcile()
	st := r.status()
	wantEq(t, "phase", r.phase(), "Healthy - ")
	wantEq(t, "currentStepIndex", r.stepIndex(), 6)
	wantEq(t, "promoted", str(st, "stableRS"), str(st, "currentPodHash"))
	if _, ok := st["promoteFull"]; ok {
		t.Errorf("promoteFull is reset once currentPodHash == stableRS")
	}
}

// §3.3: a step AnalysisRun that ends Failed aborts the rollout: Degraded with "Step-based analysis phase
// error/failed: …", abort true.
func TestArgo_3_3_FailedAnalysisAborts(t *testing.T) {
	r := newRollout(t)
	setAt(r.obj, "4", "metadata", "annotations", AnnoFailStep)
	r.newImage("web:2")
	r.reconcile()
	mergePatch(t, r.obj, promotePatch)
	r.reconcile()
	r.now = t0.Add(10 * time.Second)
	r.reconcile()
	st := r.status()
	wantEq(t, "phase", r.phase(), `Degraded - RolloutAborted: Rollout aborted update to revision 2: Step-based analysis `+
		`phase error/failed: Metric "sim" assessed Failed due to failed (1) > failureLimit (0)`)
	wantEq(t, "abort", st["abort"], any(true))
	wantEq(t, "run", str(st, "canary", "currentStepAnalysisRunStatus", "status"), "Failed")
	r.reconcile()
	wantEq(t, "message kept", str(r.obj, "status", "message"), str(st, "message"))
}

// §3.3 Inconclusive ⇒ pause (InconclusiveAnalysisRun, controllerPause); §2.1: the plugin then sends
// `{"status":{"pauseConditions":null, "controllerPause":false, "currentStepIndex":idx+1}}` and the rollout moves on.
func TestArgo_3_3_InconclusiveAnalysisPausesUntilPromoted(t *testing.T) {
	r := newRollout(t)
	setAt(r.obj, "Inconclusive", "metadata", "annotations", AnnoAnalysisResult)
	r.newImage("web:2")
	r.reconcile()
	mergePatch(t, r.obj, promotePatch)
	r.reconcile()
	r.now = t0.Add(10 * time.Second)
	r.reconcile()
	wantEq(t, "phase", r.phase(), "Paused - InconclusiveAnalysisRun")
	wantEq(t, "controllerPause", r.status()["controllerPause"], any(true))
	mergePatch(t, r.obj, `{"status":{"pauseConditions":null, "controllerPause":false, "currentStepIndex":5}}`)
	r.reconcile()
	wantEq(t, "phase", r.phase(), "Healthy - ")
}

// §1.4 / §2.7: spec.paused → Paused "manually paused"; steps do not advance.
func TestArgo_1_4_ManualPause(t *testing.T) {
	r := newRollout(t)
	r.newImage("web:2")
	mergePatch(t, r.obj, `{"spec":{"paused":true}}`)
	r.reconcile()
	wantEq(t, "phase", r.phase(), "Paused - manually paused")
	wantEq(t, "currentStepIndex", r.stepIndex(), 0)
	mergePatch(t, r.obj, `{"spec":{"paused":false}}`)
	r.reconcile()
	wantEq(t, "resumed to the first pause step", r.stepIndex(), 1)
}

// §1.4: ProgressDeadlineExceeded ⇒ Degraded; with progressDeadlineAbort the rollout is aborted
// ("RolloutAborted: Rollout aborted update to revision N: ReplicaSet … has timed out progressing.").
func TestArgo_1_4_ProgressDeadline(t *testing.T) {
	r := newRollout(t)
	setAt(r.obj, "0", "metadata", "annotations", AnnoFailStep)
	r.newImage("web:2")
	r.reconcile()
	rs := "web-" + str(r.status(), "currentPodHash")
	wantEq(t, "phase", r.phase(), `Degraded - ProgressDeadlineExceeded: ReplicaSet "`+rs+`" has timed out progressing.`)

	setAt(r.obj, true, "spec", "progressDeadlineAbort")
	bumpGeneration(r.obj)
	r.reconcile()
	wantEq(t, "phase", r.phase(), `Degraded - RolloutAborted: Rollout aborted update to revision 2: ReplicaSet "`+rs+
		`" has timed out progressing.`)
	wantEq(t, "abort", r.status()["abort"], any(true))
	wantEq(t, "observedGeneration", jsonOf(r.status()["observedGeneration"]), `"3"`)
}

// §1.2: without trafficRouting (basic canary) the controller writes no weights.
func TestArgo_1_2_BasicCanaryHasNoWeights(t *testing.T) {
	r := &rolloutRun{t: t, obj: object(t, rolloutV1), now: t0, o: DefaultOptions()}
	delete(r.obj["spec"].(map[string]any)["strategy"].(map[string]any)["canary"].(map[string]any), "trafficRouting")
	r.reconcile()
	if w := field(r.status(), "canary", "weights"); w != nil {
		t.Errorf("weights without trafficRouting: %v", w)
	}
}
