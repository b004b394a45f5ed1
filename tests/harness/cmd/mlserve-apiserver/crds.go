package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/wait"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
)

// crdFiles are the upstream CRDs the cluster tests need, as globs relative to the shared schemas dir.
// Each glob must match at least one file: a renamed or missing file is a start-up error, not a quiet gap.
var crdFiles = []string{
	"kserve/crd/serving.kserve.io_*.yaml",
	// Seldon's operator installs its base CRD through kustomize with graph_children.patch.yaml applied; the base
	// file alone is refused by the server (predictors[].graph.children is an array whose items have no type, not
	// a structural schema; test_kubectl.sh crds pins that). The rendered file is what a Seldon cluster has.
	"seldon/v1/machinelearning.seldon.io_seldondeployments.rendered.yaml",
	"argo-rollouts/*-crd.yaml",
	"prometheus-operator/monitoring.coreos.com_*.yaml",
	"istio/*.networking.istio.io.yaml",
	"argo-cd/application-crd.yaml",
	"gateway-api/gateway.networking.k8s.io_*.yaml",
}

var crdResource = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}

// crdResult is what happened to one CRD document: established, or why not.
type crdResult struct {
	file string // relative to the schemas dir
	name string // metadata.name, empty when the document could not be read
	err  error
	doc  *unstructured.Unstructured // until it is created
	took time.Duration              // create + wait for Established
}

// installCRDs creates every CRD document of crdFiles the way `kubectl create` does (strict field validation) and
// waits until each is Established. Refusals are returned in the report; the error is for a missing file only.
func installCRDs(ctx context.Context, cfg *rest.Config, dir string, parallel int) ([]crdResult, error) {
	client, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	crds := client.Resource(crdResource)
	var report []crdResult
	for _, pattern := range crdFiles {
		matches, err := filepath.Glob(filepath.Join(dir, pattern))
		if err != nil {
			return nil, err
		}
		if len(matches) == 0 {
			return nil, fmt.Errorf("no file matches %s in %s", pattern, dir)
		}
		sort.Strings(matches)
		for _, path := range matches {
			rel, _ := filepath.Rel(dir, path)
			docs, err := readDocuments(path)
			if err != nil {
				report = append(report, crdResult{file: rel, err: err})
				continue
			}
			for _, doc := range docs {
				report = append(report, crdResult{file: rel, name: doc.GetName(), doc: doc})
			}
		}
	}
	// Create and wait a few at a time: the server spends its time converting and publishing each schema.
	var wg sync.WaitGroup
	slots := make(chan struct{}, max(parallel, 1))
	for i := range report {
		if report[i].err != nil {
			continue
		}
		wg.Add(1)
		go func(r *crdResult) {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			began := time.Now()
			r.err = createCRD(ctx, crds, r.doc)
			if r.err == nil {
				r.err = waitEstablished(ctx, crds, r.name)
			}
			r.took = time.Since(began)
			r.doc = nil
		}(&report[i])
	}
	wg.Wait()
	return report, nil
}

func createCRD(ctx context.Context, crds dynamic.NamespaceableResourceInterface, doc *unstructured.Unstructured) error {
	if doc.GetKind() != "CustomResourceDefinition" {
		return fmt.Errorf("not a CustomResourceDefinition: kind %q", doc.GetKind())
	}
	_, err := crds.Create(ctx, doc, metav1.CreateOptions{FieldValidation: "Strict", FieldManager: "mlserve-harness"})
	if apierrors.IsAlreadyExists(err) {
		return nil
	}
	return err
}

func readDocuments(path string) ([]*unstructured.Unstructured, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
	var out []*unstructured.Unstructured
	for {
		obj := map[string]any{}
		if err := dec.Decode(&obj); err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return nil, fmt.Errorf("parsing: %w", err)
		}
		if len(obj) > 0 {
			out = append(out, &unstructured.Unstructured{Object: obj})
		}
	}
}

// waitEstablished waits for condition Established=True; NamesAccepted=False ends the wait with its message.
func waitEstablished(ctx context.Context, crds dynamic.NamespaceableResourceInterface, name string) error {
	var why string
	err := wait.PollUntilContextTimeout(ctx, 100*time.Millisecond, time.Minute, true, func(ctx context.Context) (bool, error) {
		obj, err := crds.Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			why = err.Error()
			return false, nil
		}
		conds, _, _ := unstructured.NestedSlice(obj.Object, "status", "conditions")
		for _, c := range conds {
			m, _ := c.(map[string]any)
			if m["type"] == "NamesAccepted" && m["status"] == "False" {
				return false, fmt.Errorf("names not accepted: %v", m["message"])
			}
			if m["type"] == "Established" {
				why = fmt.Sprintf("Established=%v: %v", m["status"], m["message"])
				if m["status"] == "True" {
					return true, nil
				}
			}
		}
		return false, nil
	})
	if err != nil && why != "" && !strings.Contains(err.Error(), "names not accepted") {
		return fmt.Errorf("not established: %w (%s)", err, why)
	}
	return err
}

// writeCRDReport writes one line per CRD document: "established<TAB>name<TAB>file<TAB>seconds" or
// "rejected<TAB>name<TAB>file<TAB>why".
func writeCRDReport(path string, report []crdResult) error {
	var b strings.Builder
	for _, r := range report {
		if r.err == nil {
			fmt.Fprintf(&b, "established\t%s\t%s\t%.1fs\n", r.name, r.file, r.took.Seconds())
		} else {
			fmt.Fprintf(&b, "rejected\t%s\t%s\t%s\n", r.name, r.file, strings.ReplaceAll(r.err.Error(), "\n", " "))
		}
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
