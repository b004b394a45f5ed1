package sim

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// KServe InferenceService (serving.kserve.io/v1beta1), reference/kserve.md §2.

// Addressable is the duck-typed address.
type Addressable struct {
	URL string `json:"url,omitempty"`
}

// TrafficTarget is a Knative route traffic entry as KServe copies it into the component status.
type TrafficTarget struct {
	Tag            string `json:"tag,omitempty"`
	RevisionName   string `json:"revisionName,omitempty"`
	LatestRevision *bool  `json:"latestRevision,omitempty"`
	Percent        *int64 `json:"percent,omitempty"`
	URL            string `json:"url,omitempty"`
}

// ComponentStatus is status.components.<component>.
type ComponentStatus struct {
	LatestReadyRevision       string          `json:"latestReadyRevision,omitempty"`
	LatestCreatedRevision     string          `json:"latestCreatedRevision,omitempty"`
	PreviousRolledoutRevision string          `json:"previousRolledoutRevision,omitempty"`
	LatestRolledoutRevision   string          `json:"latestRolledoutRevision,omitempty"`
	Traffic                   []TrafficTarget `json:"traffic,omitempty"`
	URL                       string          `json:"url,omitempty"`
	Address                   *Addressable    `json:"address,omitempty"`
}

// FailureInfo is status.modelStatus.lastFailureInfo.
type FailureInfo struct {
	Reason  string `json:"reason,omitempty"`
	Message string `json:"message,omitempty"`
}

// ModelStatus is status.modelStatus.
type ModelStatus struct {
	TransitionStatus string `json:"transitionStatus,omitempty"`
	States           *struct {
		ActiveModelState string `json:"activeModelState"`
		TargetModelState string `json:"targetModelState,omitempty"`
	} `json:"states,omitempty"`
	LastFailureInfo *FailureInfo `json:"lastFailureInfo,omitempty"`
	Copies          *struct {
		FailedCopies int `json:"failedCopies"`
		TotalCopies  int `json:"totalCopies,omitempty"`
	} `json:"copies,omitempty"`
}

// CanaryStatus is one status.canaryStatuses[] entry (Standard mode, v0.20+).
type CanaryStatus struct {
	Name           string `json:"name"`
	Ready          bool   `json:"ready"`
	TrafficPercent int64  `json:"trafficPercent"`
}

// ISVCStatus is the InferenceService status the simulator writes.
type ISVCStatus struct {
	ObservedGeneration int64                      `json:"observedGeneration,omitempty"`
	Conditions         []Condition                `json:"conditions,omitempty"`
	URL                string                     `json:"url,omitempty"`
	Address            *Addressable               `json:"address,omitempty"`
	Components         map[string]ComponentStatus `json:"components,omitempty"`
	ModelStatus        ModelStatus                `json:"modelStatus"`
	DeploymentMode     string                     `json:"deploymentMode,omitempty"`
	CanaryStatuses     []CanaryStatus             `json:"canaryStatuses,omitempty"`
}

// Revision is one simulated Knative revision of the predictor.
type Revision struct {
	Number  int
	Hash    string
	Created time.Time
}

// ISVCState is what the simulator remembers about one InferenceService between reconciles: the child objects an
// upstream controller would have (Knative revisions and the ksvc's generation, or the Standard-mode Deployments).
type ISVCState struct {
	Revisions     []Revision
	ChildGen      int64  // generation of the ksvc (Knative) or predictor Deployment (Standard)
	ChildSpecHash string // hash of the child spec last written, to know when its generation moves
	DeployHash    string // Standard mode: hash of the predictor pod template now rolling out
	DeployStart   time.Time
	CanaryStart   map[string]time.Time // Standard mode: when each canary Deployment (by hash) was created
}

// Deployment modes (reference/kserve.md §0, §1.5): legacy spellings are accepted as the webhook would rewrite them.
func deploymentMode(obj map[string]any, o Options) string {
	if m := str(obj, "status", "deploymentMode"); m != "" {
		return m // recorded once, immutable from v0.16
	}
	switch annotation(obj, "serving.kserve.io/deploymentMode") {
	case "Knative", "Serverless":
		return "Knative"
	case "Standard", "RawDeployment":
		return "Standard"
	}
	return o.DefaultMode
}

var revisionSuffix = regexp.MustCompile(`-(\d{5})$`)

// ReconcileInferenceService computes the next status of an InferenceService.
func ReconcileInferenceService(obj map[string]any, st *ISVCState, now time.Time, o Options) Result {
	var prev ISVCStatus
	fromMap(field(obj, "status"), &prev)
	if deploymentMode(obj, o) == "Standard" {
		return reconcileStandard(obj, prev, st, now, o)
	}
	return reconcileKnative(obj, prev, st, now, o)
}

func boolPtr(b bool) *bool    { return &b }
func int64Ptr(i int64) *int64 { return &i }

// knativeService is the simulated ksvc status that KServe propagates (reference/kserve.md §2.1).
type knativeService struct {
	latestCreated, latestReady string
	traffic                    []TrafficTarget
	ready, routes, configs     *Condition
}

func reconcileKnative(obj map[string]any, prev ISVCStatus, st *ISVCState, now time.Time, o Options) Result {
	name, ns := str(obj, "metadata", "name"), str(obj, "metadata", "namespace")
	ksvcName := name + "-predictor"
	predictor := map[string]any{}
	for k, v := range mapAt(obj, "spec", "predictor") {
		if k != "canaryTrafficPercent" {
			predictor[k] = v
		}
	}
	hash := hashOf(map[string]any{"predictor": predictor, "meta": podTemplateMetadata(obj)})
	delay := readyDelay(obj, o)
	prevComp := prev.Components["predictor"]

	// A simulator that restarts adopts the latest created revision from the status as the current template.
	if len(st.Revisions) == 0 && prevComp.LatestCreatedRevision != "" {
		if m := revisionSuffix.FindStringSubmatch(prevComp.LatestCreatedRevision); m != nil {
			n, _ := strconv.Atoi(m[1])
			st.Revisions = append(st.Revisions, Revision{Number: n, Hash: hash, Created: now.Add(-delay)})
		}
	}
	// Every change of the pod template creates a new revision; Knative never reuses an old one (§2.1 table).
	if len(st.Revisions) == 0 || st.Revisions[len(st.Revisions)-1].Hash != hash {
		n := 1
		if len(st.Revisions) > 0 {
			n = st.Revisions[len(st.Revisions)-1].Number + 1
		}
		st.Revisions = append(st.Revisions, Revision{Number: n, Hash: hash, Created: now})
	}
	failed := listAnnotation(obj, AnnoFailRevision)
	revName := func(r Revision) string { return fmt.Sprintf("%s-%05d", ksvcName, r.Number) }
	settled := func(r Revision) bool { return !now.Before(r.Created.Add(delay)) }
	isFailed := func(r Revision) bool { return settled(r) && contains(failed, strconv.Itoa(r.Number)) }
	isReady := func(r Revision) bool { return settled(r) && !contains(failed, strconv.Itoa(r.Number)) }

	var ks knativeService
	latest := st.Revisions[len(st.Revisions)-1]
	ks.latestCreated = revName(latest)
	for i := len(st.Revisions) - 1; i >= 0; i-- {
		if isReady(st.Revisions[i]) {
			ks.latestReady = revName(st.Revisions[i])
			break
		}
	}
	var requeue time.Duration
	if !settled(latest) {
		requeue = latest.Created.Add(delay).Sub(now)
	}

	// ksvc.spec.traffic, built by KServe from the component status (ksvc_reconciler.go, quoted in §2.1).
	tagRouting := annotation(obj, "serving.kserve.io/enable-tag-routing") == "true"
	latestTag := ""
	if tagRouting {
		latestTag = "latest"
	}
	var specTraffic []TrafficTarget
	cp, hasCP := intAt(obj, "spec", "predictor", "canaryTrafficPercent")
	if hasCP && prevComp.LatestRolledoutRevision != "" {
		specTraffic = append(specTraffic, TrafficTarget{Tag: latestTag, LatestRevision: boolPtr(true), Percent: int64Ptr(cp)})
		if cp < 100 {
			specTraffic = append(specTraffic, TrafficTarget{Tag: "prev", RevisionName: prevComp.LatestRolledoutRevision,
				LatestRevision: boolPtr(false), Percent: int64Ptr(100 - cp)})
		}
	} else {
		specTraffic = []TrafficTarget{{Tag: latestTag, LatestRevision: boolPtr(true), Percent: int64Ptr(100)}}
	}
	// The ksvc's generation moves whenever KServe writes a new template or traffic block into it.
	if h := hashOf(map[string]any{"template": hash, "traffic": specTraffic}); h != st.ChildSpecHash {
		st.ChildSpecHash = h
		if st.ChildGen == 0 && prev.ObservedGeneration > 0 {
			st.ChildGen = prev.ObservedGeneration // adopted after a simulator restart
		} else {
			st.ChildGen++
		}
	}

	// Knative route status: latestRevision:true resolves to the latest *ready* revision.
	domain := o.IngressDomain
	if ks.latestReady != "" {
		for _, t := range specTraffic {
			t := t
			if *t.LatestRevision {
				t.RevisionName = ks.latestReady
			}
			if t.Tag != "" {
				t.URL = fmt.Sprintf("http://%s-%s.%s.%s", t.Tag, ksvcName, ns, domain)
			}
			ks.traffic = append(ks.traffic, t)
		}
	}
	switch {
	case isReady(latest):
		ks.configs = &Condition{Status: "True"}
	case isFailed(latest):
		ks.configs = &Condition{Status: "False", Reason: "RevisionFailed",
			Message: fmt.Sprintf("Revision %q failed with message: %s.", revName(latest), failMessage(obj))}
	default:
		ks.configs = &Condition{Status: "Unknown"}
	}
	switch {
	case ks.latestReady != "":
		ks.routes = &Condition{Status: "True"}
	case isFailed(latest):
		ks.routes = &Condition{Status: "False", Reason: "RevisionMissing",
			Message: fmt.Sprintf("Configuration %q does not have any ready Revision.", ksvcName)}
	default:
		ks.routes = &Condition{Status: "Unknown", Reason: "RevisionMissing",
			Message: fmt.Sprintf("Configuration %q is waiting for a Revision to become ready.", ksvcName)}
	}
	switch {
	case ks.configs.Status == "False":
		ks.ready = ks.configs
	case ks.routes.Status == "False":
		ks.ready = ks.routes
	case ks.configs.Status == "Unknown":
		ks.ready = ks.configs
	case ks.routes.Status == "Unknown":
		ks.ready = ks.routes
	default:
		ks.ready = &Condition{Status: "True"}
	}

	next := prev
	next.DeploymentMode = "Knative"
	next.CanaryStatuses = nil
	cs := newConditionSet("Ready", []string{"PredictorReady", "IngressReady"}, prev.Conditions, now)
	comp := propagateKnative(prevComp, ks, cs, fmt.Sprintf("http://%s.%s.%s", ksvcName, ns, domain),
		fmt.Sprintf("http://%s.%s.svc.cluster.local", ksvcName, ns))
	next.Components = map[string]ComponentStatus{"predictor": comp}
	next.ObservedGeneration = st.ChildGen // copied from the ksvc, not the ISVC (§2.3, kserve/kserve#6081)
	crossComponent(cs, "RoutesReady", "PredictorRouteReady")
	crossComponent(cs, "LatestDeploymentReady", "PredictorConfigurationReady")
	ingress(cs, &next, fmt.Sprintf("http://%s.%s.%s", name, ns, domain), fmt.Sprintf("http://%s.%s.svc.cluster.local", name, ns))
	next.Conditions = cs.conds
	modelStatus(&next, cs.IsTrue("Ready") && comp.LatestCreatedRevision == comp.LatestReadyRevision,
		isFailed(latest), failMessage(obj))
	return Result{Status: toMap(next), RequeueAfter: requeue}
}

// propagateKnative follows InferenceServiceStatus.PropagateStatus (inference_service_status.go, §2.1 "Status
// bookkeeping"): rolled-out revision history of one level, traffic copied verbatim, per-component conditions.
func propagateKnative(c ComponentStatus, ks knativeService, cs *conditionSet, url, address string) ComponentStatus {
	c.LatestCreatedRevision = ks.latestCreated
	perRevision := map[string]int64{}
	for _, t := range ks.traffic {
		perRevision[t.RevisionName] += *t.Percent
	}
	for _, t := range ks.traffic {
		if t.RevisionName != ks.latestReady || t.LatestRevision == nil || !*t.LatestRevision {
			continue
		}
		if c.LatestRolledoutRevision != ks.latestReady {
			if *t.Percent == 100 { // the latest ready revision took all traffic: record the promotion
				c.PreviousRolledoutRevision = c.LatestRolledoutRevision
				c.LatestRolledoutRevision = ks.latestReady
			}
		} else if ks.latestReady == ks.latestCreated && *t.Percent < 100 &&
			perRevision[t.RevisionName] == 100 && c.PreviousRolledoutRevision != "" {
			// rolled back after promotion: all traffic split over the same revision
			c.LatestRolledoutRevision = c.PreviousRolledoutRevision
		}
	}
	c.LatestReadyRevision = ks.latestReady
	if ks.ready.Status == "True" {
		c.URL, c.Address = url, &Addressable{URL: address}
	}
	cs.Set("PredictorReady", ks.ready)
	cs.Set("PredictorRouteReady", ks.routes)
	c.Traffic = ks.traffic
	cs.Set("PredictorConfigurationReady", ks.configs)
	return c
}

// crossComponent follows PropagateCrossComponentStatus for a predictor-only service.
func crossComponent(cs *conditionSet, aggregate, component string) {
	c := cs.get(component)
	switch {
	case c != nil && c.Status == "True":
		cs.MarkTrue(aggregate)
	case c != nil && c.Status == "False":
		cs.MarkFalse(aggregate, component+" not ready", "")
	default:
		cs.MarkUnknown(aggregate, component+" not ready", "")
	}
}

// ingress follows the ingress reconcilers (§2.3): IngressReady only after PredictorReady, else
// "Predictor ingress not created" with PredictorReady's status.
func ingress(cs *conditionSet, s *ISVCStatus, url, address string) {
	p := cs.get("PredictorReady")
	if p == nil || p.Status != "True" {
		c := &Condition{Status: "False", Reason: "Predictor ingress not created"}
		if p == nil || p.Status == "Unknown" {
			c.Status = "Unknown"
		}
		cs.Set("IngressReady", c)
		return
	}
	s.URL, s.Address = url, &Addressable{URL: address}
	cs.MarkTrue("IngressReady")
}

// modelStatus follows UpdateModelRevisionStates: Loaded/UpToDate when ready, FailedToLoad/BlockedByFailedLoad
// with lastFailureInfo when the newest revision failed, Pending/InProgress otherwise.
func modelStatus(s *ISVCStatus, loaded, failed bool, message string) {
	ms := &s.ModelStatus
	if ms.States == nil {
		ms.States = &struct {
			ActiveModelState string `json:"activeModelState"`
			TargetModelState string `json:"targetModelState,omitempty"`
		}{}
	}
	if ms.Copies == nil {
		ms.Copies = &struct {
			FailedCopies int `json:"failedCopies"`
			TotalCopies  int `json:"totalCopies,omitempty"`
		}{}
	}
	switch {
	case loaded:
		ms.States.TargetModelState, ms.States.ActiveModelState, ms.TransitionStatus = "Loaded", "Loaded", "UpToDate"
		ms.Copies.TotalCopies = 1
	case failed:
		ms.States.TargetModelState, ms.TransitionStatus = "FailedToLoad", "BlockedByFailedLoad"
		ms.LastFailureInfo = &FailureInfo{Reason: "ModelLoadFailed", Message: message}
	default:
		ms.States.TargetModelState, ms.TransitionStatus = "Pending", "InProgress"
	}
}
