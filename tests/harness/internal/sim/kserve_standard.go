package sim

import (
	"fmt"
	"time"
)

// KServe Standard ("RawDeployment") mode, reference/kserve.md §2.2 and §2.3.
//
// The simulated children are the predictor Deployment {isvc}-predictor (or {isvc}-{predictor.name}-predictor) and
// one Deployment per spec.canary[] entry. canaryTrafficPercent is ignored in this mode (§2.2 "Before v0.20").

func reconcileStandard(obj map[string]any, prev ISVCStatus, st *ISVCState, now time.Time, o Options) Result {
	name, ns := str(obj, "metadata", "name"), str(obj, "metadata", "namespace")
	delay := readyDelay(obj, o)
	predictor := map[string]any{}
	for k, v := range mapAt(obj, "spec", "predictor") {
		if k != "canaryTrafficPercent" {
			predictor[k] = v
		}
	}
	hash := hashOf(map[string]any{"predictor": predictor, "meta": podTemplateMetadata(obj)})
	depName := name + "-predictor"
	if pn := str(obj, "spec", "predictor", "name"); pn != "" {
		depName = fmt.Sprintf("%s-%s-predictor", name, pn)
	}
	if st.DeployHash != hash {
		if st.DeployHash == "" && prev.ObservedGeneration != 0 {
			st.DeployStart = now.Add(-delay) // adopted after a simulator restart: already rolled out
			st.ChildGen = prev.ObservedGeneration
		} else {
			st.DeployStart = now
			st.ChildGen++
		}
		st.DeployHash = hash
	}
	var requeue time.Duration
	settledAt := st.DeployStart.Add(delay)
	if now.Before(settledAt) {
		requeue = settledAt.Sub(now)
	}
	failPredictor := annotation(obj, AnnoFailPredictor) == "true"

	// The Deployment's conditions, then PropagateRawStatus: Available=True → True; Available=False or
	// ReplicaFailure=True → False; a rolling update keeps the old pods Available, so Ready stays True (§2.3).
	var predReady *Condition
	switch {
	case failPredictor && !now.Before(settledAt):
		predReady = &Condition{Status: "False", Reason: "ProgressDeadlineExceeded",
			Message: fmt.Sprintf("ReplicaSet %q has timed out progressing.", depName+"-"+hash)}
	case now.Before(settledAt) && !wasAvailable(prev):
		predReady = &Condition{Status: "False", Reason: "MinimumReplicasUnavailable",
			Message: "Deployment does not have minimum availability."}
	default:
		predReady = &Condition{Status: "True"}
	}

	next := prev
	next.DeploymentMode = "Standard"
	cs := newConditionSet("Ready", []string{"PredictorReady", "IngressReady"}, prev.Conditions, now)
	cs.Set("PredictorReady", predReady)
	comp := prev.Components["predictor"]
	if predReady.Status == "True" {
		comp.URL = fmt.Sprintf("http://%s-%s.%s", depName, ns, o.IngressDomain)
	}
	next.Components = map[string]ComponentStatus{"predictor": comp}
	next.ObservedGeneration = st.ChildGen // copied from the Deployment (§2.3)

	// spec.canary[] (v0.20+): per-canary readiness = its Deployment has an available replica.
	if st.CanaryStart == nil {
		st.CanaryStart = map[string]time.Time{}
	}
	failed := listAnnotation(obj, AnnoFailCanary)
	next.CanaryStatuses = nil
	allReady := true
	for _, raw := range sliceAt(obj, "spec", "canary") {
		c, _ := raw.(map[string]any)
		cname := str(c, "predictor", "name")
		tp, _ := intAt(c, "trafficPercent")
		key := cname + "/" + hashOf(c["predictor"])
		start, ok := st.CanaryStart[key]
		if !ok {
			start = now
			st.CanaryStart[key] = now
		}
		ready := !now.Before(start.Add(delay)) && !contains(failed, cname)
		if now.Before(start.Add(delay)) {
			requeue = minDuration(requeue, start.Add(delay).Sub(now))
		}
		allReady = allReady && ready
		next.CanaryStatuses = append(next.CanaryStatuses, CanaryStatus{Name: cname, Ready: ready, TrafficPercent: tp})
	}
	switch {
	case len(next.CanaryStatuses) == 0:
		cs.Clear("CanaryPredictorReady") // removed when there are no canaries
	case allReady:
		cs.set(Condition{Type: "CanaryPredictorReady", Status: "True", Reason: "AllCanariesReady"})
	default:
		cs.set(Condition{Type: "CanaryPredictorReady", Status: "False", Reason: "CanariesNotReady"})
	}

	ingress(cs, &next, fmt.Sprintf("http://%s-%s.%s", name, ns, o.IngressDomain),
		fmt.Sprintf("http://%s.%s.svc.cluster.local", depName, ns))
	next.Conditions = cs.conds
	modelStatus(&next, cs.IsTrue("Ready"), failPredictor && !now.Before(settledAt), failMessage(obj))
	return Result{Status: toMap(next), RequeueAfter: requeue}
}

// wasAvailable says whether the predictor Deployment had available pods before this reconcile.
func wasAvailable(prev ISVCStatus) bool {
	for _, c := range prev.Conditions {
		if c.Type == "PredictorReady" && c.Status == "True" {
			return true
		}
	}
	return false
}
