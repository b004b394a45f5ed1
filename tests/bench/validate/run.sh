#!/usr/bin/env bash
# Validate benchmark: `kubectl mlserve validate` against kubeconform, side by side in the same run on the same
# machine, both pointed at the same schemas, both strict (unknown fields are errors). Prints figures; never passes
# or fails on time.
#
#   (a) one file: examples/fraud-detection/expected.yaml (6 objects: KServe, HPA, Services, NetworkPolicy,
#       ServiceMonitor, PrometheusRule), process start included; medians of many runs (hyperfine).
#   (b) 10,000 manifests (gen_manifests.py: the examples' objects cycled and renamed, 100 files of 100 documents,
#       one object in 500 broken), one process each; medians of several runs.
#   (c) peak RSS of both, for (a) and (b) (/usr/bin/time -f %M).
# Before timing, the verdicts are compared: per file and kind, both tools must find the same number of invalid
# objects, and check the same number of objects.
#
# kubeconform only checks schemas, so ours is timed twice: schema checks only (--disable semantic,policy: the same
# work) and with every rule (what `validate` does by default).
#
# usage: tests/bench/validate/run.sh [KUBECTL_MLSERVE]     (default: build/cli/kubectl-mlserve)
# env:   BENCH_MANIFESTS (10000)  BENCH_RUNS (one file: 100)  BENCH_MANY_RUNS (10,000 manifests: 5)
# kubeconform v0.8.0 comes from the Go module proxy (go install), installed under ~/.cache/mlserve-test/, never into
# the repository. Its schemas are the shared ones converted by to_kubeconform.py into a temp dir.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
bin=$(realpath "${1:-$root/build/cli/kubectl-mlserve}")
shared=${MLSERVE_SHARED_DIR:-$root/../shared}
one=$root/examples/fraud-detection/expected.yaml
cache=$HOME/.cache/mlserve-test
kubeconform_version=v0.8.0
kubeconform=$cache/kubeconform-$kubeconform_version/kubeconform
count=${BENCH_MANIFESTS:-10000}
runs=${BENCH_RUNS:-100}
many_runs=${BENCH_MANY_RUNS:-5}
kube_version=1.35
. "$root/tests/bench/common.sh"

[ -x "$bin" ] || die "no kubectl-mlserve at $bin (build it first: ninja -C build)"
[ -d "$shared/schemas" ] || die "no schemas in $shared (set MLSERVE_SHARED_DIR)"
if ! [ -x /usr/bin/time ] || ! command -v hyperfine >/dev/null; then
    bash "$root/packaging/install-deps.sh"
fi
if ! [ -x "$kubeconform" ]; then
    note "installing kubeconform $kubeconform_version with go install into $(dirname "$kubeconform")"
    command -v go >/dev/null || die "kubeconform needs Go to install (go install github.com/yannh/kubeconform)"
    GOBIN=$(dirname "$kubeconform") go install "github.com/yannh/kubeconform/cmd/kubeconform@$kubeconform_version" >&2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mlserve-bench-validate.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

note "converting the shared schemas (Kubernetes $kube_version, CRDs) for kubeconform"
# the same files for both: Kubernetes' OpenAPI documents and the CRDs, linked into one folder for ours
mkdir -p "$tmp/ours"
while IFS= read -r file; do
    case $file in
    *.json) ;;
    *) grep -q '^kind: CustomResourceDefinition' "$file" || continue ;;
    esac
    ln -s "$file" "$tmp/ours/$(echo "${file#"$shared/schemas/"}" | tr / _)"
done < <("$py" "$here/to_kubeconform.py" "$shared" "$kube_version" "$tmp/kc")
ours_schemas=(--schema-location "$tmp/ours")
kc=("$kubeconform" -strict -summary -schema-location "$tmp/kc/{{.ResourceKind}}_{{.Group}}_{{.ResourceAPIVersion}}.json")
# hyperfine -N splits its command lines at spaces: none of the paths or the template above may hold one
ours=("$bin" validate --strict "${ours_schemas[@]}")
ours_schema_only=("${ours[@]}" --disable semantic,policy)

note "generating $count manifests"
"$py" "$here/gen_manifests.py" "$root/examples" "$tmp/many" "$count" 100 >"$tmp/generated"
read -r _ broken <"$tmp/generated"

note "same verdicts? ours (schema rules) vs kubeconform"
verdicts() { # $1: input; prints the comparison, one line
    local input=$1
    "${ours_schema_only[@]}" -o json -f "$input" >"$tmp/ours.json" || true
    "${kc[@]}" -output json -verbose "$input" >"$tmp/kc.json" || true
    "$py" "$here/compare_verdicts.py" "$tmp/ours.json" "$tmp/kc.json"
}
same_one=$(verdicts "$one")
same_many=$(verdicts "$tmp/many")
echo "one file: $same_one" >&2
echo "$count manifests ($broken broken): $same_many" >&2

note "(a) one file, $runs runs each"
"${kc[@]}" "$one" >/dev/null || die "kubeconform failed on $one"
hyperfine -N --style basic --warmup 5 --runs "$runs" -i --export-json "$tmp/a.json" \
    "${ours_schema_only[*]} -f $one" "${ours[*]} -f $one" "${kc[*]} $one" >&2
note "(b) $count manifests, $many_runs runs each"
hyperfine -N --style basic --warmup 1 --runs "$many_runs" -i --export-json "$tmp/b.json" \
    "${ours_schema_only[*]} -f $tmp/many" "${ours[*]} -f $tmp/many" "${kc[*]} $tmp/many" >&2

note "(c) peak memory"
rss=(
    "$(peak_rss "${ours_schema_only[@]}" -f "$one")" "$(peak_rss "${ours[@]}" -f "$one")" "$(peak_rss "${kc[@]}" "$one")"
    "$(peak_rss "${ours_schema_only[@]}" -f "$tmp/many")" "$(peak_rss "${ours[@]}" -f "$tmp/many")"
    "$(peak_rss "${kc[@]}" "$tmp/many")"
)

"$py" - "$tmp" "$count" "$same_one" "$same_many" "${rss[@]}" <<'PY'
import json, os, sys
tmp, count, same_one, same_many = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rss = [int(x) / 1024 for x in sys.argv[5:11]]
def results(name, key):
    with open(f"{tmp}/{name}.json") as f:
        rs = json.load(f)["results"]
    return [r["median"] if key == "median" else r["user"] + r["system"] for r in rs]
a, b = results("a", "median"), results("b", "median")
ac, bc = results("a", "cpu"), results("b", "cpu")
ms = lambda s: f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"
ratio = lambda x, i: f"{x[2] / x[i]:.1f}x"
rows = [
    ("(a) one file, median wall", ms(a[0]), ms(a[1]), ms(a[2]), ratio(a, 0), ratio(a, 1)),
    ("(a) one file, mean cpu (user+sys)", ms(ac[0]), ms(ac[1]), ms(ac[2]), ratio(ac, 0), ratio(ac, 1)),
    (f"(b) {count} manifests, median wall", ms(b[0]), ms(b[1]), ms(b[2]), ratio(b, 0), ratio(b, 1)),
    (f"(b) {count} manifests, mean cpu", ms(bc[0]), ms(bc[1]), ms(bc[2]), ratio(bc, 0), ratio(bc, 1)),
    ("(c) peak RSS, one file", f"{rss[0]:.1f} MB", f"{rss[1]:.1f} MB", f"{rss[2]:.1f} MB", f"{rss[2] / rss[0]:.1f}x",
     f"{rss[2] / rss[1]:.1f}x"),
    (f"(c) peak RSS, {count} manifests", f"{rss[3]:.1f} MB", f"{rss[4]:.1f} MB", f"{rss[5]:.1f} MB",
     f"{rss[5] / rss[3]:.1f}x", f"{rss[5] / rss[4]:.1f}x"),
]
head = ("measure", "ours (schemas)", "ours (all rules)", "kubeconform", "kc/ours schemas", "kc/ours all")
widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
line = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()
print(line(head))
print("  ".join("-" * w for w in widths))
for r in rows:
    print(line(r))
print()
print(f"verdicts, one file: {same_one}")
print(f"verdicts, {count} manifests: {same_many}")
print("target: >= 3x faster than kubeconform in (a) and (b)")
with open("/proc/loadavg") as f:
    print(f"load average while measuring: {' '.join(f.read().split()[:3])} on {os.cpu_count()} CPUs")
PY
