#!/usr/bin/env bash
# Wall time of `berth up -d` and `berth down` for stacks of N busybox `sleep` services with
# `init: true` (N = 10, 50, 100), of `berth ps -a -q` and `berth ps -a` (the table) over 500
# containers, and berthd's idle RSS.
# Prints figures; asserts nothing. As root: bench/compose_bench.sh [BUILD_BIN_DIR]
# Runs a private berthd in its own network and mount namespaces, with its own roots.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
bin=$(realpath -e "${1:-$here/build/bin}")
if ((EUID != 0)); then
    echo "compose_bench: needs root (namespaces, mounts, cgroups)" >&2
    exit 1
fi
if [[ -z ${BERTH_BENCH_INNER:-} ]]; then
    BERTH_BENCH_INNER=1 exec unshare --net --mount --fork "$0" "$bin"
fi
mount --make-rprivate /
ip link set lo up

tmp=$(mktemp -d /tmp/berth-bench-XXXXXX)
daemon_pid=
cleanup() {
    if [[ -n $daemon_pid ]]; then
        "$bin/berth" -H "unix://$tmp/run/berth.sock" down -p bench >/dev/null 2>&1 || true
        kill "$daemon_pid" 2>/dev/null || true
        wait "$daemon_pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

mkdir -p "$tmp/data" "$tmp/run"
cat >"$tmp/daemon.json" <<JSON
{"data-root": "$tmp/data", "exec-root": "$tmp/run", "hosts": ["unix://$tmp/run/berth.sock"]}
JSON
"$here/scripts/make-busybox-image" --berth "$bin/berth" --data-root "$tmp/data" >/dev/null
"$bin/berthd" --config-file "$tmp/daemon.json" 2>"$tmp/berthd.log" &
daemon_pid=$!
berth() { "$bin/berth" -H "unix://$tmp/run/berth.sock" --progress quiet "$@"; }
for _ in $(seq 100); do
    berth ls >/dev/null 2>&1 && break
    sleep 0.1
done

# Microseconds from bash's own clock: $(date ...) would add a fork and an exec, tens of ms on this
# machine, to every figure.
now_us() { printf -v "$1" '%s' "${EPOCHREALTIME/./}"; }
ms() { echo $((($2 - $1) / 1000)); }

stack() {
    local n=$1 f=$tmp/stack-$1.yaml i
    {
        echo "name: bench"
        echo "services:"
        for ((i = 1; i <= n; i++)); do
            printf '  s%d:\n    image: busybox\n    network_mode: none\n    init: true\n' "$i"
            printf '    command: ["sleep", "100000"]\n'
        done
    } >"$f"
    echo "$f"
}

for n in 10 50 100; do
    f=$(stack "$n")
    now_us t0
    berth -f "$f" up -d
    now_us t1
    running=$(berth -f "$f" ps -q | wc -l)
    now_us t2
    berth -f "$f" down
    now_us t3
    printf 'services=%-4d up -d %6d ms   down %6d ms   (running after up: %d)\n' \
        "$n" "$(ms "$t0" "$t1")" "$(ms "$t2" "$t3")" "$running"
done

# ps over 500 containers: one service scaled to 500, created but not started.
cat >"$tmp/wide.yaml" <<YAML
name: bench
services:
  w:
    image: busybox
    network_mode: none
    scale: 500
    command: ["true"]
YAML
berth -f "$tmp/wide.yaml" create
# median_ps LABEL ARGS...: five timed runs of `berth ps ARGS` over the wide stack, their median.
median_ps() {
    local label=$1 t0 t1 times=() count
    shift
    for _ in 1 2 3 4 5; do
        now_us t0
        berth -f "$tmp/wide.yaml" ps "$@" >"$tmp/ps.out"
        now_us t1
        times+=("$(ms "$t0" "$t1")")
    done
    count=$(($(wc -l <"$tmp/ps.out") - ${ps_header:-0}))
    printf '%-10s over %d containers: median %d ms (runs: %s)\n' "$label" "$count" \
        "$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)" \
        "$(printf '%s\n' "${times[@]}" | sort -n | tr '\n' ' ')"
}
median_ps "ps -a -q" -a -q
ps_header=1 median_ps "ps -a" -a
berth -f "$tmp/wide.yaml" down

rss=$(awk '/VmRSS/ {print $2}' "/proc/$daemon_pid/status")
printf 'berthd idle RSS: %d KiB\n' "$rss"
