#!/usr/bin/env bash
# `make demo`: renders every examples/*/model.yaml offline, prints the manifests of one example (fraud-detection)
# on stdout, checks every example's manifests against the real upstream schemas, and prints one summary line per
# example on stderr. Exits 1 if any example fails to render or to pass the check.
#
# The check is the independent checker tests/schema/check_manifests.py (Debian's python3-jsonschema) until the
# `validate` verb exists; it reads the CRDs and Kubernetes OpenAPI documents from the shared dir
# ($MLSERVE_SHARED_DIR, default ../shared next to the repository).
#
# usage: packaging/demo.sh path/to/kubectl-mlserve
set -uo pipefail

bin=${1:?usage: packaging/demo.sh path/to/kubectl-mlserve}
root=$(cd "$(dirname "$0")/.." && pwd)
showcase=fraud-detection
export MLSERVE_SHARED_DIR=${MLSERVE_SHARED_DIR:-$root/../shared}
checker=$root/tests/schema/check_manifests.py
py=/usr/bin/python3
[ -x "$py" ] || py=python3

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
    if "$py" "$checker" -q "$out" >"$tmp/$example.problems" 2>&1; then
        summary+=("$(printf 'ok    %-18s %2d object(s), schema check passed: %s' "$example" "$objects" "$kinds")")
    else
        summary+=("$(printf 'FAIL  %-18s %2d object(s), schema check failed:' "$example" "$objects")")
        while IFS= read -r line; do summary+=("        ${line#"$out": }"); done <"$tmp/$example.problems"
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
