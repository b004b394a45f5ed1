// Command mlserve-apiserver runs the official kube-apiserver (k8s.io/kubernetes/cmd/kube-apiserver/app, used as a
// library) in-process over an embedded etcd, on 127.0.0.1 and free ports, for kubectl-mlserve's cluster tests.
//
// It generates its own CA and serving certificate, authenticates with static tokens and authorizes with RBAC:
//   - admin       (group system:masters): may do anything
//   - restricted  may only get and patch InferenceServices in one namespace (Role + RoleBinding made at start)
//   - bad-token   a token the server does not know (every request gets 401)
//
// At start it installs the real upstream CRDs from the shared schemas dir and waits until each is Established;
// a CRD the server refuses is reported (stdout and <state>/crds.tsv), never skipped silently.
// When ready it writes <state>/kubeconfig-{admin,restricted,bad-token}, <state>/env and <state>/ready and prints
// "mlserve-apiserver ready <server-url>". SIGTERM or SIGINT stops the API server, then etcd.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"

	_ "k8s.io/component-base/logs/json/register"          // the apiserver's --logging-format=json
	_ "k8s.io/component-base/metrics/prometheus/clientgo" // client-go metrics as in cmd/kube-apiserver
	_ "k8s.io/component-base/metrics/prometheus/version"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

// identity is one user of the test cluster, with the token that authenticates it.
type identity struct {
	name   string // kubeconfig file suffix and user name in the kubeconfig
	user   string // user name the server sees
	token  string
	groups []string
}

func randomToken() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// freePort asks the kernel for a free loopback port. The port is closed again before the server binds it; the
// short window is acceptable for a test server.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func fatal(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "mlserve-apiserver: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	state := flag.String("state", "", "state directory (created; certificates, etcd data, kubeconfigs)")
	schemas := flag.String("schemas", "", "directory of upstream CRDs (shared/schemas); empty installs none")
	namespace := flag.String("restricted-namespace", "ml-restricted", "namespace where the restricted user may get/patch InferenceServices")
	verbosity := flag.Int("v", 0, "kube-apiserver log verbosity")
	parallel := flag.Int("crd-parallel", 1, "CRDs created and awaited at the same time (1 measured fastest on 2 cores)")
	timeout := flag.Duration("timeout", 5*time.Minute, "how long start-up (server ready + CRDs established) may take")
	flag.Parse()
	if *state == "" {
		fatal("--state DIR is required")
	}
	if err := run(*state, *schemas, *namespace, *verbosity, *parallel, *timeout); err != nil {
		fatal("%v", err)
	}
}

func run(state, schemas, namespace string, verbosity, parallel int, timeout time.Duration) error {
	started := time.Now()
	state, err := filepath.Abs(state)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(state, 0o700); err != nil {
		return err
	}
	_ = os.Remove(filepath.Join(state, "ready"))
	if err := os.WriteFile(filepath.Join(state, "pid"), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		return err
	}

	certs, err := newPKI(filepath.Join(state, "pki"))
	if err != nil {
		return fmt.Errorf("generating certificates: %w", err)
	}
	ids := []identity{
		{name: "admin", user: "mlserve-admin", token: randomToken(), groups: []string{"system:masters"}},
		{name: "restricted", user: "mlserve-restricted", token: randomToken()},
	}
	tokenFile := filepath.Join(state, "pki", "tokens.csv")
	if err := writeTokenFile(tokenFile, ids); err != nil {
		return err
	}

	etcd, etcdURL, err := startEtcd(filepath.Join(state, "etcd"))
	if err != nil {
		return fmt.Errorf("starting etcd: %w", err)
	}
	defer etcd.Close()

	port, err := freePort()
	if err != nil {
		return err
	}
	server := fmt.Sprintf("https://127.0.0.1:%d", port)
	args := apiserverArgs(port, etcdURL, certs, tokenFile, verbosity)
	if err := os.WriteFile(filepath.Join(state, "apiserver.args"), []byte(fmt.Sprintln(args)), 0o644); err != nil {
		return err
	}

	cmd := app.NewAPIServerCommand() // installs the SIGTERM/SIGINT handler that stops the server
	cmd.SetArgs(args)
	stopped := make(chan error, 1)
	go func() { stopped <- cmd.Execute() }()

	admin := &rest.Config{
		Host:            server,
		BearerToken:     ids[0].token,
		TLSClientConfig: rest.TLSClientConfig{CAData: certs.caPEM},
		QPS:             200,
		Burst:           400,
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	go func() {
		// Stop waiting for readiness as soon as the server gives up.
		select {
		case err := <-stopped:
			stopped <- err
			cancel()
		case <-ctx.Done():
		}
	}()

	client, err := kubernetes.NewForConfig(admin)
	if err != nil {
		return err
	}
	if err := waitReady(ctx, client); err != nil {
		return startupError(stopped, fmt.Errorf("waiting for /readyz: %w", err))
	}
	serverReady := time.Since(started)
	if err := setupRBAC(ctx, client, namespace, ids[1].user); err != nil {
		return startupError(stopped, fmt.Errorf("restricted identity: %w", err))
	}
	var report []crdResult
	if schemas != "" {
		if report, err = installCRDs(ctx, admin, schemas, parallel); err != nil {
			return startupError(stopped, fmt.Errorf("installing CRDs: %w", err))
		}
	}
	if err := writeCRDReport(filepath.Join(state, "crds.tsv"), report); err != nil {
		return err
	}

	files, err := writeKubeconfigs(state, server, certs, ids, namespace)
	if err != nil {
		return err
	}
	env := map[string]string{
		"SERVER":                server,
		"CA_FILE":               certs.caFile,
		"KUBECONFIG_ADMIN":      files["admin"],
		"KUBECONFIG_RESTRICTED": files["restricted"],
		"KUBECONFIG_BAD_TOKEN":  files["bad-token"],
		"ADMIN_TOKEN":           ids[0].token,
		"RESTRICTED_TOKEN":      ids[1].token,
		"RESTRICTED_USER":       ids[1].user,
		"RESTRICTED_NAMESPACE":  namespace,
		"ETCD_URL":              etcdURL,
		"CLUSTER_PID":           strconv.Itoa(os.Getpid()),
		"CLUSTER_STATE":         state,
	}
	if err := writeEnvFile(filepath.Join(state, "env"), env); err != nil {
		return err
	}
	rejected := 0
	for _, r := range report {
		if r.err != nil {
			rejected++
			fmt.Printf("mlserve-apiserver: CRD rejected: %s: %v\n", r.file, r.err)
		}
	}
	fmt.Printf("mlserve-apiserver: server /readyz after %.1fs; %d CRDs established, %d rejected, all after %.1fs\n",
		serverReady.Seconds(), len(report)-rejected, rejected, time.Since(started).Seconds())
	if err := os.WriteFile(filepath.Join(state, "ready"), []byte(server+"\n"), 0o644); err != nil {
		return err
	}
	fmt.Printf("mlserve-apiserver ready %s\n", server)

	err = <-stopped
	_ = os.Remove(filepath.Join(state, "ready"))
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("kube-apiserver stopped: %w", err)
	}
	fmt.Println("mlserve-apiserver: stopped")
	return nil
}

// startupError prefers the API server's own error (it says why it stopped) over the waiting error.
func startupError(stopped chan error, err error) error {
	select {
	case serr := <-stopped:
		if serr != nil {
			return fmt.Errorf("kube-apiserver exited: %w", serr)
		}
		return fmt.Errorf("kube-apiserver exited during start-up: %w", err)
	default:
		return err
	}
}

// apiserverArgs are the kube-apiserver flags: loopback only, TLS with the test CA's certificate, static tokens,
// RBAC, and the service-account keys the server insists on. Everything else keeps upstream defaults, so the API
// semantics (admission chain, SSA, watch cache with bookmarks, dry-run, field validation) are the real ones.
func apiserverArgs(port int, etcdURL string, certs *pki, tokenFile string, verbosity int) []string {
	return []string{
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(port),
		"--etcd-servers=" + etcdURL,
		"--tls-cert-file=" + certs.certFile,
		"--tls-private-key-file=" + certs.keyFile,
		"--client-ca-file=" + certs.caFile,
		"--token-auth-file=" + tokenFile,
		"--authorization-mode=RBAC",
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file=" + certs.saKeyFile,
		"--service-account-signing-key-file=" + certs.saKeyFile,
		"--service-cluster-ip-range=10.96.0.0/16",
		// No kubelets or nodes: the reconciler would keep a kubernetes Endpoints object up to date for nothing.
		"--endpoint-reconciler-type=none",
		"--profiling=false",
		"--v=" + strconv.Itoa(verbosity),
	}
}
