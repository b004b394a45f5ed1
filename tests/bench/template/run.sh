#!/usr/bin/env bash
# Template engine benchmark: compile tests/bench/template/inferenceservice.yaml once and evaluate it for
# CONTEXTS generated contexts, with our engine and with json-e's reference implementation (the `json-e`
# npm package, installed under ~/.cache/mlserve-test/npm), RUNS times each. Prints the median
# evaluations per second of both and the ratio, after checking that both rendered the same documents.
# Not a test: it never fails on time.
#
#   tests/bench/template/run.sh            CONTEXTS=20000 RUNS=3 tests/bench/template/run.sh
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
build=${BUILD_DIR:-$repo/build-bench}
cache=${MLSERVE_TEST_CACHE:-$HOME/.cache/mlserve-test}
contexts=${CONTEXTS:-100000}
runs=${RUNS:-5}
jsone_version=4.8.4

echo "building the engine (Release) in $build" >&2
cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMLSERVE_TESTS=OFF >/dev/null
ninja -C "$build" mlserve_lib >/dev/null
"${CXX:-g++}" -O2 -std=c++20 -I"$repo/lib" "$here/bench_template.cpp" "$build/lib/libmlserve_lib.a" -lyaml-cpp \
    -o "$build/bench_template"

npm_prefix="$cache/npm"
installed=$(node -p "try { require('$npm_prefix/node_modules/json-e/package.json').version } catch (e) { '' }")
if [ "$installed" != "$jsone_version" ]; then
    echo "installing json-e $jsone_version into $npm_prefix" >&2
    mkdir -p "$npm_prefix"
    npm install --prefix "$npm_prefix" --no-audit --no-fund "json-e@$jsone_version" >&2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$here" "$work" <<'PY'
import json, sys, yaml
here, work = sys.argv[1], sys.argv[2]
for name in ("inferenceservice", "context"):
    with open(f"{here}/{name}.yaml") as f, open(f"{work}/{name}.json", "w") as out:
        json.dump(yaml.safe_load(f), out)
PY

ours=$("$build/bench_template" "$here/inferenceservice.yaml" "$here/context.yaml" --contexts "$contexts" --runs "$runs" \
    --sample "$work/ours.json")
echo "$ours"
theirs=$(node "$here/bench_jsone.js" "$npm_prefix/node_modules/json-e" "$work/inferenceservice.json" "$work/context.json" \
    "$contexts" "$runs" "$work/theirs.json")
echo "$theirs"

python3 - "$work" "$ours" "$theirs" <<'PY'
import json, re, sys
work, ours, theirs = sys.argv[1:]
a, b = (json.load(open(f"{work}/{n}.json")) for n in ("ours", "theirs"))
if a != b:
    sys.exit("the engines rendered different documents for the same contexts")
median = lambda line: float(re.search(r"median (\d+)", line).group(1))
print(f"same documents for the first {len(a)} contexts; ratio: {median(ours) / median(theirs):.1f}x")
PY
