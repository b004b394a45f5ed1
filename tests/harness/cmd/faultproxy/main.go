// Command faultproxy listens on 127.0.0.1 (a free port unless --listen says otherwise), forwards to the API server
// and injects the faults of a schedule (tests/harness/README.md, "Fault proxy"). It terminates TLS with its own
// throw-away CA (or --tls-cert/--tls-key, e.g. the harness's apiserver.crt/.key, which the harness CA already
// trusts), or serves plain HTTP with --plain-http. The control API listens on a second loopback port.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"k8s.io/client-go/tools/clientcmd"

	"mlserve.dev/harness/internal/faultproxy"
)

func fail(code int, format string, args ...any) {
	fmt.Fprintf(os.Stderr, "faultproxy: "+format+"\n", args...)
	os.Exit(code)
}

func main() {
	kubeIn := flag.String("kubeconfig", "", "kubeconfig whose current cluster is the upstream (server and CA)")
	kubeOut := flag.String("kubeconfig-out", "", "write a copy of --kubeconfig that points at the proxy")
	upstreamFlag := flag.String("upstream", "", "upstream URL (default: the kubeconfig's server)")
	caFlag := flag.String("upstream-ca", "", "CA file for the upstream (default: the kubeconfig's CA)")
	listen := flag.String("listen", "127.0.0.1:0", "proxy address")
	controlListen := flag.String("control-listen", "127.0.0.1:0", "control API address (plain HTTP)")
	certFile := flag.String("tls-cert", "", "serving certificate (default: a throw-away CA and certificate)")
	keyFile := flag.String("tls-key", "", "serving key for --tls-cert")
	plain := flag.Bool("plain-http", false, "serve plain HTTP instead of TLS")
	scheduleFile := flag.String("schedule", "", "initial schedule (JSON); the control API can replace it")
	envFile := flag.String("env-file", "", "write FAULTPROXY_URL, FAULTPROXY_CONTROL, FAULTPROXY_KUBECONFIG, FAULTPROXY_CA here")
	flag.Parse()

	upstream, caPEM := *upstreamFlag, []byte(nil)
	var cfgIn *clientcmdConfig
	if *kubeIn != "" {
		c, err := loadKubeconfig(*kubeIn)
		if err != nil {
			fail(2, "%v", err)
		}
		cfgIn = c
		if upstream == "" {
			upstream = c.server
		}
		caPEM = c.caPEM
	}
	if *caFlag != "" {
		b, err := os.ReadFile(*caFlag)
		if err != nil {
			fail(2, "%v", err)
		}
		caPEM = b
	}
	u, err := url.Parse(upstream)
	if err != nil || u.Host == "" {
		fail(2, "need --upstream URL or --kubeconfig (got %q)", upstream)
	}
	var upTLS *tls.Config
	if u.Scheme == "https" {
		upTLS = &tls.Config{MinVersion: tls.VersionTLS12}
		if caPEM != nil {
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(caPEM) {
				fail(2, "no certificate in the upstream CA")
			}
			upTLS.RootCAs = pool
		}
	}
	p := faultproxy.New(u, upTLS)
	if *scheduleFile != "" {
		data, err := os.ReadFile(*scheduleFile)
		if err != nil {
			fail(2, "%v", err)
		}
		s, err := faultproxy.ParseSchedule(data)
		if err != nil {
			fail(2, "%s: %v", *scheduleFile, err)
		}
		p.SetSchedule(s)
	}

	var serveTLS *tls.Config
	var clientCA []byte
	switch {
	case *plain:
	case *certFile != "":
		cert, err := tls.LoadX509KeyPair(*certFile, *keyFile)
		if err != nil {
			fail(2, "%v", err)
		}
		serveTLS, clientCA = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, caPEM
	default:
		if serveTLS, clientCA, err = faultproxy.SelfSignedTLS(); err != nil {
			fail(1, "%v", err)
		}
	}
	l, err := net.Listen("tcp", *listen)
	if err != nil {
		fail(1, "%v", err)
	}
	cl, err := net.Listen("tcp", *controlListen)
	if err != nil {
		fail(1, "%v", err)
	}
	scheme := "https"
	if *plain {
		scheme = "http"
	}
	proxyURL := fmt.Sprintf("%s://%s", scheme, l.Addr())
	controlURL := fmt.Sprintf("http://%s", cl.Addr())

	caOut := ""
	if *kubeOut != "" {
		if cfgIn == nil {
			fail(2, "--kubeconfig-out needs --kubeconfig")
		}
		if clientCA != nil {
			caOut = filepath.Join(filepath.Dir(*kubeOut), "faultproxy-ca.crt")
			if err := os.WriteFile(caOut, clientCA, 0o644); err != nil {
				fail(1, "%v", err)
			}
		}
		if err := writeKubeconfig(cfgIn, *kubeOut, proxyURL, clientCA); err != nil {
			fail(1, "%v", err)
		}
	}
	if *envFile != "" {
		env := fmt.Sprintf("FAULTPROXY_URL=%s\nFAULTPROXY_CONTROL=%s\nFAULTPROXY_KUBECONFIG=%s\nFAULTPROXY_CA=%s\nFAULTPROXY_PID=%d\n",
			proxyURL, controlURL, *kubeOut, caOut, os.Getpid())
		if err := os.WriteFile(*envFile, []byte(env), 0o644); err != nil {
			fail(1, "%v", err)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	control := &http.Server{Handler: p.ControlHandler()}
	go func() { _ = control.Serve(cl) }()
	go func() { <-ctx.Done(); _ = control.Close() }()
	fmt.Printf("faultproxy ready %s control %s\n", proxyURL, controlURL)
	if err := p.Serve(ctx, l, serveTLS); err != nil {
		fail(1, "%v", err)
	}
}

type clientcmdConfig struct {
	path   string
	server string
	caPEM  []byte
}

func loadKubeconfig(path string) (*clientcmdConfig, error) {
	cfg, err := clientcmd.LoadFromFile(path)
	if err != nil {
		return nil, err
	}
	ctx := cfg.Contexts[cfg.CurrentContext]
	if ctx == nil {
		return nil, fmt.Errorf("%s: no current context", path)
	}
	cluster := cfg.Clusters[ctx.Cluster]
	if cluster == nil {
		return nil, fmt.Errorf("%s: context %q has no cluster", path, cfg.CurrentContext)
	}
	ca := cluster.CertificateAuthorityData
	if len(ca) == 0 && cluster.CertificateAuthority != "" {
		if ca, err = os.ReadFile(cluster.CertificateAuthority); err != nil {
			return nil, err
		}
	}
	return &clientcmdConfig{path: path, server: cluster.Server, caPEM: ca}, nil
}

// writeKubeconfig copies the input kubeconfig with every cluster pointed at the proxy (and trusting its CA).
func writeKubeconfig(in *clientcmdConfig, out, server string, ca []byte) error {
	cfg, err := clientcmd.LoadFromFile(in.path)
	if err != nil {
		return err
	}
	for _, c := range cfg.Clusters {
		c.Server = server
		c.CertificateAuthority = ""
		c.CertificateAuthorityData = ca
		if ca == nil {
			c.CertificateAuthorityData = nil
		}
	}
	return clientcmd.WriteToFile(*cfg, out)
}
