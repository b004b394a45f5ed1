package faultproxy

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The proxy's own mechanics against an httptest TLS upstream; the same faults in front of the real API server
// with kubectl and client-go are in tests/harness/integration.

const upstreamBody = `{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"x","namespace":"default"},"data":{"k":"` +
	`0123456789012345678901234567890123456789"}}`

type fixture struct {
	proxy   *Proxy
	url     string
	control string
	client  *http.Client
}

func start(t *testing.T) *fixture {
	t.Helper()
	up := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, upstreamBody)
	}))
	t.Cleanup(up.Close)
	u, _ := url.Parse(up.URL)
	pool := x509.NewCertPool()
	pool.AddCert(up.Certificate())
	p := New(u, &tls.Config{RootCAs: pool})
	serveTLS, caPEM, err := SelfSignedTLS()
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = p.Serve(ctx, l, serveTLS); close(done) }()
	control := httptest.NewServer(p.ControlHandler())
	t.Cleanup(func() { control.Close(); cancel(); <-done })
	clientPool := x509.NewCertPool()
	clientPool.AppendCertsFromPEM(caPEM)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: clientPool}, DisableKeepAlives: true}}
	return &fixture{proxy: p, url: "https://" + l.Addr().String(), control: control.URL, client: client}
}

func (f *fixture) schedule(t *testing.T, doc string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPut, f.control+"/schedule", strings.NewReader(doc))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("PUT /schedule: %s", resp.Status)
	}
}

func (f *fixture) get(t *testing.T, method, path string) (*http.Response, []byte, error) {
	t.Helper()
	req, _ := http.NewRequest(method, f.url+path, nil)
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

func (f *fixture) log(t *testing.T) []Record {
	t.Helper()
	resp, err := http.Get(f.control + "/log")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out []Record
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

const cmPath = "/api/v1/namespaces/default/configmaps/x"

func TestForwardsUntouchedWithoutSchedule(t *testing.T) {
	f := start(t)
	resp, body, err := f.get(t, "GET", cmPath)
	if err != nil || resp.StatusCode != 200 || string(body) != upstreamBody {
		t.Fatalf("passthrough: %v %v %s", err, resp, body)
	}
	log := f.log(t)
	if len(log) != 1 || log[0].Rule != -1 || log[0].Fault != "" || log[0].Code != 200 || log[0].Path != cmPath {
		t.Fatalf("log: %+v", log)
	}
}

// 429 with Retry-After and a TooManyRequests Status body for the 1st and 2nd matching GET, then forwarded.
func TestStatus429WithRetryAfterForNthToMth(t *testing.T) {
	f := start(t)
	f.schedule(t, `{"rules":[{"method":"GET","path":"^/api/v1/namespaces/default/configmaps","from":1,"to":2,
	  "fault":"status","code":429,"retryAfter":1}]}`)
	for i := 1; i <= 2; i++ {
		resp, body, err := f.get(t, "GET", cmPath)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "1" || resp.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("request %d: %s Retry-After=%q", i, resp.Status, resp.Header.Get("Retry-After"))
		}
		want := `{"apiVersion":"v1","code":429,"details":{"retryAfterSeconds":1},"kind":"Status","message":"Too many requests, please try again later.","metadata":{},"reason":"TooManyRequests","status":"Failure"}`
		if string(body) != want {
			t.Fatalf("body:\n got  %s\n want %s", body, want)
		}
	}
	if resp, body, err := f.get(t, "GET", cmPath); err != nil || resp.StatusCode != 200 || string(body) != upstreamBody {
		t.Fatalf("third request should pass: %v %v", err, resp)
	}
	if resp, _, _ := f.get(t, "POST", cmPath); resp.StatusCode != 200 {
		t.Fatalf("POST does not match a GET rule: %s", resp.Status)
	}
	log := f.log(t)
	got := []string{}
	for _, r := range log {
		got = append(got, r.Method+" "+r.Fault+" "+http.StatusText(r.Code))
	}
	want := "GET status Too Many Requests|GET status Too Many Requests|GET  OK|POST  OK"
	if strings.Join(got, "|") != want {
		t.Fatalf("log: %s", strings.Join(got, "|"))
	}
}

func TestStatus5xxBodies(t *testing.T) {
	f := start(t)
	f.schedule(t, `{"rules":[{"path":"x$","from":1,"fault":"status","code":500},
	  {"path":"x$","from":2,"fault":"status","code":503,"message":"etcd is down"},
	  {"path":"x$","from":3,"fault":"status","code":504}]}`)
	for _, want := range []string{
		`500 {"apiVersion":"v1","code":500,"kind":"Status","message":"Internal error occurred: injected by the fault proxy","metadata":{},"reason":"InternalError","status":"Failure"}`,
		`503 {"apiVersion":"v1","code":503,"kind":"Status","message":"etcd is down","metadata":{},"reason":"ServiceUnavailable","status":"Failure"}`,
		`504 {"apiVersion":"v1","code":504,"kind":"Status","message":"Timeout: request did not complete within the allotted timeout","metadata":{},"reason":"Timeout","status":"Failure"}`,
	} {
		resp, body, err := f.get(t, "GET", cmPath)
		if err != nil {
			t.Fatal(err)
		}
		if got := resp.Status[:3] + " " + string(body); got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	}
}

func TestConnectionReset(t *testing.T) {
	f := start(t)
	f.schedule(t, `{"rules":[{"path":".*","fault":"reset"}]}`)
	_, _, err := f.get(t, "GET", cmPath)
	if err == nil || !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("want connection reset, got %v", err)
	}
	if log := f.log(t); len(log) != 1 || log[0].Fault != "reset" || log[0].Code != 0 {
		t.Fatalf("log: %+v", log)
	}
	if resp, _, err := f.get(t, "GET", cmPath); err != nil || resp.StatusCode != 200 {
		t.Fatalf("second request passes: %v", err)
	}
}

func TestStalledResponse(t *testing.T) {
	f := start(t)
	f.schedule(t, `{"rules":[{"path":".*","fault":"stall","stallSeconds":1}]}`)
	req, _ := http.NewRequest("GET", f.url+cmPath, nil)
	resp, err := f.client.Do(req)
	if err != nil {
		t.Fatalf("headers should arrive: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %s", resp.Status)
	}
	body, err := io.ReadAll(resp.Body)
	if err == nil || len(body) != 0 {
		t.Fatalf("a stalled body ends without data and with an error, got %q, %v", body, err)
	}
}

func TestStallEndsWhenTheClientGivesUp(t *testing.T) {
	f := start(t)
	f.schedule(t, `{"rules":[{"path":".*","fault":"stall","stallSeconds":3600}]}`)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", f.url+cmPath, nil)
	resp, err := f.client.Do(req)
	if err != nil {
		t.Fatalf("headers should arrive: %v", err)
	}
	defer resp.Body.Close()
	if _, err := io.ReadAll(resp.Body); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want the client's deadline, got %v", err)
	}
	// the cleanup's shutdown would hang for an hour if the stalled handler ignored the client leaving
}

func TestTruncatedBody(t *testing.T) {
	f := start(t)
	f.schedule(t, `{"rules":[{"path":".*","fault":"truncate"}]}`)
	req, _ := http.NewRequest("GET", f.url+cmPath, nil)
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := f.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.ContentLength != int64(len(upstreamBody)) {
		t.Fatalf("Content-Length %d, want %d", resp.ContentLength, len(upstreamBody))
	}
	body, err := io.ReadAll(resp.Body)
	if !errors.Is(err, io.ErrUnexpectedEOF) || string(body) != upstreamBody[:len(upstreamBody)/2] {
		t.Fatalf("got %q, %v", body, err)
	}
	if log := f.log(t); len(log) != 1 || log[0].Fault != "truncate" || log[0].Code != 200 {
		t.Fatalf("log: %+v", log)
	}
}

func TestEveryMatchFromNOn(t *testing.T) {
	f := start(t)
	f.schedule(t, `{"rules":[{"method":"get","path":"x$","from":2,"to":-1,"fault":"status","code":503}]}`)
	codes := []int{}
	for i := 0; i < 4; i++ {
		resp, _, err := f.get(t, "GET", cmPath)
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, resp.StatusCode)
	}
	if jsonOf(codes) != "[200,503,503,503]" {
		t.Fatalf("codes %v", codes)
	}
}

func jsonOf(v any) string { b, _ := json.Marshal(v); return string(b) }

func TestScheduleErrors(t *testing.T) {
	for doc, want := range map[string]string{
		`{"rules":[{"path":"(","fault":"reset"}]}`:                 "schedule: rules[0].path: error parsing regexp: missing closing ): `(`",
		`{"rules":[{"path":"x","fault":"explode"}]}`:               `schedule: rules[0]: unknown fault "explode" (status, reset, stall, truncate)`,
		`{"rules":[{"path":"x","fault":"status","code":200}]}`:     "schedule: rules[0]: status fault needs code 400..599, got 200",
		`{"rules":[{"path":"x","fault":"reset","from":3,"to":2}]}`: "schedule: rules[0]: to (2) must be -1, 0 or >= from (3)",
		`{"rules":[{"path":"x","fault":"reset","retry_after":1}]}`: `schedule: json: unknown field "retry_after"`,
	} {
		if _, err := ParseSchedule([]byte(doc)); err == nil || err.Error() != want {
			t.Errorf("%s:\n got  %v\n want %s", doc, err, want)
		}
	}
	f := start(t)
	resp, err := http.Post(f.control+"/schedule", "application/json", strings.NewReader(`{"rules":[{"path":"x","fault":"boom"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad schedule: %s", resp.Status)
	}
}
