#!/usr/bin/env bash
# Proof that the test cluster is a faithful Kubernetes API server: the real kubectl (and curl, for what kubectl
# does not show) against it. Usage: test_kubectl.sh STATE_DIR CASE, where STATE_DIR is a running cluster's
# (tests/harness/cluster up --state STATE_DIR) and CASE one of: builtin inferenceservice watch auth crds examples.
# Every check asserts; the first failed one ends the case with exit 1 and says what was expected and what came.
set -euo pipefail

state="${1:?usage: test_kubectl.sh STATE_DIR CASE}"
case_name="${2:?usage: test_kubectl.sh STATE_DIR CASE}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export MLSERVE_SHARED_DIR="${MLSERVE_SHARED_DIR:-$repo/../shared}"
[ -f "$state/ready" ] || { echo "FAIL: no running cluster in $state (tests/harness/cluster up --state $state)"; exit 1; }
# shellcheck disable=SC1091
. "$state/env"

work="$(mktemp -d "${TMPDIR:-/tmp}/mlserve-kubectl.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export KUBECACHEDIR="$work/kube-cache"   # no discovery or HTTP cache from an earlier server on the same port
export KUBECTL="${KUBECTL:-/usr/bin/kubectl}"
checks=0

fail() { echo "FAIL [$case_name]: $*" >&2; exit 1; }
ok() { checks=$((checks + 1)); echo "ok $checks - $*"; }

# k IDENTITY ARGS...: kubectl as admin|restricted|bad-token; stdout -> $work/out, stderr -> $work/err, status -> $rc.
k() {
  local who="$1"; shift
  local cfg
  case "$who" in
    admin) cfg="$KUBECONFIG_ADMIN" ;;
    restricted) cfg="$KUBECONFIG_RESTRICTED" ;;
    bad-token) cfg="$KUBECONFIG_BAD_TOKEN" ;;
    *) fail "unknown identity $who" ;;
  esac
  set +e
  "$KUBECTL" --kubeconfig "$cfg" --request-timeout=30s "$@" >"$work/out" 2>"$work/err"
  rc=$?
  set -e
}
# ka ARGS...: kubectl as admin, which must succeed.
ka() { k admin "$@"; [ "$rc" -eq 0 ] || fail "kubectl $* exited $rc: $(cat "$work/err")"; }
# ensure_ns NAME: the namespace exists afterwards (cases run in parallel and may share one).
ensure_ns() {
  k admin create namespace "$1"
  [ "$rc" -eq 0 ] || grep -qF "namespaces \"$1\" already exists" "$work/err" || fail "create namespace $1: $(cat "$work/err")"
}
expect_rc() { [ "$rc" -eq "$1" ] || fail "$2: expected exit $1, got $rc; stderr: $(cat "$work/err"); stdout: $(head -c 400 "$work/out")"; }
# expect_json JQ_FILTER EXPECTED WHAT: the filter applied to the last stdout gives EXPECTED (compact JSON text).
expect_json() {
  local got
  got="$(jq -c "$1" "$work/out")" || fail "$3: stdout is not JSON: $(head -c 400 "$work/out")"
  [ "$got" = "$2" ] || fail "$3: $1 is $got, expected $2"
  ok "$3"
}
expect_err() { grep -qF -- "$1" "$work/err" || fail "$2: stderr lacks '$1': $(cat "$work/err")"; ok "$2"; }

# curl_api METHOD PATH TOKEN [BODY]: raw API call; body -> $work/out, HTTP status -> $http.
curl_api() {
  local data=()
  [ $# -ge 4 ] && data=(-H 'Content-Type: application/json' --data-binary "$4")
  http="$(curl -sS --max-time 30 --cacert "$CA_FILE" -H "Authorization: Bearer $3" -X "$1" "${data[@]}" \
    -o "$work/out" -w '%{http_code}' "$SERVER$2")"
}

case_builtin() {
  local ns=builtin-kinds
  ensure_ns "$ns"
  ka delete configmap,service,deployment -n "$ns" --all --ignore-not-found  # a rerun on the same cluster

  # Server-side apply: the server records kubectl as the field manager of the applied fields.
  cat >"$work/cm.yaml" <<EOF
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: $ns}
data: {mode: fast}
EOF
  ka apply --server-side -f "$work/cm.yaml"
  grep -qx 'configmap/settings serverside-applied' "$work/out" || fail "apply --server-side said: $(cat "$work/out")"
  ka get configmap settings -n "$ns" -o json --show-managed-fields
  expect_json '.data' '{"mode":"fast"}' "server-side apply stored the data"
  expect_json '[.metadata.managedFields[] | select(.manager=="kubectl") | .operation]' '["Apply"]' \
    "managedFields name kubectl with operation Apply"

  # Another manager changing an owned field conflicts; --force-conflicts takes the field over.
  sed 's/mode: fast/mode: slow/' "$work/cm.yaml" >"$work/cm2.yaml"
  k admin apply --server-side --field-manager=other -f "$work/cm2.yaml"
  expect_rc 1 "conflicting server-side apply"
  expect_err 'conflict with "kubectl": .data.mode' "a second field manager gets a conflict on .data.mode"
  ka apply --server-side --field-manager=other --force-conflicts -f "$work/cm2.yaml"
  ka get configmap settings -n "$ns" -o json --show-managed-fields
  expect_json '[.data.mode, ([.metadata.managedFields[].manager] | sort)]' '["slow",["other"]]' \
    "--force-conflicts moves .data.mode to the new manager"

  # Server-side dry run stores nothing.
  sed 's/name: settings/name: dry/' "$work/cm.yaml" >"$work/dry.yaml"
  ka apply --server-side --dry-run=server -f "$work/dry.yaml"
  k admin get configmap dry -n "$ns"
  expect_rc 1 "get after dry run"
  expect_err 'configmaps "dry" not found' "server-side dry run created nothing"

  # Strict field validation rejects an unknown field, naming it.
  printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bogus, namespace: %s}\nbogusField: 1\n' "$ns" >"$work/bogus.yaml"
  k admin apply --server-side -f "$work/bogus.yaml"
  expect_rc 1 "server-side apply of an unknown field"
  expect_err '.bogusField: field not declared in schema' "server-side apply refuses a field the schema lacks"
  k admin create --validate=strict -f "$work/bogus.yaml"
  expect_rc 1 "create of an unknown field"
  expect_err 'strict decoding error: unknown field "bogusField"' "strict field validation names the unknown field"
  k admin create --validate=false -f "$work/bogus.yaml"
  expect_rc 0 "create with --validate=false"
  ka get configmap bogus -n "$ns" -o json
  expect_json '[.metadata.name, .bogusField]' '["bogus",null]' "with --validate=false the unknown field is dropped"

  # Client-side apply of a Service: last-applied annotation, a cluster IP allocated from the service range.
  cat >"$work/svc.yaml" <<EOF
apiVersion: v1
kind: Service
metadata: {name: web, namespace: $ns}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
EOF
  ka apply -f "$work/svc.yaml"
  grep -qx 'service/web created' "$work/out" || fail "client-side apply said: $(cat "$work/out")"
  ka get service web -n "$ns" -o json
  expect_json '.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"] | fromjson | .spec.ports[0].port' '80' \
    "client-side apply wrote the last-applied-configuration annotation"
  expect_json '[.spec.type, (.spec.clusterIP | startswith("10.96.")), .spec.ports[0].protocol]' '["ClusterIP",true,"TCP"]' \
    "the server defaulted type and protocol and allocated a cluster IP"
  sed 's/port: 80,/port: 8081,/' "$work/svc.yaml" >"$work/svc2.yaml"
  ka apply -f "$work/svc2.yaml"
  grep -qx 'service/web configured' "$work/out" || fail "second client-side apply said: $(cat "$work/out")"
  ka get service web -n "$ns" -o json
  expect_json '.spec.ports[0].port' '8081' "client-side apply updated the port"

  # Deployment: server defaults, generation, merge patch.
  cat >"$work/deploy.yaml" <<EOF
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: $ns}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: registry.example.com/web:1.0}]
EOF
  ka apply --server-side -f "$work/deploy.yaml"
  ka get deployment web -n "$ns" -o json
  expect_json '[.metadata.generation, .spec.replicas, .spec.strategy.type, .spec.revisionHistoryLimit, .spec.template.spec.containers[0].terminationMessagePath]' \
    '[1,1,"RollingUpdate",10,"/dev/termination-log"]' "the server applied the Deployment defaults"
  ka patch deployment web -n "$ns" --type merge -p '{"spec":{"replicas":3}}'
  grep -qx 'deployment.apps/web patched' "$work/out" || fail "patch said: $(cat "$work/out")"
  ka get deployment web -n "$ns" -o json
  expect_json '[.spec.replicas, .metadata.generation]' '[3,2]' "merge patch set replicas and bumped the generation"
  k admin patch deployment web -n "$ns" --type merge -p '{"spec":{"replicas":"three"}}'
  expect_rc 1 "merge patch with a wrong type"
  expect_err 'cannot unmarshal string' "a mistyped merge patch is refused"

  # Delete.
  ka delete configmap settings -n "$ns"
  grep -qx 'configmap "settings" deleted' "$work/out" || fail "delete said: $(cat "$work/out")"
  k admin get configmap settings -n "$ns"
  expect_rc 1 "get after delete"
  expect_err 'Error from server (NotFound): configmaps "settings" not found' "the deleted ConfigMap is gone"
}

case_inferenceservice() {
  local ns=kserve-test
  ensure_ns "$ns"
  ka apply --server-side -f "$repo/examples/sklearn-iris/expected.yaml"
  grep -qx 'inferenceservice.serving.kserve.io/sklearn-iris serverside-applied' "$work/out" ||
    fail "apply --server-side said: $(cat "$work/out")"
  ka get inferenceservice sklearn-iris -n "$ns" -o json
  expect_json '[.apiVersion, .spec.predictor.model.modelFormat.name, .spec.predictor.model.resources.limits.memory]' \
    '["serving.kserve.io/v1beta1","sklearn","2Gi"]' "the InferenceService was stored as applied"

  # The real CRD schema is enforced: minReplicas is an integer.
  k admin patch inferenceservice sklearn-iris -n "$ns" --type merge -p '{"spec":{"predictor":{"minReplicas":"two"}}}'
  expect_rc 1 "schema-violating merge patch"
  expect_err 'spec.predictor.minReplicas: Invalid value: "string": spec.predictor.minReplicas in body must be of type integer' \
    "the CRD's OpenAPI schema refuses a string minReplicas"
  ka patch inferenceservice sklearn-iris -n "$ns" --type merge -p '{"spec":{"predictor":{"canaryTrafficPercent":10}}}'
  ka get inferenceservice sklearn-iris -n "$ns" -o json
  expect_json '[.spec.predictor.canaryTrafficPercent, .metadata.generation]' '[10,2]' \
    "merge patch on the custom resource set canaryTrafficPercent"

  # Status is a subresource: a status change through the main resource is dropped.
  ka patch inferenceservice sklearn-iris -n "$ns" --type merge -p '{"status":{"url":"http://ignored"}}'
  ka get inferenceservice sklearn-iris -n "$ns" -o json
  expect_json '.status.url' 'null' "status written through the main resource is ignored"

  # wait --for=condition=Ready: times out while not Ready, returns once the status subresource says Ready.
  k admin wait --for=condition=Ready inferenceservice/sklearn-iris -n "$ns" --timeout=2s
  expect_rc 1 "wait before Ready"
  expect_err 'timed out waiting for the condition on inferenceservices/sklearn-iris' "wait times out while not Ready"
  "$KUBECTL" --kubeconfig "$KUBECONFIG_ADMIN" wait --for=condition=Ready inferenceservice/sklearn-iris -n "$ns" \
    --timeout=60s >"$work/wait.out" 2>"$work/wait.err" &
  local waiter=$!
  sleep 2
  local now
  now="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  ka patch inferenceservice sklearn-iris -n "$ns" --subresource=status --type merge \
    -p "{\"status\":{\"url\":\"http://sklearn-iris.kserve-test.example.com\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"lastTransitionTime\":\"$now\"}]}}"
  wait "$waiter" || fail "wait --for=condition=Ready exited $?: $(cat "$work/wait.err")"
  grep -qx 'inferenceservice.serving.kserve.io/sklearn-iris condition met' "$work/wait.out" ||
    fail "wait said: $(cat "$work/wait.out")"
  ok "wait --for=condition=Ready returns once the status subresource says Ready"
  ka get inferenceservice sklearn-iris -n "$ns" -o json
  expect_json '[.status.url, .metadata.generation]' '["http://sklearn-iris.kserve-test.example.com",2]' \
    "a status patch changes status but not the generation"

  ka delete inferenceservice sklearn-iris -n "$ns" --wait=true
  k admin get inferenceservice sklearn-iris -n "$ns"
  expect_rc 1 "get after delete"
  expect_err 'inferenceservices.serving.kserve.io "sklearn-iris" not found' "the InferenceService is deleted"
}

case_watch() {
  local ns=watching
  ensure_ns "$ns"
  ka delete configmaps,events -n "$ns" --all --ignore-not-found  # a rerun on the same cluster
  # kubectl get -w prints every event until the request timeout ends the watch. The events on w1 start once the
  # watch has shown w0, which exists before it starts.
  ka create configmap w0 -n "$ns"
  "$KUBECTL" --kubeconfig "$KUBECONFIG_ADMIN" get configmaps -n "$ns" -w --output-watch-events -o json \
    --request-timeout=20s >"$work/watch.out" 2>"$work/watch.err" &
  local watcher=$! i
  for ((i = 0; i < 100; i++)); do
    grep -q '"name":"w0"' "$work/watch.out" && break
    sleep 0.1
  done
  grep -q '"name":"w0"' "$work/watch.out" || fail "kubectl get -w did not list w0 in 10s: $(cat "$work/watch.err")"
  ka create configmap w1 -n "$ns" --from-literal=a=1
  ka patch configmap w1 -n "$ns" --type merge -p '{"data":{"a":"2"}}'
  ka delete configmap w1 -n "$ns"
  # The watch ends by itself at --request-timeout; once the DELETED event is in, it is stopped sooner.
  for ((i = 0; i < 250; i++)); do
    grep -q '"type":"DELETED"' "$work/watch.out" && break
    kill -0 "$watcher" 2>/dev/null || break
    sleep 0.1
  done
  kill "$watcher" 2>/dev/null || true
  set +e
  wait "$watcher"
  local wrc=$?
  set -e
  jq -c 'select(.object.metadata.name=="w1") | [.type, .object.data.a]' "$work/watch.out" >"$work/events" ||
    fail "get -w output is not JSON events (exit $wrc): $(head -c 400 "$work/watch.out") $(cat "$work/watch.err")"
  [ "$(tr -d '\n' <"$work/events")" = '["ADDED","1"]["MODIFIED","2"]["DELETED","2"]' ] ||
    fail "get -w saw $(cat "$work/events"), expected ADDED 1, MODIFIED 2, DELETED 2"
  ok "kubectl get -w reports ADDED, MODIFIED and DELETED in order"

  # Raw watch: a bookmark ends the initial events (sendInitialEvents), and a too-old resourceVersion is 410 Gone.
  ka create configmap w2 -n "$ns" --from-literal=a=1
  curl_api GET "/api/v1/namespaces/$ns/configmaps?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=2" "$ADMIN_TOKEN"
  [ "$http" = 200 ] || fail "watch with sendInitialEvents: HTTP $http: $(head -c 400 "$work/out")"
  jq -c '[.type, .object.metadata.name // null, .object.metadata.annotations["k8s.io/initial-events-end"] // null]' \
    "$work/out" | head -3 | tr -d '\n' >"$work/events"
  [ "$(cat "$work/events")" = '["ADDED","w0",null]["ADDED","w2",null]["BOOKMARK",null,"true"]' ] ||
    fail "initial events were $(cat "$work/events"), expected ADDED w0, ADDED w2, then the initial-events-end BOOKMARK"
  ok "watch sends the initial events, then a BOOKMARK marked k8s.io/initial-events-end"
  # 410: Events have no watch cache, so a watch on them is served by etcd, which keeps every revision until it is
  # compacted (the server's compactor does that every 5 minutes). Compact up to now through etcd's JSON gateway,
  # then watch from a revision before that.
  curl_api POST "/api/v1/namespaces/$ns/events" "$ADMIN_TOKEN" \
    '{"metadata":{"name":"e1"},"involvedObject":{"kind":"ConfigMap","name":"w2","namespace":"'"$ns"'"},"reason":"Test","message":"m"}'
  [ "$http" = 201 ] || fail "create event: HTTP $http: $(head -c 400 "$work/out")"
  curl -sS --max-time 10 -X POST "$ETCD_URL/v3/kv/range" -d '{"key":"AA=="}' -o "$work/out"
  local rev
  rev="$(jq -r .header.revision "$work/out")"
  curl -sS --max-time 30 -X POST "$ETCD_URL/v3/kv/compaction" -d "{\"revision\":\"$rev\",\"physical\":true}" -o "$work/out"
  jq -e '.header.revision' "$work/out" >/dev/null || fail "etcd compaction answered $(cat "$work/out")"
  curl_api GET "/api/v1/namespaces/$ns/events?watch=1&resourceVersion=1&timeoutSeconds=5" "$ADMIN_TOKEN"
  [ "$http" = 200 ] || fail "watch from resourceVersion 1: HTTP $http: $(head -c 400 "$work/out")"
  expect_json '[.type, .object.kind, .object.code, .object.reason, .object.message]' \
    '["ERROR","Status",410,"Expired","The resourceVersion for the provided watch is too old."]' \
    "a watch from a compacted resourceVersion ends with a 410 Expired Status event"
  curl_api GET "/api/v1/namespaces/$ns/configmaps?limit=1&continue=bogus" "$ADMIN_TOKEN"
  [ "$http" = 400 ] || fail "list with a bad continue token: HTTP $http, expected 400"
  ok "a malformed continue token is a 400"
}

case_auth() {
  local ns="$RESTRICTED_NAMESPACE"
  # A token the server does not know: 401, whatever the request.
  k bad-token get configmaps
  expect_rc 1 "bad token"
  expect_err 'error: You must be logged in to the server (the server has asked for the client to provide credentials)' \
    "kubectl with an unknown token is told to log in (401)"
  curl_api GET /api/v1/namespaces/default/configmaps "bad-token"
  [ "$http" = 401 ] || fail "bad token: HTTP $http, expected 401"
  expect_json '[.kind, .code, .reason]' '["Status",401,"Unauthorized"]' "the 401 body is a Status"

  # The restricted user: only get and patch of InferenceServices in its namespace.
  sed "s/namespace: kserve-test/namespace: $ns/" "$repo/examples/sklearn-iris/expected.yaml" >"$work/isvc.yaml"
  ka delete inferenceservice sklearn-iris -n "$ns" --ignore-not-found  # a rerun on the same cluster
  k restricted apply --server-side -f "$work/isvc.yaml"
  expect_rc 1 "restricted create"
  expect_err "inferenceservices.serving.kserve.io \"sklearn-iris\" is forbidden: User \"$RESTRICTED_USER\" cannot create resource \"inferenceservices\" in API group \"serving.kserve.io\" in the namespace \"$ns\"" \
    "restricted user: server-side apply of a new object needs create, which it lacks (403)"
  k restricted create configmap nope -n "$ns" --from-literal=a=1
  expect_rc 1 "restricted create configmap"
  expect_err "configmaps is forbidden: User \"$RESTRICTED_USER\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"$ns\"" \
    "restricted user may not create a ConfigMap (403)"
  curl_api POST "/api/v1/namespaces/$ns/configmaps" "$RESTRICTED_TOKEN" '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"nope"}}'
  [ "$http" = 403 ] || fail "restricted POST: HTTP $http, expected 403"
  expect_json '[.code, .reason, .details.kind]' '[403,"Forbidden","configmaps"]' "the 403 body is a Forbidden Status"

  ka apply --server-side -f "$work/isvc.yaml"
  k restricted get inferenceservice sklearn-iris -o json
  expect_rc 0 "restricted get"
  expect_json '.metadata.namespace' "\"$ns\"" "restricted user may get an InferenceService in its namespace"
  k restricted patch inferenceservice sklearn-iris --type merge -p '{"spec":{"predictor":{"canaryTrafficPercent":25}}}'
  expect_rc 0 "restricted patch"
  ka get inferenceservice sklearn-iris -n "$ns" -o json
  expect_json '.spec.predictor.canaryTrafficPercent' '25' "restricted user may merge-patch it"
  k restricted get inferenceservices
  expect_rc 1 "restricted list"
  expect_err "cannot list resource \"inferenceservices\" in API group \"serving.kserve.io\" in the namespace \"$ns\"" \
    "restricted user may not list"
  k restricted delete inferenceservice sklearn-iris
  expect_rc 1 "restricted delete"
  expect_err "cannot delete resource \"inferenceservices\"" "restricted user may not delete"
  k restricted get inferenceservice sklearn-iris -n default
  expect_rc 1 "restricted get elsewhere"
  expect_err 'in the namespace "default"' "restricted user may not get in another namespace"
  k restricted auth can-i patch inferenceservices.serving.kserve.io
  [ "$(cat "$work/out")" = yes ] || fail "can-i patch said $(cat "$work/out")"
  ok "SelfSubjectAccessReview: the restricted user can patch InferenceServices"
}

# The upstream CRDs: all established (DIR/crds.tsv), served, and Seldon's base file refused as not structural.
case_crds() {
  local expected=19 got
  got="$(grep -c '^established' "$CLUSTER_STATE/crds.tsv")"
  [ "$got" = "$expected" ] && ! grep -q '^rejected' "$CLUSTER_STATE/crds.tsv" ||
    fail "crds.tsv: $got established, expected $expected: $(cat "$CLUSTER_STATE/crds.tsv")"
  ok "all $expected upstream CRDs are established"
  ka api-resources -o name
  local r
  for r in inferenceservices.serving.kserve.io servingruntimes.serving.kserve.io seldondeployments.machinelearning.seldon.io \
    rollouts.argoproj.io analysistemplates.argoproj.io applications.argoproj.io servicemonitors.monitoring.coreos.com \
    prometheusrules.monitoring.coreos.com virtualservices.networking.istio.io httproutes.gateway.networking.k8s.io; do
    grep -qx "$r" "$work/out" || fail "api-resources lacks $r"
  done
  ok "discovery lists the KServe, Seldon, Argo, prometheus-operator, Istio and Gateway API resources"
  ka get crd seldondeployments.machinelearning.seldon.io -o json
  expect_json '[.spec.versions[] | select(.storage) | .name, (.subresources | keys)]' '["v1",["scale","status"]]' \
    "SeldonDeployment stores v1 and has the status and scale subresources"
  k admin create --dry-run=server -f "$MLSERVE_SHARED_DIR/schemas/seldon/v1/machinelearning.seldon.io_seldondeployments.yaml"
  expect_rc 1 "the unpatched Seldon CRD"
  expect_err 'spec.validation.openAPIV3Schema.properties[spec].properties[predictors].items.properties[graph].properties[children].items.type: Required value: must not be empty for specified array items' \
    "the base Seldon CRD (without its kustomize patch) is refused: not a structural schema"
}

# Every rendered example must be accepted by the real server and the real CRDs (server-side dry run).
case_examples() {
  local f ns
  for f in "$repo"/examples/*/expected.yaml; do
    for ns in $(grep -h '^  namespace: ' "$f" | awk '{print $2}' | sort -u); do
      ensure_ns "$ns"
    done
    k admin apply --server-side --dry-run=server -f "$f"
    expect_rc 0 "server-side dry run of ${f#"$repo"/}"
    ok "the server accepts ${f#"$repo"/}"
  done
}

case "$case_name" in
  builtin | inferenceservice | watch | auth | crds | examples) "case_$case_name" ;;
  *) fail "unknown case; use builtin, inferenceservice, watch, auth, crds or examples" ;;
esac
echo "$checks passed, 0 failed"
