package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"go.etcd.io/etcd/server/v3/embed"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// startEtcd starts a single-member etcd on loopback ports and waits until it serves.
func startEtcd(dir string) (*embed.Etcd, string, error) {
	clientPort, err := freePort()
	if err != nil {
		return nil, "", err
	}
	peerPort, err := freePort()
	if err != nil {
		return nil, "", err
	}
	cu, _ := url.Parse(fmt.Sprintf("http://127.0.0.1:%d", clientPort))
	pu, _ := url.Parse(fmt.Sprintf("http://127.0.0.1:%d", peerPort))
	cfg := embed.NewConfig()
	cfg.Name = "mlserve-test"
	cfg.Dir = dir
	cfg.ListenClientUrls = []url.URL{*cu}
	cfg.AdvertiseClientUrls = []url.URL{*cu}
	cfg.ListenPeerUrls = []url.URL{*pu}
	cfg.AdvertisePeerUrls = []url.URL{*pu}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.LogLevel = "error"
	cfg.LogOutputs = []string{filepath.Join(filepath.Dir(dir), "etcd.log")}
	// Throw-away data: no fsync, so a test run does not wait on the disk.
	cfg.UnsafeNoFsync = true
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return nil, "", err
	}
	select {
	case <-e.Server.ReadyNotify():
	case err := <-e.Err():
		e.Close()
		return nil, "", err
	case <-time.After(60 * time.Second):
		e.Close()
		return nil, "", fmt.Errorf("etcd not ready after 60s (log: %s)", cfg.LogOutputs[0])
	}
	return e, cu.String(), nil
}

// writeTokenFile writes the --token-auth-file: token,user,uid,"group1,group2".
func writeTokenFile(path string, ids []identity) error {
	var b strings.Builder
	for _, id := range ids {
		fmt.Fprintf(&b, "%s,%s,%s", id.token, id.user, id.user)
		if len(id.groups) > 0 {
			fmt.Fprintf(&b, ",\"%s\"", strings.Join(id.groups, ","))
		}
		b.WriteString("\n")
	}
	return os.WriteFile(path, []byte(b.String()), 0o600)
}

// waitReady polls /readyz (every post-start hook done: RBAC bootstrap roles, priority classes, CRD informers).
func waitReady(ctx context.Context, client *kubernetes.Clientset) error {
	var last string
	err := wait.PollUntilContextCancel(ctx, 200*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		body, err := client.Discovery().RESTClient().Get().AbsPath("/readyz").DoRaw(ctx)
		if err != nil {
			last = err.Error() + ": " + string(body)
			return false, nil
		}
		return string(body) == "ok", nil
	})
	if err != nil && last != "" {
		return fmt.Errorf("%w (last answer: %s)", err, strings.TrimSpace(last))
	}
	return err
}

// setupRBAC creates the restricted user's namespace and a Role that allows exactly get and patch on
// InferenceServices there, bound to that user.
func setupRBAC(ctx context.Context, client *kubernetes.Clientset, namespace, user string) error {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: namespace}}
	if _, err := client.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		return err
	}
	role := &rbacv1.Role{
		ObjectMeta: metav1.ObjectMeta{Name: "inferenceservice-get-patch", Namespace: namespace},
		Rules: []rbacv1.PolicyRule{{
			APIGroups: []string{"serving.kserve.io"},
			Resources: []string{"inferenceservices"},
			Verbs:     []string{"get", "patch"},
		}},
	}
	if _, err := client.RbacV1().Roles(namespace).Create(ctx, role, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		return err
	}
	binding := &rbacv1.RoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: "inferenceservice-get-patch", Namespace: namespace},
		RoleRef:    rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "Role", Name: role.Name},
		Subjects:   []rbacv1.Subject{{APIGroup: "rbac.authorization.k8s.io", Kind: "User", Name: user}},
	}
	if _, err := client.RbacV1().RoleBindings(namespace).Create(ctx, binding, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		return err
	}
	return nil
}

// writeKubeconfigs writes one kubeconfig per identity plus one whose token the server does not know.
// It returns identity name -> file path.
func writeKubeconfigs(state, server string, certs *pki, ids []identity, restrictedNS string) (map[string]string, error) {
	all := append([]identity{}, ids...)
	all = append(all, identity{name: "bad-token", user: "nobody", token: "bad-" + randomToken()})
	files := map[string]string{}
	for _, id := range all {
		ns := "default"
		if id.name == "restricted" {
			ns = restrictedNS
		}
		cfg := clientcmdapi.NewConfig()
		cfg.Clusters["mlserve-test"] = &clientcmdapi.Cluster{Server: server, CertificateAuthorityData: certs.caPEM}
		cfg.AuthInfos[id.name] = &clientcmdapi.AuthInfo{Token: id.token}
		cfg.Contexts[id.name] = &clientcmdapi.Context{Cluster: "mlserve-test", AuthInfo: id.name, Namespace: ns}
		cfg.CurrentContext = id.name
		path := filepath.Join(state, "kubeconfig-"+id.name)
		if err := clientcmd.WriteToFile(*cfg, path); err != nil {
			return nil, err
		}
		files[id.name] = path
	}
	return files, nil
}

// writeEnvFile writes KEY='value' lines that a shell test can source.
func writeEnvFile(path string, env map[string]string) error {
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s='%s'\n", k, strings.ReplaceAll(env[k], "'", `'\''`))
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
