//go:build cluster

package integration

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"

	"mlserve.dev/harness/internal/faultproxy"
)

// proxied starts the fault proxy (TLS with its own CA) in front of the real server and writes an admin
// kubeconfig that points at it.
func proxied(t *testing.T, c *cluster) (*faultproxy.Proxy, string) {
	t.Helper()
	u, err := url.Parse(c.env["SERVER"])
	if err != nil {
		t.Fatal(err)
	}
	ca, err := os.ReadFile(c.env["CA_FILE"])
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca)
	p := faultproxy.New(u, &tls.Config{RootCAs: pool})
	serveTLS, proxyCA, err := faultproxy.SelfSignedTLS()
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
	t.Cleanup(func() { cancel(); <-done })

	cfg, err := clientcmd.LoadFromFile(c.env["KUBECONFIG_ADMIN"])
	if err != nil {
		t.Fatal(err)
	}
	for _, cl := range cfg.Clusters {
		cl.Server = "https://" + l.Addr().String()
		cl.CertificateAuthority, cl.CertificateAuthorityData = "", proxyCA
	}
	path := filepath.Join(t.TempDir(), "kubeconfig-proxied")
	if err := clientcmd.WriteToFile(*cfg, path); err != nil {
		t.Fatal(err)
	}
	return p, path
}

func schedule(t *testing.T, p *faultproxy.Proxy, doc string) {
	t.Helper()
	s, err := faultproxy.ParseSchedule([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	p.SetSchedule(s)
	p.ClearLog()
}

// faults lists what the proxy did to the requests for path, e.g. "429 429 200".
func faults(p *faultproxy.Proxy, path string) string {
	var out []string
	for _, r := range p.Log() {
		if r.Path == path {
			s := fmt.Sprint(r.Code)
			if r.Fault == faultproxy.FaultReset {
				s = "reset"
			} else if r.Fault != "" && r.Fault != faultproxy.FaultStatus {
				s = r.Fault
			}
			out = append(out, s)
		}
	}
	return strings.Join(out, " ")
}

const nsPath = "/api/v1/namespaces/default"

// reference/kube-api.md §5.2: client-go (so kubectl) retries a 429 that carries an integer Retry-After, sleeping
// that long, and then succeeds.
func TestFaultProxyKubectlRecoversAfter429(t *testing.T) {
	c := connect(t)
	p, kubeconfig := proxied(t, c)
	schedule(t, p, `{"rules":[{"method":"GET","path":"^/api/v1/namespaces/default$","from":1,"to":2,
	  "fault":"status","code":429,"retryAfter":1}]}`)
	out, errOut, err := kubectl(t, kubeconfig, "", "get", "namespace", "default", "-o", "name")
	if err != nil || strings.TrimSpace(out) != "namespace/default" {
		t.Fatalf("kubectl through the proxy: %v %q %s", err, out, errOut)
	}
	if got := faults(p, nsPath); got != "429 429 200" {
		t.Fatalf("proxy log for %s: %s", nsPath, got)
	}
}

// kube-api.md §5.1: a 500 without Retry-After is not retried and kubectl prints the Status message.
func TestFaultProxyKubectlSurfaces500(t *testing.T) {
	c := connect(t)
	p, kubeconfig := proxied(t, c)
	schedule(t, p, `{"rules":[{"method":"GET","path":"^/api/v1/namespaces/default$","to":-1,"fault":"status","code":500}]}`)
	_, errOut, err := kubectl(t, kubeconfig, "", "get", "namespace", "default")
	if err == nil {
		t.Fatal("kubectl should fail on a 500")
	}
	if want := "Error from server (InternalError): Internal error occurred: injected by the fault proxy"; !strings.Contains(errOut, want) {
		t.Fatalf("stderr %q lacks %q", errOut, want)
	}
	if got := faults(p, nsPath); got != "500" {
		t.Fatalf("a 500 without Retry-After is sent once: %s", got)
	}
}

// 503 with Retry-After is retried like 429 (client-go retries 429 and any 5xx carrying Retry-After).
func TestFaultProxyKubectlRetries503WithRetryAfter(t *testing.T) {
	c := connect(t)
	p, kubeconfig := proxied(t, c)
	schedule(t, p, `{"rules":[{"method":"GET","path":"^/api/v1/namespaces/default$","fault":"status","code":503,"retryAfter":1}]}`)
	if _, errOut, err := kubectl(t, kubeconfig, "", "get", "namespace", "default"); err != nil {
		t.Fatalf("kubectl: %v %s", err, errOut)
	}
	if got := faults(p, nsPath); got != "503 200" {
		t.Fatalf("proxy log: %s", got)
	}
}

// A client-go GET through a connection reset and a truncated body: both surface as transport errors from the
// first attempt (recorded by the proxy), and the next request goes through.
func TestFaultProxyClientGoResetAndTruncate(t *testing.T) {
	c := connect(t)
	p, kubeconfig := proxied(t, c)
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Timeout = 10 * time.Second
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	schedule(t, p, `{"rules":[{"method":"GET","path":"^/api/v1/namespaces/default$","fault":"truncate"}]}`)
	_, err = cs.CoreV1().Namespaces().Get(ctx, "default", metav1.GetOptions{})
	if err == nil || !strings.Contains(err.Error(), "unexpected EOF") {
		t.Fatalf("truncated body: want unexpected EOF, got %v", err)
	}
	if _, err := cs.CoreV1().Namespaces().Get(ctx, "default", metav1.GetOptions{}); err != nil {
		t.Fatalf("the next GET passes: %v", err)
	}
	if got := faults(p, nsPath); got != "truncate 200" {
		t.Fatalf("proxy log: %s", got)
	}

	// kube-api.md §5.2: a connection reset is retried for GET only.
	schedule(t, p, `{"rules":[{"method":"GET","path":"^/api/v1/namespaces/default$","fault":"reset"},
	  {"method":"POST","path":"^/api/v1/namespaces/default/configmaps$","fault":"reset"}]}`)
	if _, err := cs.CoreV1().Namespaces().Get(ctx, "default", metav1.GetOptions{}); err != nil {
		t.Fatalf("client-go retries a GET after a reset: %v", err)
	}
	if got := faults(p, nsPath); got != "reset 200" {
		t.Fatalf("proxy log: %s", got)
	}
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{GenerateName: "faultproxy-"}}
	_, err = cs.CoreV1().ConfigMaps("default").Create(ctx, cm, metav1.CreateOptions{})
	if err == nil || !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("a POST is not retried after a reset: %v", err)
	}
	if got := faults(p, nsPath+"/configmaps"); got != "reset" {
		t.Fatalf("proxy log: %s", got)
	}
}

// A stalled response (headers, then nothing) ends in the client's own timeout.
func TestFaultProxyKubectlStallTimesOut(t *testing.T) {
	c := connect(t)
	p, kubeconfig := proxied(t, c)
	schedule(t, p, `{"rules":[{"method":"GET","path":"^/api/v1/namespaces/default$","fault":"stall","stallSeconds":60}]}`)
	_, errOut, err := kubectl(t, kubeconfig, "", "get", "namespace", "default", "--request-timeout=2s")
	if err == nil {
		t.Fatal("kubectl should give up on a stalled response")
	}
	// Its own timeout, not the end of the stall (that would read "Original error: unexpected EOF"). client-go words
	// the timeout three ways depending on where it hits ("context deadline exceeded", with or without
	// "(Client.Timeout or context cancellation while reading body)", or "net/http: request canceled (...)").
	if !strings.Contains(errOut, "error: unexpected error when reading response body. Please retry. Original error: ") ||
		strings.Contains(errOut, "Original error: unexpected EOF") ||
		!(strings.Contains(errOut, "context deadline exceeded") || strings.Contains(errOut, "Client.Timeout")) {
		t.Fatalf("stderr should name the client timeout: %s", errOut)
	}
	if got := faults(p, nsPath); !strings.HasPrefix(got, "stall") {
		t.Fatalf("proxy log: %s", got)
	}
}
