package sim

import (
	"testing"
	"time"
)

// Pinned to ../shared/reference/seldon-argo.md §5 (Seldon Core v1 operator, seldon_deployment_status.go).

const sdepCanary = `{"apiVersion":"machinelearning.seldon.io/v1","kind":"SeldonDeployment",
 "metadata":{"name":"iris","namespace":"ml","generation":3},
 "spec":{"protocol":"v2","predictors":[
  {"name":"main","traffic":75,"replicas":2,"graph":{"name":"classifier","implementation":"SKLEARN_SERVER","modelUri":"gs://m/v1"}},
  {"name":"canary","traffic":25,"graph":{"name":"classifier","implementation":"SKLEARN_SERVER","modelUri":"gs://m/v2"},
   "componentSpecs":[{"spec":{"containers":[{"name":"classifier"},{"name":"sidecar"}]}}]}]}}`

// §5.4: state Creating until every Deployment is available, then Available; deploymentStatus keyed by the
// generated Deployment name (§5.1), replicas of the default deployment, serviceStatus, address.url per protocol,
// observedGeneration, Ready condition.
func TestSeldon_5_4_CreatingThenAvailable(t *testing.T) {
	obj := object(t, sdepCanary)
	var st SeldonState
	o := DefaultOptions()
	o.ReadyDelay = 3 * time.Second
	res := ReconcileSeldonDeployment(obj, &st, t0, o)
	apply(obj, res)
	wantEq(t, "state", str(obj, "status", "state"), "Creating")
	wantEq(t, "requeue", res.RequeueAfter, 3*time.Second)
	wantEq(t, "Ready", condition(t, obj["status"].(map[string]any), "Ready").Status, "Unknown")

	apply(obj, ReconcileSeldonDeployment(obj, &st, t0.Add(3*time.Second), o))
	status := obj["status"].(map[string]any)
	wantEq(t, "state", str(status, "state"), "Available")
	wantJSON(t, "deploymentStatus", status["deploymentStatus"], `{
	 "iris-main-0-classifier":{"name":"iris-main-0-classifier","status":"Available","replicas":2,"availableReplicas":2},
	 "iris-canary-0-classifier-sidecar":{"name":"iris-canary-0-classifier-sidecar","status":"Available","replicas":1,"availableReplicas":1}}`)
	wantJSON(t, "serviceStatus", status["serviceStatus"], `{
	 "iris-main":{"svcName":"iris-main","httpEndpoint":"iris-main.ml:8000","grpcEndpoint":"iris-main.ml:5001"},
	 "iris-main-classifier":{"svcName":"iris-main-classifier","httpEndpoint":"iris-main-classifier.ml:9000"},
	 "iris-canary":{"svcName":"iris-canary","httpEndpoint":"iris-canary.ml:8000","grpcEndpoint":"iris-canary.ml:5001"},
	 "iris-canary-classifier":{"svcName":"iris-canary-classifier","httpEndpoint":"iris-canary-classifier.ml:9000"}}`)
	replicas, _ := intAt(status, "replicas")
	wantEq(t, "replicas", replicas, 2)
	wantEq(t, "address", str(status, "address", "url"), "http://iris-main.ml.svc.cluster.local:8000/v2/models/classifier/infer")
	obs, _ := intAt(status, "observedGeneration")
	wantEq(t, "observedGeneration", obs, 3)
	wantEq(t, "Ready", condition(t, status, "Ready").Status, "True")
}

// §5.4: Failed when a Deployment has Available=False and Progressing=False, description
// "Deployment is no longer progressing and not available."; the Ready condition goes False.
func TestSeldon_5_4_FailedPredictor(t *testing.T) {
	obj := object(t, sdepCanary)
	setAt(obj, "canary", "metadata", "annotations", AnnoFailPredictor)
	var st SeldonState
	apply(obj, ReconcileSeldonDeployment(obj, &st, t0, DefaultOptions()))
	status := obj["status"].(map[string]any)
	wantEq(t, "state", str(status, "state"), "Failed")
	wantEq(t, "description", str(status, "description"), "Deployment is no longer progressing and not available.")
	wantEq(t, "failed deployment", str(status, "deploymentStatus", "iris-canary-0-classifier-sidecar", "status"), "Failed")
	wantEq(t, "healthy deployment", str(status, "deploymentStatus", "iris-main-0-classifier", "status"), "Available")
	wantEq(t, "Ready", condition(t, status, "Ready").Status, "False")
}

// §5.4 caveat (SeldonIO/seldon-core#4269): during a rolling update state stays Available; only observedGeneration
// moves — even when the new pods never come up, because the old ones stay available.
func TestSeldon_5_4_RollingUpdateStaysAvailable(t *testing.T) {
	obj := object(t, sdepCanary)
	var st SeldonState
	o := DefaultOptions()
	o.ReadyDelay = 3 * time.Second
	apply(obj, ReconcileSeldonDeployment(obj, &st, t0.Add(-time.Minute), o))
	apply(obj, ReconcileSeldonDeployment(obj, &st, t0, o))
	obj["spec"].(map[string]any)["predictors"] = object(t, `{"p":[
	 {"name":"main","traffic":75,"replicas":2,"graph":{"name":"classifier","implementation":"SKLEARN_SERVER","modelUri":"gs://m/v3"}},
	 {"name":"canary","traffic":25,"graph":{"name":"classifier","implementation":"SKLEARN_SERVER","modelUri":"gs://m/v2"},
	  "componentSpecs":[{"spec":{"containers":[{"name":"classifier"},{"name":"sidecar"}]}}]}]}`)["p"]
	setAt(obj, "main", "metadata", "annotations", AnnoFailPredictor)
	bumpGeneration(obj)
	apply(obj, ReconcileSeldonDeployment(obj, &st, t0.Add(10*time.Second), o))
	wantEq(t, "state", str(obj, "status", "state"), "Available")
	obs, _ := intAt(obj, "status", "observedGeneration")
	wantEq(t, "observedGeneration", obs, 4)
}

// §5.1: Deployment names longer than 63 characters are hashed to seldon-<md5>.
func TestSeldon_5_1_LongDeploymentNameIsHashed(t *testing.T) {
	name := seldonDeploymentName("a-very-long-seldon-deployment-name", "a-long-predictor-name", 0,
		object(t, `{"spec":{"containers":[{"name":"classifier-with-a-long-name"}]}}`), nil)
	// md5("a-very-long-seldon-deployment-name-a-long-predictor-name-0-classifier-with-a-long-name"), by python3 hashlib
	wantEq(t, "hashed", name, "seldon-5d83c1bba3432fe4863166be0022e275")
	wantEq(t, "short kept", seldonDeploymentName("iris", "main", 1, object(t, `{"metadata":{"name":"custom"}}`), nil), "custom")
}
