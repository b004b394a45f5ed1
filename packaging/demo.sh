#!/usr/bin/env bash
# `make demo`: renders every examples/*/model.yaml offline, prints the manifests of one example (fraud-detection)
# on stdout, validates every example (the spec and what it renders) with `kubectl mlserve validate --strict`
# against the real upstream schemas, and prints one summary line per example on stderr. Exits 1 if any example
# fails to render or to validate without errors.
#
# The schemas are the CRDs and Kubernetes OpenAPI v3 documents of the shared dir ($MLSERVE_SHARED_DIR, default
# ../shared next to the repository). The independent Python checker (tests/schema/check_manifests.py) stays the
# tests' oracle (ctest -L schema); the demo uses our own verb.
#
# usage: packaging/demo.sh path/to/kubectl-mlserve
set -uo pipefail

bin=${1:?usage: packaging/demo.sh path/to/kubectl-mlserve}
root=$(cd "$(dirname "$0")/.." && pwd)
showcase=fraud-detection
export MLSERVE_SHARED_DIR=${MLSERVE_SHARED_DIR:-$root/../shared}
schemas=$MLSERVE_SHARED_DIR/schemas
schema_flags=(--schema-location "$schemas/kubernetes/openapi-v3/1.35")
for dir in kserve/crd seldon/v1 argo-rollouts prometheus-operator istio argo-cd gateway-api; do
    schema_flags+=(--schema-location "$schemas/$dir")
done

[ -x "$bin" ] || { echo "demo: no kubectl-mlserve at $bin" >&2; exit 2; }
[ -d "$MLSERVE_SHARED_DIR/schemas" ] || {
    echo "demo: no schemas in $MLSERVE_SHARED_DIR (set MLSERVE_SHARED_DIR to the shared/ folder)" >&2
    exit 2
}
shopt -s nullglob
specs=("$root"/examples/*/model.yaml)
((${#specs[@]})) || { echo "demo: no examples/*/model.yaml" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mlserve-demo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

failures=0
summary=()
for spec in "${specs[@]}"; do
    example=$(basename "$(dirname "$spec")")
    out=$tmp/$example.yaml
    if ! "$bin" render -f "$spec" >"$out" 2>"$tmp/$example.err"; then
        summary+=("$(printf 'FAIL  %-18s render failed: %s' "$example" "$(head -n 3 "$tmp/$example.err" | tr '\n' ' ')")")
        failures=$((failures + 1))
        continue
    fi
    kinds=$(sed -n 's/^kind: //p' "$out" | sort | uniq -c | awk '{printf "%s%s%s", sep, $2, ($1 > 1 ? "×" $1 : ""); sep=", "}')
    objects=$(grep -c '^kind: ' "$out")
    if "$bin" validate --strict "${schema_flags[@]}" -f "$spec" >"$tmp/$example.report" 2>&1; then
        summary+=("$(printf 'ok    %-18s %2d object(s), validate: %s; %s' "$example" "$objects" \
            "$(tail -n 1 "$tmp/$example.report")" "$kinds")")
    else
        summary+=("$(printf 'FAIL  %-18s %2d object(s), validate failed:' "$example" "$objects")")
        while IFS= read -r line; do summary+=("        $line"); done <"$tmp/$example.report"
        failures=$((failures + 1))
    fi
done

if [ -s "$tmp/$showcase.yaml" ]; then
    echo "# kubectl mlserve render -f examples/$showcase/model.yaml" >&2
    cat "$tmp/$showcase.yaml"
fi
echo >&2
printf '%s\n' "${summary[@]}" >&2
echo "${#specs[@]} examples, $failures failed" >&2
((failures == 0))
