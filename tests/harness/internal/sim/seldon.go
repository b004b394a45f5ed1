package sim

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// Seldon Core v1 SeldonDeployment (machinelearning.seldon.io/v1), reference/seldon-argo.md §5.1 (generated names)
// and §5.4 (status).

// SeldonDeploymentStatus is status.deploymentStatus.<name>.
type SeldonDeploymentStatus struct {
	Name              string `json:"name,omitempty"`
	Status            string `json:"status,omitempty"`
	Description       string `json:"description,omitempty"`
	Replicas          int64  `json:"replicas,omitempty"`
	AvailableReplicas int64  `json:"availableReplicas,omitempty"`
	ExplainerFor      string `json:"explainerFor,omitempty"`
}

// SeldonServiceStatus is status.serviceStatus.<name>.
type SeldonServiceStatus struct {
	SvcName      string `json:"svcName,omitempty"`
	HTTPEndpoint string `json:"httpEndpoint,omitempty"`
	GRPCEndpoint string `json:"grpcEndpoint,omitempty"`
	ExplainerFor string `json:"explainerFor,omitempty"`
}

// SeldonStatus is the SeldonDeployment status.
type SeldonStatus struct {
	State              string                            `json:"state,omitempty"`
	Description        string                            `json:"description,omitempty"`
	DeploymentStatus   map[string]SeldonDeploymentStatus `json:"deploymentStatus,omitempty"`
	ServiceStatus      map[string]SeldonServiceStatus    `json:"serviceStatus,omitempty"`
	Replicas           int64                             `json:"replicas,omitempty"`
	Address            *Addressable                      `json:"address,omitempty"`
	Conditions         []Condition                       `json:"conditions,omitempty"`
	ObservedGeneration int64                             `json:"observedGeneration,omitempty"`
}

// SeldonState remembers when each predictor's Deployments were last re-rendered.
type SeldonState struct {
	Started map[string]time.Time // key: deployment name + "/" + hash of its predictor spec
}

// seldonDeploymentName builds {sdep}-{predictor}-{index}-{containers joined by -}, or the componentSpec's own
// metadata.name, hashed to seldon-<md5> when longer than 63 characters (§5.1 "Generated names").
func seldonDeploymentName(sdep, predictor string, index int, cs map[string]any, graphNames []string) string {
	name := str(cs, "metadata", "name")
	if name == "" {
		var containers []string
		for _, c := range sliceAt(cs, "spec", "containers") {
			if m, ok := c.(map[string]any); ok {
				containers = append(containers, str(m, "name"))
			}
		}
		if len(containers) == 0 {
			containers = graphNames // prepackaged servers: the defaulting webhook adds a container per graph node
		}
		name = fmt.Sprintf("%s-%s-%d-%s", sdep, predictor, index, strings.Join(containers, "-"))
	}
	if len(name) > 63 {
		sum := md5.Sum([]byte(name))
		name = "seldon-" + hex.EncodeToString(sum[:])
	}
	return name
}

func graphNodeNames(node map[string]any) []string {
	if node == nil {
		return nil
	}
	names := []string{str(node, "name")}
	for _, c := range sliceAt(node, "children") {
		if m, ok := c.(map[string]any); ok {
			names = append(names, graphNodeNames(m)...)
		}
	}
	return names
}

// predictionPath is GetPredictionPath per protocol (§5.4 address.url).
func predictionPath(protocol, graphName string) string {
	switch protocol {
	case "tensorflow":
		return fmt.Sprintf("/v1/models/%s:predict", graphName)
	case "v2", "kfserving":
		return fmt.Sprintf("/v2/models/%s/infer", graphName)
	}
	return "/api/v1.0/predictions"
}

// ReconcileSeldonDeployment computes the next status of a SeldonDeployment.
func ReconcileSeldonDeployment(obj map[string]any, st *SeldonState, now time.Time, o Options) Result {
	var prev SeldonStatus
	fromMap(field(obj, "status"), &prev)
	if st.Started == nil {
		st.Started = map[string]time.Time{}
	}
	sdep, ns := str(obj, "metadata", "name"), str(obj, "metadata", "namespace")
	delay := readyDelay(obj, o)
	failList := listAnnotation(obj, AnnoFailPredictor)
	gen, _ := intAt(obj, "metadata", "generation")
	defaultReplicas, hasDefault := intAt(obj, "spec", "replicas")
	if !hasDefault {
		defaultReplicas = 1
	}

	next := SeldonStatus{DeploymentStatus: map[string]SeldonDeploymentStatus{},
		ServiceStatus: map[string]SeldonServiceStatus{}, ObservedGeneration: gen}
	state := "Available"
	var failedDesc string
	var requeue time.Duration
	for pi, raw := range sliceAt(obj, "spec", "predictors") {
		p, _ := raw.(map[string]any)
		pname := str(p, "name")
		replicas, ok := intAt(p, "replicas")
		if !ok {
			replicas = defaultReplicas
		}
		graph := mapAt(p, "graph")
		specs := sliceAt(p, "componentSpecs")
		if len(specs) == 0 {
			specs = []any{map[string]any{}}
		}
		fails := contains(failList, "true") || contains(failList, pname)
		for ci, rawcs := range specs {
			cs, _ := rawcs.(map[string]any)
			dname := seldonDeploymentName(sdep, pname, ci, cs, graphNodeNames(graph))
			key := dname + "/" + hashOf(p)
			start, seen := st.Started[key]
			if !seen {
				start = now
				st.Started[key] = now
			}
			settled := !now.Before(start.Add(delay))
			if !settled {
				requeue = minDuration(requeue, start.Add(delay).Sub(now))
			}
			ds := SeldonDeploymentStatus{Name: dname, Replicas: replicas}
			// A re-rendered Deployment that was available keeps its old pods during the rolling update, so it
			// stays Available, even when the new pods never come up (§5.4 caveat, SeldonIO/seldon-core#4269).
			wasAvailable := prev.DeploymentStatus[dname].Status == "Available"
			switch {
			case wasAvailable:
				ds.Status, ds.AvailableReplicas = "Available", replicas
			case settled && fails:
				ds.Status, ds.Description = "Failed", "Deployment is no longer progressing and not available."
				state, failedDesc = "Failed", ds.Description
			case settled:
				ds.Status, ds.AvailableReplicas = "Available", replicas
			default:
				ds.Status = "Creating"
				if state != "Failed" {
					state = "Creating"
				}
			}
			next.DeploymentStatus[dname] = ds
			if pi == 0 && ci == 0 {
				next.Replicas = replicas // replicas of the default deployment
			}
		}
		// predictor Service {sdep}-{predictor} (executor ports 8000 REST, 5001 gRPC) and one per graph node.
		svc := fmt.Sprintf("%s-%s", sdep, pname)
		next.ServiceStatus[svc] = SeldonServiceStatus{SvcName: svc,
			HTTPEndpoint: fmt.Sprintf("%s.%s:8000", svc, ns), GRPCEndpoint: fmt.Sprintf("%s.%s:5001", svc, ns)}
		for _, n := range graphNodeNames(graph) {
			nsvc := fmt.Sprintf("%s-%s-%s", sdep, pname, n)
			next.ServiceStatus[nsvc] = SeldonServiceStatus{SvcName: nsvc, HTTPEndpoint: fmt.Sprintf("%s.%s:9000", nsvc, ns)}
		}
		if pi == 0 {
			next.Address = &Addressable{URL: fmt.Sprintf("http://%s.%s.svc.cluster.local:8000%s", svc, ns,
				predictionPath(str(obj, "spec", "protocol"), str(graph, "name")))}
		}
	}
	next.State = state
	if state == "Failed" {
		next.Description = failedDesc
	}
	cs := newConditionSet("Ready", []string{"DeploymentsReady", "ServicesReady"}, prev.Conditions, now)
	switch state {
	case "Available":
		cs.MarkTrue("DeploymentsReady")
	case "Failed":
		cs.MarkFalse("DeploymentsReady", "", failedDesc)
	default:
		cs.MarkUnknown("DeploymentsReady", "", "")
	}
	cs.MarkTrue("ServicesReady")
	next.Conditions = cs.conds
	return Result{Status: toMap(next), RequeueAfter: requeue}
}
