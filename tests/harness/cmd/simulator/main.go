// Command simulator writes the status of InferenceServices, SeldonDeployments and Rollouts the way the KServe,
// Seldon Core v1 and Argo Rollouts controllers do, through the status subresource of a real API server
// (tests/harness/README.md, "Controller simulator").
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/tools/clientcmd"

	"mlserve.dev/harness/internal/sim"
	"mlserve.dev/harness/internal/simrun"
)

func main() {
	o := sim.DefaultOptions()
	kubeconfig := flag.String("kubeconfig", os.Getenv("KUBECONFIG"), "kubeconfig of an identity that may update the status subresources")
	namespace := flag.String("namespace", "", "watch one namespace (default: all)")
	flag.DurationVar(&o.ReadyDelay, "ready-delay", 0, "how long a new revision/Deployment/ReplicaSet takes to become ready")
	flag.StringVar(&o.IngressDomain, "ingress-domain", o.IngressDomain, "KServe ingressDomain used in status URLs")
	flag.StringVar(&o.DefaultMode, "default-deployment-mode", o.DefaultMode, "KServe mode when the annotation is absent (Knative or Standard)")
	readyFile := flag.String("ready-file", "", "touch this file once the watches are synced")
	flag.Parse()
	if o.DefaultMode != "Knative" && o.DefaultMode != "Standard" {
		fmt.Fprintf(os.Stderr, "simulator: --default-deployment-mode must be Knative or Standard, not %q\n", o.DefaultMode)
		os.Exit(2)
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		fmt.Fprintf(os.Stderr, "simulator: %v\n", err)
		os.Exit(2)
	}
	client, err := dynamic.NewForConfig(cfg)
	if err != nil {
		fmt.Fprintf(os.Stderr, "simulator: %v\n", err)
		os.Exit(1)
	}
	kinds, err := simrun.Served(cfg)
	if err != nil {
		fmt.Fprintf(os.Stderr, "simulator: discovery: %v\n", err)
		os.Exit(1)
	}
	for i, k := range simrun.Kinds {
		served := false
		for _, j := range kinds {
			served = served || i == j
		}
		if !served {
			fmt.Fprintf(os.Stderr, "simulator: %s is not served (CRD not installed); not simulated\n", k.Name)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	ready := make(chan struct{})
	go func() {
		select {
		case <-ready:
			if *readyFile != "" {
				_ = os.WriteFile(*readyFile, []byte("ready\n"), 0o644)
			}
			fmt.Println("simulator ready")
		case <-ctx.Done():
		}
	}()
	if err := simrun.New(client, o, *namespace, os.Stderr).Run(ctx, kinds, ready); err != nil {
		fmt.Fprintf(os.Stderr, "simulator: %v\n", err)
		os.Exit(1)
	}
}
