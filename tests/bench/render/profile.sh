#!/usr/bin/env bash
# Where the time of one `kubectl mlserve render -f examples/fraud-detection/model.yaml` goes: process start
# against work, CPU time and page faults (perf stat), the dynamic loader (LD_DEBUG=statistics) and, with
# valgrind, instructions per phase (callgrind). Prints figures; never passes or fails.
#
# usage: tests/bench/render/profile.sh [KUBECTL_MLSERVE]     (default: build/cli/kubectl-mlserve)
# env:   PROFILE_RUNS (perf stat repetitions, 200)
set -euo pipefail

root=$(cd "$(dirname "$0")/../../.." && pwd)
bin=$(realpath "${1:-$root/build/cli/kubectl-mlserve}")
spec=$root/examples/fraud-detection/model.yaml
runs=${PROFILE_RUNS:-200}
[ -x "$bin" ] || { echo "profile.sh: no kubectl-mlserve at $bin" >&2; exit 2; }

echo "binary: $bin ($(stat -c %s "$bin") bytes; shared libraries: $(ldd "$bin" 2>/dev/null | grep -c '=>' || true))"
ldd "$bin" 2>&1 | sed 's/^[[:space:]]*/  /' || true # a static build (MLSERVE_STATIC_LIBC) has none
if command -v perf >/dev/null && perf stat -r 1 true >/dev/null 2>&1; then
    echo
    echo "perf stat, $runs runs each: CPU time (task-clock), page faults, wall time"
    for cmd in "/bin/true" "$bin version" "$bin render -f $spec"; do
        label=${cmd//$bin/kubectl-mlserve}
        perf stat -r "$runs" $cmd 2>&1 >/dev/null |
            awk -v c="${label//$root\//}" '/task-clock/ {cpu=$1} /page-faults/ {pf=$1} /elapsed/ {wall=$1 * 1000}
                             END {printf "  %-62s cpu %6.2f ms  faults %5d  wall %6.2f ms\n", c, cpu, pf, wall}'
    done
fi
echo
echo "dynamic loader (LD_DEBUG=statistics):"
LD_DEBUG=statistics "$bin" render -f "$spec" 2>&1 >/dev/null | grep -E 'total startup time|relocation:|number of relocations:' |
    sed 's/^ *[0-9]*: */  /' || echo "  none: the binary is statically linked" 
if command -v valgrind >/dev/null && command -v callgrind_annotate >/dev/null; then
    out=$(mktemp "${TMPDIR:-/tmp}/mlserve-callgrind.XXXXXX")
    trap 'rm -f "$out" "$out.txt"' EXIT
    valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" render -f "$spec" >/dev/null 2>&1
    callgrind_annotate --inclusive=yes "$out" 2>/dev/null | grep -v "'" >"$out.txt"
    total=$(awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1; exit}' "$out.txt")
    echo
    echo "instructions per phase (callgrind, inclusive; phases nest): total $total"
    phase() {
        local n
        n=$(grep -F "$2" "$out.txt" | head -1 | awk '{gsub(",", "", $1); print $1}')
        [ -n "$n" ] && awk -v l="$1" -v n="$n" -v t="$total" 'BEGIN {printf "  %-62s %11d  %5.1f%%\n", l, n, 100 * n / t}'
    }
    if ! phase "before main (dynamic loader, static initialisers)" "_dl_start "; then
        main=$(grep -F "???:main " "$out.txt" | head -1 | awk '{gsub(",", "", $1); print $1}')
        awk -v l="before main (static initialisers; no dynamic loader)" -v n="$((total - main))" -v t="$total" \
            'BEGIN {printf "  %-62s %11d  %5.1f%%\n", l, n, 100 * n / t}'
    fi
    phase "main" "???:main "
    phase "  read and parse the spec (yaml-cpp)" "core::load_yaml_file"
    phase "  load and check the spec" "spec::load_spec("
    phase "  set up the templates (unpack, compile guards and unguarded)" "compile_all("
    phase "  compile_template: all compiles (set up + those that apply)" "tmpl::compile_template("
    phase "  evaluate the templates (compiling the branches taken)" "tmpl::evaluate("
    phase "    of which: compile \$if branches (compile_deferred)" "tmpl::compile_deferred("
    phase "  build the context" "render::build_context"
    phase "  write YAML" "ObjectWriter::write("
fi
