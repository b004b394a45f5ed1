package sim

import (
	"testing"
	"time"
)

// Each test names the reference section it pins: ../shared/reference/kserve.md (and the upstream files quoted
// there: kserve pkg/apis/serving/v1beta1/inference_service_status.go PropagateStatus, ksvc_reconciler.go traffic).

const isvcV1 = `{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService",
 "metadata":{"name":"demo","namespace":"ml","generation":1,
   "annotations":{"serving.kserve.io/deploymentMode":"Knative"}},
 "spec":{"predictor":{"model":{"modelFormat":{"name":"sklearn"},"storageUri":"gs://m/v1"}}}}`

type isvcRun struct {
	t   *testing.T
	obj map[string]any
	st  ISVCState
	now time.Time
	o   Options
}

func newISVC(t *testing.T, text string) *isvcRun {
	return &isvcRun{t: t, obj: object(t, text), now: t0, o: DefaultOptions()}
}

func (r *isvcRun) reconcile() Result {
	res := ReconcileInferenceService(r.obj, &r.st, r.now, r.o)
	apply(r.obj, res)
	return res
}

func (r *isvcRun) predictor() map[string]any {
	return mapAt(r.obj, "status", "components", "predictor")
}

func (r *isvcRun) setSpec(value any, path ...string) {
	setAt(r.obj, value, append([]string{"spec", "predictor"}, path...)...)
	bumpGeneration(r.obj)
}

// §2.1 table "Initial": spec v1 → rev1 takes 100 % and becomes latestRolledoutRevision; Ready = PredictorReady ∧
// IngressReady (§2.3); url/address; deploymentMode recorded (§0 v0.16).
func TestKServeKnative_2_1_InitialRevisionTakesAllTraffic(t *testing.T) {
	r := newISVC(t, isvcV1)
	r.reconcile()
	p := r.predictor()
	wantEq(t, "latestCreatedRevision", str(p, "latestCreatedRevision"), "demo-predictor-00001")
	wantEq(t, "latestReadyRevision", str(p, "latestReadyRevision"), "demo-predictor-00001")
	wantEq(t, "latestRolledoutRevision", str(p, "latestRolledoutRevision"), "demo-predictor-00001")
	wantEq(t, "previousRolledoutRevision", str(p, "previousRolledoutRevision"), "")
	wantJSON(t, "traffic", p["traffic"], `[{"latestRevision":true,"percent":100,"revisionName":"demo-predictor-00001"}]`)
	st := r.obj["status"].(map[string]any)
	for _, c := range []string{"Ready", "PredictorReady", "IngressReady", "LatestDeploymentReady", "RoutesReady",
		"PredictorRouteReady", "PredictorConfigurationReady"} {
		wantEq(t, c, condition(t, st, c).Status, "True")
	}
	wantEq(t, "url", str(st, "url"), "http://demo.ml.example.com")
	wantEq(t, "address", str(st, "address", "url"), "http://demo.ml.svc.cluster.local")
	wantEq(t, "component url", str(p, "url"), "http://demo-predictor.ml.example.com")
	wantEq(t, "deploymentMode", str(st, "deploymentMode"), "Knative")
	wantEq(t, "transitionStatus", str(st, "modelStatus", "transitionStatus"), "UpToDate")
}

// §2.1: "canaryTrafficPercent on the first create is ignored, because there is no rolled-out revision yet."
func TestKServeKnative_2_1_CanaryPercentIgnoredOnFirstCreate(t *testing.T) {
	r := newISVC(t, isvcV1)
	r.setSpec(float64(10), "canaryTrafficPercent")
	r.reconcile()
	wantJSON(t, "traffic", r.predictor()["traffic"], `[{"latestRevision":true,"percent":100,"revisionName":"demo-predictor-00001"}]`)
}

// §2.1 table rows Canary, Ramp, Promote: P% to the newest ready revision, the rest to latestRolledoutRevision
// tagged "prev"; a percent change creates no revision; removing the field promotes and shifts the history.
func TestKServeKnative_2_1_CanaryRampPromote(t *testing.T) {
	r := newISVC(t, isvcV1)
	r.reconcile()
	r.setSpec("gs://m/v2", "model", "storageUri")
	r.setSpec(float64(10), "canaryTrafficPercent")
	r.reconcile()
	p := r.predictor()
	wantJSON(t, "canary traffic", p["traffic"], `[
	 {"latestRevision":true,"percent":10,"revisionName":"demo-predictor-00002"},
	 {"latestRevision":false,"percent":90,"revisionName":"demo-predictor-00001","tag":"prev",
	  "url":"http://prev-demo-predictor.ml.example.com"}]`)
	wantEq(t, "latestRolledoutRevision", str(p, "latestRolledoutRevision"), "demo-predictor-00001")
	wantEq(t, "latestCreatedRevision", str(p, "latestCreatedRevision"), "demo-predictor-00002")

	r.setSpec(float64(50), "canaryTrafficPercent") // ramp: only the route changes
	r.reconcile()
	p = r.predictor()
	wantEq(t, "no new revision on ramp", str(p, "latestCreatedRevision"), "demo-predictor-00002")
	wantJSON(t, "ramp traffic", p["traffic"], `[
	 {"latestRevision":true,"percent":50,"revisionName":"demo-predictor-00002"},
	 {"latestRevision":false,"percent":50,"revisionName":"demo-predictor-00001","tag":"prev",
	  "url":"http://prev-demo-predictor.ml.example.com"}]`)

	r.setSpec(nil, "canaryTrafficPercent") // promote = remove the field
	r.reconcile()
	p = r.predictor()
	wantJSON(t, "promoted traffic", p["traffic"], `[{"latestRevision":true,"percent":100,"revisionName":"demo-predictor-00002"}]`)
	wantEq(t, "latestRolledoutRevision", str(p, "latestRolledoutRevision"), "demo-predictor-00002")
	wantEq(t, "previousRolledoutRevision", str(p, "previousRolledoutRevision"), "demo-predictor-00001")
}

// §2.1 "Roll back during canary": canaryTrafficPercent: 0 pins 100 % on the rolled-out revision, the canary keeps 0.
func TestKServeKnative_2_1_RollbackDuringCanary(t *testing.T) {
	r := newISVC(t, isvcV1)
	r.reconcile()
	r.setSpec("gs://m/v2", "model", "storageUri")
	r.setSpec(float64(10), "canaryTrafficPercent")
	r.reconcile()
	r.setSpec(float64(0), "canaryTrafficPercent")
	r.reconcile()
	p := r.predictor()
	wantJSON(t, "traffic", p["traffic"], `[
	 {"latestRevision":true,"percent":0,"revisionName":"demo-predictor-00002"},
	 {"latestRevision":false,"percent":100,"revisionName":"demo-predictor-00001","tag":"prev",
	  "url":"http://prev-demo-predictor.ml.example.com"}]`)
	wantEq(t, "latestRolledoutRevision", str(p, "latestRolledoutRevision"), "demo-predictor-00001")
}

// §2.1 "Roll back after promotion" + PropagateStatus: latestRolledoutRevision returns to previousRolledoutRevision,
// converging over two reconciles; only one level of history.
func TestKServeKnative_2_1_RollbackAfterPromotionOneLevelOfHistory(t *testing.T) {
	r := newISVC(t, isvcV1)
	r.reconcile()
	r.setSpec("gs://m/v2", "model", "storageUri")
	r.reconcile() // no canary percent: rev2 straight to 100 %
	p := r.predictor()
	wantEq(t, "promoted", str(p, "latestRolledoutRevision"), "demo-predictor-00002")
	wantEq(t, "history", str(p, "previousRolledoutRevision"), "demo-predictor-00001")

	r.setSpec(float64(0), "canaryTrafficPercent")
	r.reconcile() // ksvc: latest(rev2) 0 % + prev(rev2) 100 %: all traffic on one revision → roll the record back
	wantEq(t, "after first reconcile", str(r.predictor(), "latestRolledoutRevision"), "demo-predictor-00001")
	r.reconcile() // the traffic now follows the rolled-back record
	p = r.predictor()
	wantJSON(t, "traffic", p["traffic"], `[
	 {"latestRevision":true,"percent":0,"revisionName":"demo-predictor-00002"},
	 {"latestRevision":false,"percent":100,"revisionName":"demo-predictor-00001","tag":"prev",
	  "url":"http://prev-demo-predictor.ml.example.com"}]`)
	wantEq(t, "previousRolledoutRevision unchanged", str(p, "previousRolledoutRevision"), "demo-predictor-00001")
}

// §2.1 table "Roll forward revert": applying v1's content again creates rev3; Knative never reuses rev1.
func TestKServeKnative_2_1_RevertCreatesNewRevision(t *testing.T) {
	r := newISVC(t, isvcV1)
	r.reconcile()
	r.setSpec("gs://m/v2", "model", "storageUri")
	r.reconcile()
	r.setSpec("gs://m/v1", "model", "storageUri")
	r.reconcile()
	p := r.predictor()
	wantEq(t, "latestCreatedRevision", str(p, "latestCreatedRevision"), "demo-predictor-00003")
	wantEq(t, "latestRolledoutRevision", str(p, "latestRolledoutRevision"), "demo-predictor-00003")
	wantEq(t, "previousRolledoutRevision", str(p, "previousRolledoutRevision"), "demo-predictor-00002")
}

// §2.1 "latestRevision: true means the latest Ready revision. A revision that never becomes ready gets no traffic,
// and the previous one keeps serving"; §2.3 PredictorReady mirrors the ksvc Ready (RevisionFailed); IngressReady is
// "Predictor ingress not created" while PredictorReady is not True, so Ready is False; modelStatus lastFailureInfo.
func TestKServeKnative_2_1_FailedRevisionKeepsTrafficOnPrevious(t *testing.T) {
	r := newISVC(t, isvcV1)
	r.reconcile()
	setAt(r.obj, "2", "metadata", "annotations", AnnoFailRevision)
	setAt(r.obj, "model file not found", "metadata", "annotations", AnnoFailMessage)
	r.setSpec("gs://m/broken", "model", "storageUri")
	r.setSpec(float64(10), "canaryTrafficPercent")
	r.reconcile()
	p := r.predictor()
	wantEq(t, "latestCreatedRevision", str(p, "latestCreatedRevision"), "demo-predictor-00002")
	wantEq(t, "latestReadyRevision", str(p, "latestReadyRevision"), "demo-predictor-00001")
	wantJSON(t, "traffic stays on rev1", p["traffic"], `[
	 {"latestRevision":true,"percent":10,"revisionName":"demo-predictor-00001"},
	 {"latestRevision":false,"percent":90,"revisionName":"demo-predictor-00001","tag":"prev",
	  "url":"http://prev-demo-predictor.ml.example.com"}]`)
	st := r.obj["status"].(map[string]any)
	pr := condition(t, st, "PredictorReady")
	wantEq(t, "PredictorReady", pr.Status, "False")
	wantEq(t, "PredictorReady reason", pr.Reason, "RevisionFailed")
	wantEq(t, "PredictorReady message", pr.Message, `Revision "demo-predictor-00002" failed with message: model file not found.`)
	wantEq(t, "LatestDeploymentReady", condition(t, st, "LatestDeploymentReady").Reason, "PredictorConfigurationReady not ready")
	wantEq(t, "RoutesReady", condition(t, st, "RoutesReady").Status, "True")
	ready := condition(t, st, "Ready")
	wantEq(t, "Ready", ready.Status, "False")
	wantEq(t, "Ready reason", ready.Reason, "Predictor ingress not created")
	wantEq(t, "lastFailureInfo", str(st, "modelStatus", "lastFailureInfo", "reason"), "ModelLoadFailed")
	wantEq(t, "transitionStatus", str(st, "modelStatus", "transitionStatus"), "BlockedByFailedLoad")
	wantEq(t, "rolled out record kept", str(p, "latestRolledoutRevision"), "demo-predictor-00001")
}

// §2.3 / kserve/kserve#5443: while the new revision deploys, Ready is Unknown although the old revision serves;
// latestCreatedRevision != latestReadyRevision until it is ready.
func TestKServeKnative_2_3_DeployingRevisionIsUnknown(t *testing.T) {
	r := newISVC(t, isvcV1)
	r.o.ReadyDelay = 5 * time.Second
	r.now = t0.Add(-10 * time.Second)
	r.reconcile()
	r.now = t0
	r.reconcile()
	r.setSpec("gs://m/v2", "model", "storageUri")
	res := r.reconcile()
	p := r.predictor()
	wantEq(t, "latestCreatedRevision", str(p, "latestCreatedRevision"), "demo-predictor-00002")
	wantEq(t, "latestReadyRevision", str(p, "latestReadyRevision"), "demo-predictor-00001")
	wantEq(t, "Ready", condition(t, r.obj["status"].(map[string]any), "Ready").Status, "Unknown")
	wantEq(t, "requeue", res.RequeueAfter, 5*time.Second)
	r.now = t0.Add(5 * time.Second)
	r.reconcile()
	p = r.predictor()
	wantEq(t, "latestReadyRevision", str(p, "latestReadyRevision"), "demo-predictor-00002")
	wantEq(t, "Ready", condition(t, r.obj["status"].(map[string]any), "Ready").Status, "True")
}

// §2.3 "status.observedGeneration is copied from a child object's observedGeneration (ksvc), not from the ISVC"
// (kserve/kserve#6081): an ISVC edit that does not change the ksvc leaves it behind metadata.generation.
func TestKServeKnative_2_3_ObservedGenerationComesFromKsvc(t *testing.T) {
	r := newISVC(t, isvcV1)
	r.reconcile()
	obs, _ := intAt(r.obj, "status", "observedGeneration")
	wantEq(t, "first", obs, 1)
	r.setSpec(float64(3), "maxReplicas") // changes the template: ksvc generation 2
	r.setSpec(float64(4), "maxReplicas") // ISVC generation 3, ksvc generation 2 after one reconcile
	r.reconcile()
	gen, _ := intAt(r.obj, "metadata", "generation")
	obs, _ = intAt(r.obj, "status", "observedGeneration")
	wantEq(t, "isvc generation", gen, 3)
	wantEq(t, "ksvc observedGeneration", obs, 2)
}

// §2.1 "Tag routing": with serving.kserve.io/enable-tag-routing the latest target gets tag "latest" and tag URLs.
func TestKServeKnative_2_1_TagRouting(t *testing.T) {
	r := newISVC(t, isvcV1)
	r.reconcile()
	setAt(r.obj, "true", "metadata", "annotations", "serving.kserve.io/enable-tag-routing")
	r.setSpec(float64(20), "canaryTrafficPercent")
	r.reconcile() // the annotation reaches the pod template: new revision (website example, revision 00003)
	wantJSON(t, "traffic", r.predictor()["traffic"], `[
	 {"latestRevision":true,"percent":20,"revisionName":"demo-predictor-00002","tag":"latest",
	  "url":"http://latest-demo-predictor.ml.example.com"},
	 {"latestRevision":false,"percent":80,"revisionName":"demo-predictor-00001","tag":"prev",
	  "url":"http://prev-demo-predictor.ml.example.com"}]`)
}

// §0/§1.5: legacy "Serverless"/"RawDeployment" annotations are normalised; status.deploymentMode then sticks.
func TestKServe_1_5_DeploymentModeNormalisedAndRecorded(t *testing.T) {
	r := newISVC(t, isvcV1)
	setAt(r.obj, "RawDeployment", "metadata", "annotations", "serving.kserve.io/deploymentMode")
	r.reconcile()
	wantEq(t, "mode", str(r.obj, "status", "deploymentMode"), "Standard")
	setAt(r.obj, "Serverless", "metadata", "annotations", "serving.kserve.io/deploymentMode")
	r.reconcile()
	wantEq(t, "recorded mode is immutable", str(r.obj, "status", "deploymentMode"), "Standard")
}

const isvcStandard = `{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService",
 "metadata":{"name":"demo","namespace":"ml","generation":1,
   "annotations":{"serving.kserve.io/deploymentMode":"Standard"}},
 "spec":{"predictor":{"minReplicas":4,"model":{"modelFormat":{"name":"sklearn"},"storageUri":"gs://m/v1"}},
   "canary":[{"trafficPercent":25,"predictor":{"name":"v2","model":{"storageUri":"gs://m/v2"}}},
             {"trafficPercent":0,"predictor":{"name":"experimental","model":{"storageUri":"gs://m/x"}}}]}}`

// §2.2 v0.20 spec.canary[]: canaryStatuses[{name, ready, trafficPercent}], CanaryPredictorReady AllCanariesReady;
// no Knative revision fields in Standard mode; URLs per §2.2's example.
func TestKServeStandard_2_2_CanaryStatuses(t *testing.T) {
	r := newISVC(t, isvcStandard)
	r.reconcile()
	st := r.obj["status"].(map[string]any)
	wantJSON(t, "canaryStatuses", st["canaryStatuses"], `[{"name":"v2","ready":true,"trafficPercent":25},
	  {"name":"experimental","ready":true,"trafficPercent":0}]`)
	c := condition(t, st, "CanaryPredictorReady")
	wantEq(t, "CanaryPredictorReady", c.Status+"/"+c.Reason, "True/AllCanariesReady")
	wantEq(t, "Ready", condition(t, st, "Ready").Status, "True")
	wantJSON(t, "predictor component", r.predictor(), `{"url":"http://demo-predictor-ml.example.com"}`)
	wantEq(t, "url", str(st, "url"), "http://demo-ml.example.com")
	wantEq(t, "deploymentMode", str(st, "deploymentMode"), "Standard")
}

// §2.2: a canary whose Deployment has no available replica is ready:false → CanaryPredictorReady CanariesNotReady;
// Ready is PredictorReady ∧ IngressReady only (§2.3), so it stays True.
func TestKServeStandard_2_2_FailedCanaryNotReady(t *testing.T) {
	r := newISVC(t, isvcStandard)
	setAt(r.obj, "v2", "metadata", "annotations", AnnoFailCanary)
	r.reconcile()
	st := r.obj["status"].(map[string]any)
	wantJSON(t, "canaryStatuses", st["canaryStatuses"], `[{"name":"v2","ready":false,"trafficPercent":25},
	  {"name":"experimental","ready":true,"trafficPercent":0}]`)
	c := condition(t, st, "CanaryPredictorReady")
	wantEq(t, "CanaryPredictorReady", c.Status+"/"+c.Reason, "False/CanariesNotReady")
	wantEq(t, "Ready", condition(t, st, "Ready").Status, "True")
}

// §2.2 "Rollback: delete the canary entry ... CanaryPredictorReady is cleared"; "Promote with zero restart: set
// spec.predictor.name: v2 ... remove the canary entry".
func TestKServeStandard_2_2_PromoteAndRollbackClearCanaryState(t *testing.T) {
	r := newISVC(t, isvcStandard)
	r.reconcile()
	setAt(r.obj, []any{}, "spec", "canary")
	r.setSpec("v2", "name")
	r.setSpec("gs://m/v2", "model", "storageUri")
	r.reconcile()
	st := r.obj["status"].(map[string]any)
	if _, ok := st["canaryStatuses"]; ok {
		t.Errorf("canaryStatuses should be gone: %v", st["canaryStatuses"])
	}
	if hasCondition(st, "CanaryPredictorReady") {
		t.Errorf("CanaryPredictorReady should be cleared")
	}
	wantEq(t, "renamed predictor url", str(r.predictor(), "url"), "http://demo-v2-predictor-ml.example.com")
}

// §2.2 "Before v0.20. canaryTrafficPercent is silently ignored" in Standard mode, and §2.3: Ready stays True during
// a rolling update (kserve/kserve#4626); observedGeneration comes from the Deployment.
func TestKServeStandard_2_3_RollingUpdateKeepsReadyAndIgnoresCanaryPercent(t *testing.T) {
	r := newISVC(t, `{"metadata":{"name":"demo","namespace":"ml","generation":1,
	  "annotations":{"serving.kserve.io/deploymentMode":"Standard"}},
	  "spec":{"predictor":{"model":{"storageUri":"gs://m/v1"}}}}`)
	r.o.ReadyDelay = 5 * time.Second
	r.reconcile()
	st := r.obj["status"].(map[string]any)
	pr := condition(t, st, "PredictorReady")
	wantEq(t, "first rollout", pr.Status+"/"+pr.Reason, "False/MinimumReplicasUnavailable")
	r.now = t0.Add(5 * time.Second)
	r.reconcile()
	r.setSpec("gs://m/v2", "model", "storageUri")
	r.setSpec(float64(10), "canaryTrafficPercent")
	r.reconcile()
	st = r.obj["status"].(map[string]any)
	wantEq(t, "Ready during rolling update", condition(t, st, "Ready").Status, "True")
	if _, ok := r.predictor()["traffic"]; ok {
		t.Errorf("Standard mode has no traffic block: %v", r.predictor())
	}
	obs, _ := intAt(st, "observedGeneration")
	wantEq(t, "Deployment generation", obs, 2)
}

// §2.3 Standard PredictorReady: Available=False (progress deadline) → False with the Deployment's reason.
func TestKServeStandard_2_3_FailedPredictorDeployment(t *testing.T) {
	r := newISVC(t, isvcStandard)
	setAt(r.obj, "true", "metadata", "annotations", AnnoFailPredictor)
	r.reconcile()
	st := r.obj["status"].(map[string]any)
	pr := condition(t, st, "PredictorReady")
	wantEq(t, "PredictorReady", pr.Status+"/"+pr.Reason, "False/ProgressDeadlineExceeded")
	wantEq(t, "Ready", condition(t, st, "Ready").Status, "False")
	wantEq(t, "IngressReady", condition(t, st, "IngressReady").Reason, "Predictor ingress not created")
}

// A restarted simulator adopts what the status says (the ksvc generation and the latest created revision) rather
// than starting over; the same spec then writes the same status.
func TestKServeKnative_SimulatorRestartAdoptsStatus(t *testing.T) {
	r := newISVC(t, isvcV1)
	r.reconcile()
	r.setSpec("gs://m/v2", "model", "storageUri")
	r.setSpec(float64(10), "canaryTrafficPercent")
	r.reconcile()
	before := jsonOf(r.obj["status"])
	r.st = ISVCState{}
	r.reconcile()
	wantEq(t, "status after restart", jsonOf(r.obj["status"]), before)
}
