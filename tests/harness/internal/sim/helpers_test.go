package sim

import (
	"encoding/json"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// object decodes a JSON literal into the unstructured form the dynamic client hands the simulator.
func object(t *testing.T, text string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(text), &m); err != nil {
		t.Fatalf("bad test object: %v", err)
	}
	return m
}

// apply stores a reconcile result into the object, as the run loop does through the status subresource.
func apply(obj map[string]any, r Result) {
	obj["status"] = r.Status
	if len(r.Annotations) > 0 {
		md := obj["metadata"].(map[string]any)
		ann, _ := md["annotations"].(map[string]any)
		if ann == nil {
			ann = map[string]any{}
			md["annotations"] = ann
		}
		for k, v := range r.Annotations {
			ann[k] = v
		}
	}
}

func setAt(obj map[string]any, value any, path ...string) {
	cur := obj
	for _, p := range path[:len(path)-1] {
		next, ok := cur[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			cur[p] = next
		}
		cur = next
	}
	if value == nil {
		delete(cur, path[len(path)-1])
		return
	}
	cur[path[len(path)-1]] = value
}

// bumpGeneration mimics the API server: a spec change increments metadata.generation.
func bumpGeneration(obj map[string]any) {
	g, _ := intAt(obj, "metadata", "generation")
	setAt(obj, float64(g+1), "metadata", "generation")
}

func condition(t *testing.T, status map[string]any, typ string) Condition {
	t.Helper()
	for _, c := range sliceAt(status, "conditions") {
		m := c.(map[string]any)
		if m["type"] == typ {
			var out Condition
			fromMap(m, &out)
			return out
		}
	}
	t.Fatalf("no %s condition in %v", typ, status["conditions"])
	return Condition{}
}

func hasCondition(status map[string]any, typ string) bool {
	for _, c := range sliceAt(status, "conditions") {
		if c.(map[string]any)["type"] == typ {
			return true
		}
	}
	return false
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func wantJSON(t *testing.T, what string, got any, want string) {
	t.Helper()
	var w any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad expectation: %v", err)
	}
	if jsonOf(got) != jsonOf(w) {
		t.Errorf("%s:\n got  %s\n want %s", what, jsonOf(got), jsonOf(w))
	}
}

func wantEq[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s: got %v, want %v", what, got, want)
	}
}

// mergePatch applies an RFC 7386 JSON merge patch, as the API server does for application/merge-patch+json.
func mergePatch(t *testing.T, obj map[string]any, patch string) {
	t.Helper()
	var p map[string]any
	if err := json.Unmarshal([]byte(patch), &p); err != nil {
		t.Fatalf("bad patch: %v", err)
	}
	mergeInto(obj, p)
}

func mergeInto(dst, patch map[string]any) {
	for k, v := range patch {
		if v == nil {
			delete(dst, k)
			continue
		}
		if pm, ok := v.(map[string]any); ok {
			dm, ok := dst[k].(map[string]any)
			if !ok {
				dm = map[string]any{}
				dst[k] = dm
			}
			mergeInto(dm, pm)
			continue
		}
		dst[k] = v
	}
}
