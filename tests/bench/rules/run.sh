#!/usr/bin/env bash
# Rules benchmark (see bench_rules.cpp): builds mlserve_lib in Release and times check_rules over N manifests,
# with every copy of the examples in its own namespace, then all in one namespace.
#
#   tests/bench/rules/run.sh            N=10000 RUNS=5 tests/bench/rules/run.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
build=${BUILD_DIR:-$repo/build-bench}
cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMLSERVE_TESTS=OFF >/dev/null
ninja -C "$build" mlserve_lib >/dev/null
"${CXX:-g++}" -O2 -std=c++20 -I"$repo/lib" "$here/bench_rules.cpp" "$build/lib/libmlserve_lib.a" \
    "$build/lib/libmlserve_core.a" -lyaml-cpp -o "$build/bench_rules"
"$build/bench_rules" "$repo/examples" "${N:-10000}" "${RUNS:-5}"
SAME_NAMESPACE=1 "$build/bench_rules" "$repo/examples" "${N:-10000}" "${RUNS:-5}"
