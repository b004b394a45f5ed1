#!/usr/bin/env bash
# Installs what building and testing kubectl-mlserve needs, from Debian's packages only.
# Safe to run again: it installs only what is missing. Needs root (or sudo).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config ccache
  libyaml-cpp-dev nlohmann-json3-dev libcli11-dev doctest-dev libcurl4-openssl-dev libgit2-dev
  clang libclang-rt-14-dev            # libFuzzer targets and sanitizer runtimes
  python3 python3-jsonschema python3-yaml  # the independent schema checker in the tests
  time hyperfine unzip                # tests/bench/render/run.sh: peak RSS, timings, helm from its npm layer.zip
  curl jq util-linux                  # tests/harness: raw API calls and JSON checks in the cluster tests; flock, setsid
)
# The cluster tests drive the real kubectl; the machine has one (v1.32 dispatcher), else Debian's.
command -v kubectl >/dev/null 2>&1 || packages+=(kubernetes-client)
# tests/harness builds the official kube-apiserver with Go (go.mod: go 1.26); the machine has it in /usr/local/go.
# Debian's golang-go is only a fallback: where it is older than go.mod asks for, the go command fetches the
# toolchain go.mod names from the Go module proxy (GOTOOLCHAIN=auto).
if ! command -v go >/dev/null 2>&1 && [ ! -x /usr/local/go/bin/go ]; then packages+=(golang-go); fi
# json-e's reference implementation (the benchmark peer) runs on Node.js; use the machine's if it has one.
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  echo "installing: ${missing[*]}" >&2
  "${sudo_cmd[@]}" apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi
