//go:build cluster

// Package integration drives the controller simulator and the fault proxy against the real API server started by
// `tests/harness/cluster up`, with the real kubectl as the client. Run with
//
//	MLSERVE_CLUSTER_STATE=<state dir of a running cluster> go test -tags cluster ./integration/
//
// (ctest does this through the "cluster" fixture; see tests/harness/simulator-tests.cmake).
package integration

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"mlserve.dev/harness/internal/sim"
	"mlserve.dev/harness/internal/simrun"
)

// cluster is what `cluster up` wrote into its env file.
type cluster struct {
	env    map[string]string
	cfg    *rest.Config
	client dynamic.Interface
}

var (
	once   sync.Once
	shared *cluster
	setErr error
)

func readEnv(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	env := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		k, v, ok := strings.Cut(line, "=")
		if ok {
			env[k] = strings.Trim(v, `"'`)
		}
	}
	return env, sc.Err()
}

// connect reads the running cluster's env file. A missing cluster fails the test: these tests are only ever
// registered behind the ctest fixture that starts one.
func connect(t *testing.T) *cluster {
	t.Helper()
	once.Do(func() {
		state := os.Getenv("MLSERVE_CLUSTER_STATE")
		if state == "" {
			setErr = fmt.Errorf("MLSERVE_CLUSTER_STATE is not set (tests/harness/cluster up --state DIR)")
			return
		}
		env, err := readEnv(filepath.Join(state, "env"))
		if err != nil {
			setErr = fmt.Errorf("no running cluster: %w", err)
			return
		}
		cfg, err := clientcmd.BuildConfigFromFlags("", env["KUBECONFIG_ADMIN"])
		if err != nil {
			setErr = err
			return
		}
		client, err := dynamic.NewForConfig(cfg)
		if err != nil {
			setErr = err
			return
		}
		shared = &cluster{env: env, cfg: cfg, client: client}
	})
	if setErr != nil {
		t.Fatal(setErr)
	}
	return shared
}

// startSimulator runs the simulator in-process for one test, watching only its namespace.
func startSimulator(t *testing.T, c *cluster, ns string, delay time.Duration) *bytes.Buffer {
	t.Helper()
	o := sim.DefaultOptions()
	o.ReadyDelay = delay
	kinds, err := simrun.Served(c.cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(kinds) != len(simrun.Kinds) {
		t.Fatalf("the cluster serves %d of the %d simulated kinds; are the CRDs installed?", len(kinds), len(simrun.Kinds))
	}
	log := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- simrun.New(c.client, o, ns, log).Run(ctx, kinds, ready) }()
	select {
	case <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("simulator stopped: %v", err)
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatal("simulator caches did not sync in 60s")
	}
	t.Cleanup(func() {
		cancel()
		<-done
		if t.Failed() {
			t.Logf("simulator log:\n%s", log.String())
		}
	})
	return &log.Buffer
}

type syncBuffer struct {
	mu sync.Mutex
	bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.Buffer.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.Buffer.String()
}

// kubectl runs the real kubectl with a fresh discovery cache.
func kubectl(t *testing.T, kubeconfig string, stdin string, args ...string) (string, string, error) {
	t.Helper()
	bin := os.Getenv("KUBECTL")
	if bin == "" {
		bin = "kubectl"
	}
	cmd := exec.Command(bin, append([]string{"--kubeconfig", kubeconfig}, args...)...)
	cmd.Env = append(os.Environ(), "KUBECACHEDIR="+t.TempDir())
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	return out.String(), errb.String(), err
}

func mustKubectl(t *testing.T, c *cluster, stdin string, args ...string) string {
	t.Helper()
	out, errOut, err := kubectl(t, c.env["KUBECONFIG_ADMIN"], stdin, args...)
	if err != nil {
		t.Fatalf("kubectl %s: %v\n%s", strings.Join(args, " "), err, errOut)
	}
	return out
}

// namespace makes a fresh namespace for one test and deletes it afterwards.
func namespace(t *testing.T, c *cluster, name string) string {
	t.Helper()
	ns := fmt.Sprintf("%s-%d", name, time.Now().UnixNano()%1000000)
	mustKubectl(t, c, "", "create", "namespace", ns)
	t.Cleanup(func() { _, _, _ = kubectl(t, c.env["KUBECONFIG_ADMIN"], "", "delete", "namespace", ns, "--wait=false") })
	return ns
}

var (
	isvcGVR    = schema.GroupVersionResource{Group: "serving.kserve.io", Version: "v1beta1", Resource: "inferenceservices"}
	sdepGVR    = schema.GroupVersionResource{Group: "machinelearning.seldon.io", Version: "v1", Resource: "seldondeployments"}
	rolloutGVR = schema.GroupVersionResource{Group: "argoproj.io", Version: "v1alpha1", Resource: "rollouts"}
)

// eventually polls the object until check returns "" (met) or 30 s pass; it fails with check's last complaint and
// the status the simulator wrote.
func eventually(t *testing.T, c *cluster, gvr schema.GroupVersionResource, ns, name string, what string,
	check func(obj *unstructured.Unstructured) string) *unstructured.Unstructured {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var last string
	var obj *unstructured.Unstructured
	for time.Now().Before(deadline) {
		var err error
		obj, err = c.client.Resource(gvr).Namespace(ns).Get(context.Background(), name, metav1.GetOptions{})
		if err != nil && !apierrors.IsNotFound(err) {
			t.Fatal(err)
		}
		if err == nil {
			if last = check(obj); last == "" {
				return obj
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	status := "<none>"
	if obj != nil {
		b, _ := json.MarshalIndent(obj.Object["status"], "", "  ")
		status = string(b)
	}
	t.Fatalf("%s: not reached in 30s: %s\nstatus: %s", what, last, status)
	return nil
}

func jsonAt(obj *unstructured.Unstructured, path ...string) string {
	v, _, _ := unstructured.NestedFieldNoCopy(obj.Object, path...)
	b, _ := json.Marshal(v)
	return string(b)
}

// want compares a field's compact JSON with the expectation (written as JSON, whitespace free or not).
func want(obj *unstructured.Unstructured, expected string, path ...string) string {
	var w any
	if err := json.Unmarshal([]byte(expected), &w); err != nil {
		return "bad expectation " + expected
	}
	b, _ := json.Marshal(w)
	if got := jsonAt(obj, path...); got != string(b) {
		return fmt.Sprintf(".%s is %s, want %s", strings.Join(path, "."), got, b)
	}
	return ""
}

func conditionStatus(obj *unstructured.Unstructured, typ string) (string, string) {
	conds, _, _ := unstructured.NestedSlice(obj.Object, "status", "conditions")
	for _, c := range conds {
		m, _ := c.(map[string]any)
		if m["type"] == typ {
			r, _ := m["reason"].(string)
			return fmt.Sprint(m["status"]), r
		}
	}
	return "", ""
}

func all(checks ...string) string {
	for _, c := range checks {
		if c != "" {
			return c
		}
	}
	return ""
}
