// Package simrun is the controller simulator's run loop: it watches InferenceServices, SeldonDeployments and
// Rollouts through the real API server (client-go dynamic informers), computes the next status with the pure
// functions of package sim, and writes it through the status subresource (PUT /status with the object's
// resourceVersion, so a concurrent promote/abort patch makes it re-read instead of being overwritten).
package simrun

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/dynamic/dynamicinformer"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/util/workqueue"

	"mlserve.dev/harness/internal/sim"
)

// FieldManager names the simulator's writes in managedFields.
const FieldManager = "mlserve-controller-simulator"

// Kind is one simulated controller.
type Kind struct {
	Name string
	GVR  schema.GroupVersionResource
}

// Kinds are the resources the simulator drives.
var Kinds = []Kind{
	{"InferenceService", schema.GroupVersionResource{Group: "serving.kserve.io", Version: "v1beta1", Resource: "inferenceservices"}},
	{"SeldonDeployment", schema.GroupVersionResource{Group: "machinelearning.seldon.io", Version: "v1", Resource: "seldondeployments"}},
	{"Rollout", schema.GroupVersionResource{Group: "argoproj.io", Version: "v1alpha1", Resource: "rollouts"}},
}

// Simulator holds the per-object memory (the child objects an upstream controller would own) and the clients.
type Simulator struct {
	client    dynamic.Interface
	opts      sim.Options
	namespace string
	log       io.Writer
	now       func() time.Time

	mu      sync.Mutex
	isvc    map[types.UID]*sim.ISVCState
	seldon  map[types.UID]*sim.SeldonState
	rollout map[types.UID]*sim.RolloutState
}

// New makes a simulator; namespace "" watches all namespaces.
func New(client dynamic.Interface, opts sim.Options, namespace string, log io.Writer) *Simulator {
	return &Simulator{client: client, opts: opts, namespace: namespace, log: log, now: time.Now,
		isvc: map[types.UID]*sim.ISVCState{}, seldon: map[types.UID]*sim.SeldonState{},
		rollout: map[types.UID]*sim.RolloutState{}}
}

type key struct {
	kind      int
	namespace string
	name      string
}

// Served returns the kinds whose CRDs the server serves (a missing CRD is skipped, not retried forever).
func Served(cfg *rest.Config) ([]int, error) {
	dc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return nil, err
	}
	var out []int
	for i, k := range Kinds {
		list, err := dc.ServerResourcesForGroupVersion(k.GVR.GroupVersion().String())
		if err != nil {
			if apierrors.IsNotFound(err) {
				continue
			}
			return nil, err
		}
		for _, r := range list.APIResources {
			if r.Name == k.GVR.Resource {
				out = append(out, i)
			}
		}
	}
	return out, nil
}

// Run watches the given kinds (indexes into Kinds) until ctx ends. ready is closed once the caches are synced.
func (s *Simulator) Run(ctx context.Context, kinds []int, ready chan<- struct{}) error {
	factory := dynamicinformer.NewFilteredDynamicSharedInformerFactory(s.client, 10*time.Minute, s.namespace, nil)
	queue := workqueue.NewTypedRateLimitingQueue[key](workqueue.DefaultTypedControllerRateLimiter[key]())
	defer queue.ShutDown()
	listers := map[int]cache.GenericLister{}
	for _, k := range kinds {
		k := k
		inf := factory.ForResource(Kinds[k].GVR)
		listers[k] = inf.Lister()
		enqueue := func(obj any) {
			if d, ok := obj.(cache.DeletedFinalStateUnknown); ok {
				obj = d.Obj
			}
			if u, ok := obj.(*unstructured.Unstructured); ok {
				queue.Add(key{k, u.GetNamespace(), u.GetName()})
			}
		}
		if _, err := inf.Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
			AddFunc: enqueue, UpdateFunc: func(_, n any) { enqueue(n) },
			DeleteFunc: func(obj any) { s.forget(obj); enqueue(obj) },
		}); err != nil {
			return err
		}
	}
	factory.Start(ctx.Done())
	for gvr, ok := range factory.WaitForCacheSync(ctx.Done()) {
		if !ok {
			return fmt.Errorf("cache for %s did not sync", gvr)
		}
	}
	if ready != nil {
		close(ready)
	}
	go func() {
		<-ctx.Done()
		queue.ShutDown()
	}()
	for {
		k, quit := queue.Get()
		if quit {
			return nil
		}
		requeue, err := s.reconcile(ctx, listers[k.kind], k)
		switch {
		case err != nil:
			fmt.Fprintf(s.log, "simulator: %s %s/%s: %v\n", Kinds[k.kind].Name, k.namespace, k.name, err)
			queue.AddRateLimited(k)
		default:
			queue.Forget(k)
			if requeue > 0 {
				queue.AddAfter(k, requeue)
			}
		}
		queue.Done(k)
	}
}

func (s *Simulator) forget(obj any) {
	if d, ok := obj.(cache.DeletedFinalStateUnknown); ok {
		obj = d.Obj
	}
	u, ok := obj.(*unstructured.Unstructured)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.isvc, u.GetUID())
	delete(s.seldon, u.GetUID())
	delete(s.rollout, u.GetUID())
}

// Step computes the next status of one object (exported for tests of the loop's bookkeeping).
func (s *Simulator) Step(kind int, obj *unstructured.Unstructured) sim.Result {
	s.mu.Lock()
	defer s.mu.Unlock()
	uid, now, content := obj.GetUID(), s.now(), obj.UnstructuredContent()
	switch Kinds[kind].Name {
	case "InferenceService":
		if s.isvc[uid] == nil {
			s.isvc[uid] = &sim.ISVCState{}
		}
		return sim.ReconcileInferenceService(content, s.isvc[uid], now, s.opts)
	case "SeldonDeployment":
		if s.seldon[uid] == nil {
			s.seldon[uid] = &sim.SeldonState{}
		}
		return sim.ReconcileSeldonDeployment(content, s.seldon[uid], now, s.opts)
	default:
		if s.rollout[uid] == nil {
			s.rollout[uid] = &sim.RolloutState{}
		}
		return sim.ReconcileRollout(content, s.rollout[uid], now, s.opts)
	}
}

func sameJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func (s *Simulator) reconcile(ctx context.Context, lister cache.GenericLister, k key) (time.Duration, error) {
	cached, err := lister.ByNamespace(k.namespace).Get(k.name)
	if apierrors.IsNotFound(err) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	obj := cached.(*unstructured.Unstructured).DeepCopy()
	if obj.GetDeletionTimestamp() != nil {
		return 0, nil
	}
	res := s.Step(k.kind, obj)
	res.Status = jsonRoundTrip(res.Status)
	client := s.client.Resource(Kinds[k.kind].GVR).Namespace(k.namespace)
	if old, _, _ := unstructured.NestedFieldNoCopy(obj.Object, "status"); !sameJSON(old, res.Status) {
		obj.Object["status"] = res.Status
		_, err := client.UpdateStatus(ctx, obj, metav1.UpdateOptions{FieldManager: FieldManager})
		if apierrors.IsConflict(err) || apierrors.IsNotFound(err) {
			return 0, nil // a newer version is on its way through the informer
		}
		if err != nil {
			return 0, fmt.Errorf("update status: %w", err)
		}
		fmt.Fprintf(s.log, "simulator: %s %s/%s status written (%s)\n", Kinds[k.kind].Name, k.namespace, k.name, summary(k.kind, res.Status))
	}
	var missing map[string]string
	for a, v := range res.Annotations {
		if obj.GetAnnotations()[a] != v {
			if missing == nil {
				missing = map[string]string{}
			}
			missing[a] = v
		}
	}
	if missing != nil {
		patch, _ := json.Marshal(map[string]any{"metadata": map[string]any{"annotations": missing}})
		if _, err := client.Patch(ctx, k.name, types.MergePatchType, patch, metav1.PatchOptions{FieldManager: FieldManager}); err != nil && !apierrors.IsNotFound(err) {
			return 0, fmt.Errorf("patch annotations: %w", err)
		}
	}
	return res.RequeueAfter, nil
}

// jsonRoundTrip makes the status's numbers int64 where they are integral, as the dynamic client decodes them,
// so that DeepCopy and comparisons see the same types as objects read from the server.
func jsonRoundTrip(m map[string]any) map[string]any {
	b, _ := json.Marshal(m)
	u := &unstructured.Unstructured{}
	if err := u.UnmarshalJSON(append(append([]byte(`{"apiVersion":"v1","kind":"X","status":`), b...), '}')); err != nil {
		return m
	}
	out, _, _ := unstructured.NestedMap(u.Object, "status")
	return out
}

func summary(kind int, st map[string]any) string {
	switch Kinds[kind].Name {
	case "Rollout":
		return fmt.Sprintf("phase=%v message=%v step=%v", st["phase"], st["message"], st["currentStepIndex"])
	case "SeldonDeployment":
		return fmt.Sprintf("state=%v", st["state"])
	}
	ready := "?"
	if conds, ok := st["conditions"].([]any); ok {
		for _, c := range conds {
			if m, ok := c.(map[string]any); ok && m["type"] == "Ready" {
				ready = fmt.Sprint(m["status"])
			}
		}
	}
	traffic, _ := json.Marshal(func() any {
		v, _, _ := unstructured.NestedFieldNoCopy(st, "components", "predictor", "traffic")
		return v
	}())
	return fmt.Sprintf("Ready=%s traffic=%s", ready, traffic)
}
