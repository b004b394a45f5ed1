#!/usr/bin/env bash
# The fault proxy binary (cmd/faultproxy) in front of the real API server, driven through its control API with
# curl, with the real kubectl as the client. Usage: test_faultproxy.sh STATE_DIR (a running cluster's).
# Each check asserts; the first failure ends the script with exit 1.
set -euo pipefail
state="${1:?usage: test_faultproxy.sh STATE_DIR}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${MLSERVE_TEST_CACHE:-$HOME/.cache/mlserve-test}"
[ -f "$state/ready" ] || { echo "FAIL: no running cluster in $state"; exit 1; }
# shellcheck disable=SC1091
. "$state/env"
KUBECTL="${KUBECTL:-/usr/bin/kubectl}"
work="$(mktemp -d "${TMPDIR:-/tmp}/mlserve-faultproxy.XXXXXX")"
proxy_pid=""
cleanup() {
  if [ -n "$proxy_pid" ]; then kill "$proxy_pid" 2>/dev/null || true; wait "$proxy_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
checks=0
fail() { echo "FAIL: $*" >&2; [ -f "$work/proxy.log" ] && tail -n 20 "$work/proxy.log" >&2; exit 1; }
ok() { checks=$((checks + 1)); echo "ok $checks - $*"; }

go=""
for g in "$(command -v go 2>/dev/null || true)" /usr/local/go/bin/go /usr/lib/go/bin/go; do
  if [ -n "$g" ] && [ -x "$g" ]; then go="$g"; break; fi
done
[ -n "$go" ] || fail "no Go toolchain"
(cd "$here" && env GOMODCACHE="$cache/gomod" GOCACHE="$cache/gocache" GOFLAGS=-buildvcs=false CGO_ENABLED=0 \
  "$go" build -o "$work/faultproxy" ./cmd/faultproxy) || fail "building cmd/faultproxy"

"$work/faultproxy" --kubeconfig "$KUBECONFIG_ADMIN" --kubeconfig-out "$work/kubeconfig" \
  --env-file "$work/proxy.env" >"$work/proxy.log" 2>&1 &
proxy_pid=$!
for _ in $(seq 1 100); do [ -s "$work/proxy.env" ] && break; sleep 0.1; done
[ -s "$work/proxy.env" ] || fail "the proxy did not start"
# shellcheck disable=SC1091
. "$work/proxy.env"
grep -q "^faultproxy ready https://127.0.0.1:[0-9]* control http://127.0.0.1:[0-9]*$" "$work/proxy.log" ||
  fail "ready line: $(cat "$work/proxy.log")"
ok "proxy listening on $FAULTPROXY_URL, control on $FAULTPROXY_CONTROL"

kc() { set +e; KUBECACHEDIR="$work/cache-$RANDOM" "$KUBECTL" --kubeconfig "$work/kubeconfig" --request-timeout=20s "$@" \
  >"$work/out" 2>"$work/err"; rc=$?; set -e; }
put_schedule() {
  local code
  code="$(curl -sS -o "$work/ctl" -w '%{http_code}' -X PUT --data-binary "$1" "$FAULTPROXY_CONTROL/schedule")"
  [ "$code" = "${2:-204}" ] || fail "PUT /schedule gave $code: $(cat "$work/ctl")"
  curl -sS -X DELETE "$FAULTPROXY_CONTROL/log" >/dev/null
}
codes() { curl -sS "$FAULTPROXY_CONTROL/log" | jq -c --arg p "$1" '[.[] | select(.path == $p) | .code]'; }

kc get namespace default -o name
[ "$rc" -eq 0 ] && [ "$(cat "$work/out")" = "namespace/default" ] || fail "plain kubectl through the proxy: $(cat "$work/err")"
ok "kubectl through the proxy (TLS with the proxy's CA, the admin token passed through)"

put_schedule '{"rules":[{"method":"GET","path":"^/api/v1/namespaces/default$","from":1,"to":2,"fault":"status","code":429,"retryAfter":1}]}'
kc get namespace default -o name
[ "$rc" -eq 0 ] || fail "kubectl after two 429s: $(cat "$work/err")"
[ "$(codes /api/v1/namespaces/default)" = "[429,429,200]" ] || fail "log: $(codes /api/v1/namespaces/default)"
ok "kubectl recovers after 429 with Retry-After (proxy log 429,429,200)"

put_schedule '{"rules":[{"method":"GET","path":"^/api/v1/namespaces/default$","to":-1,"fault":"status","code":500}]}'
kc get namespace default
[ "$rc" -eq 1 ] || fail "kubectl on a 500 exited $rc"
grep -qF "Error from server (InternalError): Internal error occurred: injected by the fault proxy" "$work/err" ||
  fail "stderr: $(cat "$work/err")"
[ "$(codes /api/v1/namespaces/default)" = "[500]" ] || fail "log: $(codes /api/v1/namespaces/default)"
ok "a 500 surfaces as kubectl's 'Error from server (InternalError)' and is not retried"

put_schedule '{"rules":[{"path":"x","fault":"explode"}]}' 400
grep -qF 'schedule: rules[0]: unknown fault "explode" (status, reset, stall, truncate)' "$work/ctl" || fail "$(cat "$work/ctl")"
ok "a bad schedule is refused with the rule and the reason"

kill "$proxy_pid"; wait "$proxy_pid" 2>/dev/null || true; proxy_pid=""
ok "proxy stopped"
echo "all $checks checks passed"
