//go:build cluster

package integration

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func isvcYAML(ns, mode, storage, extra string) string {
	return fmt.Sprintf(`apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: demo
  namespace: %s
  annotations: {serving.kserve.io/deploymentMode: %s}
spec:
  predictor:
%s    model:
      modelFormat: {name: sklearn}
      storageUri: %s
`, ns, mode, extra, storage)
}

// reference/kserve.md §2.1 table, through the real server: apply v1, apply v2 with canaryTrafficPercent 10
// (traffic [10 latest, 90 prev] as the simulator writes it and as kubectl's printer columns show), promote by
// removing the field.
func TestKServeKnativeCanaryStepThroughServer(t *testing.T) {
	c := connect(t)
	ns := namespace(t, c, "sim-kserve")
	startSimulator(t, c, ns, 500*time.Millisecond)

	mustKubectl(t, c, isvcYAML(ns, "Knative", "gs://m/v1", ""), "apply", "-f", "-")
	eventually(t, c, isvcGVR, ns, "demo", "v1 ready", func(o *unstructured.Unstructured) string {
		return all(want(o, `[{"latestRevision":true,"percent":100,"revisionName":"demo-predictor-00001"}]`,
			"status", "components", "predictor", "traffic"), readyIs(o, "True"))
	})
	out := mustKubectl(t, c, "", "wait", "--for=condition=Ready", "inferenceservice/demo", "-n", ns, "--timeout=30s")
	if !strings.Contains(out, "condition met") {
		t.Fatalf("kubectl wait: %q", out)
	}

	mustKubectl(t, c, isvcYAML(ns, "Knative", "gs://m/v2", "    canaryTrafficPercent: 10\n"), "apply", "-f", "-")
	eventually(t, c, isvcGVR, ns, "demo", "canary at 10%", func(o *unstructured.Unstructured) string {
		return all(want(o, `[{"latestRevision":true,"percent":10,"revisionName":"demo-predictor-00002"},
		  {"latestRevision":false,"percent":90,"revisionName":"demo-predictor-00001","tag":"prev",
		   "url":"http://prev-demo-predictor.`+ns+`.example.com"}]`, "status", "components", "predictor", "traffic"),
			want(o, `"demo-predictor-00001"`, "status", "components", "predictor", "latestRolledoutRevision"),
			readyIs(o, "True"))
	})
	// the CRD's printer columns (Prev = traffic tagged prev, Latest = latestRevision) through the real kubectl
	cols := mustKubectl(t, c, "", "get", "isvc", "demo", "-n", ns, "--no-headers",
		"-o", "custom-columns=PREV:.status.components.predictor.traffic[?(@.tag=='prev')].percent,LATEST:.status.components.predictor.traffic[?(@.latestRevision==true)].percent")
	if strings.Join(strings.Fields(cols), " ") != "90 10" {
		t.Fatalf("kubectl columns: %q", cols)
	}

	mustKubectl(t, c, "", "patch", "isvc", "demo", "-n", ns, "--type=merge", "-p", `{"spec":{"predictor":{"canaryTrafficPercent":null}}}`)
	eventually(t, c, isvcGVR, ns, "demo", "promoted", func(o *unstructured.Unstructured) string {
		return all(want(o, `[{"latestRevision":true,"percent":100,"revisionName":"demo-predictor-00002"}]`,
			"status", "components", "predictor", "traffic"),
			want(o, `"demo-predictor-00002"`, "status", "components", "predictor", "latestRolledoutRevision"),
			want(o, `"demo-predictor-00001"`, "status", "components", "predictor", "previousRolledoutRevision"))
	})
}

func readyIs(o *unstructured.Unstructured, status string) string {
	if s, r := conditionStatus(o, "Ready"); s != status {
		return fmt.Sprintf("Ready is %q (%s), want %s", s, r, status)
	}
	return ""
}

// reference/kserve.md §2.1/§2.3: a revision that never becomes ready gets no traffic; Ready False.
func TestKServeKnativeFailedRevisionThroughServer(t *testing.T) {
	c := connect(t)
	ns := namespace(t, c, "sim-kserve-fail")
	startSimulator(t, c, ns, 0)
	mustKubectl(t, c, isvcYAML(ns, "Serverless", "gs://m/v1", ""), "apply", "-f", "-")
	eventually(t, c, isvcGVR, ns, "demo", "v1 ready", func(o *unstructured.Unstructured) string { return readyIs(o, "True") })
	mustKubectl(t, c, "", "annotate", "isvc", "demo", "-n", ns, "sim.mlserve.dev/fail-revision=2",
		"sim.mlserve.dev/fail-message=model not found")
	mustKubectl(t, c, "", "patch", "isvc", "demo", "-n", ns, "--type=merge",
		"-p", `{"spec":{"predictor":{"canaryTrafficPercent":10,"model":{"storageUri":"gs://m/broken"}}}}`)
	eventually(t, c, isvcGVR, ns, "demo", "failed revision", func(o *unstructured.Unstructured) string {
		s, r := conditionStatus(o, "PredictorReady")
		if s != "False" || r != "RevisionFailed" {
			return fmt.Sprintf("PredictorReady %s/%s", s, r)
		}
		return all(readyIs(o, "False"),
			want(o, `"demo-predictor-00001"`, "status", "components", "predictor", "latestReadyRevision"),
			want(o, `"demo-predictor-00002"`, "status", "components", "predictor", "latestCreatedRevision"),
			want(o, `"Knative"`, "status", "deploymentMode"))
	})
	_, errOut, err := kubectl(t, c.env["KUBECONFIG_ADMIN"], "", "wait", "--for=condition=Ready", "isvc/demo", "-n", ns, "--timeout=1s")
	if err == nil || !strings.Contains(errOut, "timed out waiting for the condition") {
		t.Fatalf("kubectl wait on a failed revision should time out: %v %s", err, errOut)
	}
}

// reference/kserve.md §2.2: Standard mode spec.canary[] → canaryStatuses and CanaryPredictorReady.
func TestKServeStandardCanaryThroughServer(t *testing.T) {
	c := connect(t)
	ns := namespace(t, c, "sim-kserve-std")
	startSimulator(t, c, ns, 0)
	mustKubectl(t, c, fmt.Sprintf(`apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: demo, namespace: %s, annotations: {serving.kserve.io/deploymentMode: Standard}}
spec:
  predictor:
    model: {modelFormat: {name: sklearn}, storageUri: "gs://m/v1"}
  canary:
  - trafficPercent: 20
    # the CRD requires canary[].predictor.model.name (the container name) and modelFormat
    predictor: {name: v2, model: {name: kserve-container, modelFormat: {name: sklearn}, storageUri: "gs://m/v2"}}
`, ns), "apply", "-f", "-")
	eventually(t, c, isvcGVR, ns, "demo", "canary statuses", func(o *unstructured.Unstructured) string {
		s, r := conditionStatus(o, "CanaryPredictorReady")
		if s != "True" || r != "AllCanariesReady" {
			return fmt.Sprintf("CanaryPredictorReady %s/%s", s, r)
		}
		return all(want(o, `[{"name":"v2","ready":true,"trafficPercent":20}]`, "status", "canaryStatuses"),
			want(o, `"Standard"`, "status", "deploymentMode"), readyIs(o, "True"))
	})
	mustKubectl(t, c, "", "patch", "isvc", "demo", "-n", ns, "--type=merge", "-p", `{"spec":{"canary":[]}}`)
	eventually(t, c, isvcGVR, ns, "demo", "rolled back", func(o *unstructured.Unstructured) string {
		if s, _ := conditionStatus(o, "CanaryPredictorReady"); s != "" {
			return "CanaryPredictorReady still there"
		}
		return want(o, `null`, "status", "canaryStatuses")
	})
}

// reference/seldon-argo.md §5.4: Creating → Available; a failing predictor → Failed.
func TestSeldonThroughServer(t *testing.T) {
	c := connect(t)
	ns := namespace(t, c, "sim-seldon")
	startSimulator(t, c, ns, 500*time.Millisecond)
	sdep := func(name, anno string) string {
		return fmt.Sprintf(`apiVersion: machinelearning.seldon.io/v1
kind: SeldonDeployment
metadata: {name: %s, namespace: %s, annotations: {%s}}
spec:
  predictors:
  - name: main
    traffic: 75
    graph: {name: classifier, implementation: SKLEARN_SERVER, modelUri: "gs://m/v1"}
  - name: canary
    traffic: 25
    graph: {name: classifier, implementation: SKLEARN_SERVER, modelUri: "gs://m/v2"}
`, name, ns, anno)
	}
	mustKubectl(t, c, sdep("iris", ""), "apply", "-f", "-")
	eventually(t, c, sdepGVR, ns, "iris", "available", func(o *unstructured.Unstructured) string {
		return all(want(o, `"Available"`, "status", "state"),
			want(o, `"Available"`, "status", "deploymentStatus", "iris-canary-0-classifier", "status"),
			want(o, `"http://iris-main.`+ns+`.svc.cluster.local:8000/api/v1.0/predictions"`, "status", "address", "url"))
	})
	mustKubectl(t, c, "", "wait", "--for=condition=Ready", "sdep/iris", "-n", ns, "--timeout=30s")
	mustKubectl(t, c, sdep("broken", `sim.mlserve.dev/fail-predictor: canary`), "apply", "-f", "-")
	eventually(t, c, sdepGVR, ns, "broken", "failed", func(o *unstructured.Unstructured) string {
		return all(want(o, `"Failed"`, "status", "state"),
			want(o, `"Deployment is no longer progressing and not available."`, "status", "description"))
	})
}

const rolloutYAML = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web, namespace: %s}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "web:%s"}]}
  strategy:
    canary:
      canaryService: web-canary
      stableService: web-stable
      trafficRouting: {nginx: {stableIngress: web}}
      steps: [{setWeight: 20}, {pause: {}}, {setWeight: 60}, {pause: {duration: 1}}]
`

func phaseIs(o *unstructured.Unstructured, phase, message string) string {
	p, _, _ := unstructured.NestedString(o.Object, "status", "phase")
	m, _, _ := unstructured.NestedString(o.Object, "status", "message")
	if p != phase || m != message {
		return fmt.Sprintf("phase %q message %q, want %q %q", p, m, phase, message)
	}
	return ""
}

// observedGeneration is a string equal to metadata.generation (reference/seldon-argo.md §1.3/§1.4).
func observed(o *unstructured.Unstructured) string {
	return want(o, fmt.Sprintf("%q", fmt.Sprint(o.GetGeneration())), "status", "observedGeneration")
}

// reference/seldon-argo.md §1-§2: a canary Rollout through the real server, driven with the plugin's exact
// status-subresource merge patches sent by the real kubectl.
func TestArgoRolloutThroughServer(t *testing.T) {
	c := connect(t)
	ns := namespace(t, c, "sim-argo")
	startSimulator(t, c, ns, 0)
	statusPatch := func(p string) {
		mustKubectl(t, c, "", "patch", "rollout", "web", "-n", ns, "--subresource=status", "--type=merge", "-p", p)
	}
	mustKubectl(t, c, fmt.Sprintf(rolloutYAML, ns, "1"), "apply", "-f", "-")
	eventually(t, c, rolloutGVR, ns, "web", "initial", func(o *unstructured.Unstructured) string {
		return all(phaseIs(o, "Healthy", ""), observed(o), want(o, `4`, "status", "currentStepIndex"))
	})
	mustKubectl(t, c, fmt.Sprintf(rolloutYAML, ns, "2"), "apply", "-f", "-")
	eventually(t, c, rolloutGVR, ns, "web", "paused at step 1", func(o *unstructured.Unstructured) string {
		return all(phaseIs(o, "Paused", "CanaryPauseStep"), observed(o), want(o, `1`, "status", "currentStepIndex"),
			want(o, `20`, "status", "canary", "weights", "canary", "weight"),
			want(o, `80`, "status", "canary", "weights", "stable", "weight"),
			want(o, `"2"`, "metadata", "annotations", "rollout.argoproj.io/revision"))
	})
	statusPatch(`{"status":{"pauseConditions":null}}`) // promote
	eventually(t, c, rolloutGVR, ns, "web", "promoted through the timed pause", func(o *unstructured.Unstructured) string {
		return all(phaseIs(o, "Healthy", ""), want(o, `4`, "status", "currentStepIndex"),
			want(o, jsonAt(o, "status", "currentPodHash"), "status", "stableRS"))
	})

	mustKubectl(t, c, fmt.Sprintf(rolloutYAML, ns, "3"), "apply", "-f", "-")
	eventually(t, c, rolloutGVR, ns, "web", "paused again", func(o *unstructured.Unstructured) string {
		return phaseIs(o, "Paused", "CanaryPauseStep")
	})
	statusPatch(`{"status":{"abort":true}}`)
	eventually(t, c, rolloutGVR, ns, "web", "aborted", func(o *unstructured.Unstructured) string {
		return all(phaseIs(o, "Degraded", "RolloutAborted: Rollout aborted update to revision 3"),
			want(o, `0`, "status", "currentStepIndex"), want(o, `0`, "status", "canary", "weights", "canary", "weight"))
	})
	statusPatch(`{"status":{"abort":false}}`) // retry
	eventually(t, c, rolloutGVR, ns, "web", "retried", func(o *unstructured.Unstructured) string {
		return all(phaseIs(o, "Paused", "CanaryPauseStep"), want(o, `1`, "status", "currentStepIndex"))
	})
	statusPatch(`{"status":{"promoteFull":true}}`)
	eventually(t, c, rolloutGVR, ns, "web", "fully promoted", func(o *unstructured.Unstructured) string {
		return all(phaseIs(o, "Healthy", ""), want(o, `null`, "status", "promoteFull"),
			want(o, jsonAt(o, "status", "currentPodHash"), "status", "stableRS"))
	})

	// a failing step: analysis Failed aborts (§3.3)
	mustKubectl(t, c, "", "annotate", "rollout", "web", "-n", ns, "sim.mlserve.dev/fail-step=2")
	patched := strings.Replace(fmt.Sprintf(rolloutYAML, ns, "4"), "{setWeight: 60}",
		"{analysis: {templates: [{templateName: success-rate}]}}", 1)
	mustKubectl(t, c, patched, "apply", "-f", "-")
	eventually(t, c, rolloutGVR, ns, "web", "paused before analysis", func(o *unstructured.Unstructured) string {
		return phaseIs(o, "Paused", "CanaryPauseStep")
	})
	statusPatch(`{"status":{"pauseConditions":null}}`)
	eventually(t, c, rolloutGVR, ns, "web", "analysis failed", func(o *unstructured.Unstructured) string {
		return all(phaseIs(o, "Degraded", `RolloutAborted: Rollout aborted update to revision 4: Step-based analysis phase `+
			`error/failed: Metric "sim" assessed Failed due to failed (1) > failureLimit (0)`),
			want(o, `true`, "status", "abort"), observed(o))
	})
}
