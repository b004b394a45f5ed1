# What the benchmark scripts share; sourced by tests/bench/*/run.sh, which set $tmp before calling peak_rss.

# Debian's python3 (with python3-yaml from packaging/install-deps.sh) before whatever else is on PATH.
py=/usr/bin/python3
[ -x "$py" ] || py=python3

die() { echo "run.sh: $*" >&2; exit 2; }
note() { echo "== $*" >&2; }

# Peak resident set size in KiB of one run of a command (its exit status does not matter: a validator that finds
# errors exits non-zero).
peak_rss() { /usr/bin/time -f '%M' -o "$tmp/rss" "$@" >/dev/null 2>&1 || true; tail -n 1 "$tmp/rss"; }
