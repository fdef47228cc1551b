#!/usr/bin/env bash
# Wall time of `berth up -d` and `berth down` for stacks of N busybox `sleep` services with
# `init: true` (N = 10, 50, 100), of `berth ps -a` over 500 containers, and berthd's idle RSS.
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

now_ms() { echo $(($(date +%s%N) / 1000000)); }

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
    t0=$(now_ms)
    berth -f "$f" up -d
    t1=$(now_ms)
    running=$(berth -f "$f" ps -q | wc -l)
    t2=$(now_ms)
    berth -f "$f" down
    t3=$(now_ms)
    printf 'services=%-4d up -d %6d ms   down %6d ms   (running after up: %d)\n' \
        "$n" $((t1 - t0)) $((t3 - t2)) "$running"
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
times=()
for _ in 1 2 3 4 5; do
    t0=$(now_ms)
    count=$(berth -f "$tmp/wide.yaml" ps -a -q | wc -l)
    times+=($(($(now_ms) - t0)))
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n | tr '\n' ' ')
printf 'ps -a over %d containers: median %d ms (runs: %s)\n' "$count" \
    "$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)" "$sorted"
berth -f "$tmp/wide.yaml" down

rss=$(awk '/VmRSS/ {print $2}' "/proc/$daemon_pid/status")
printf 'berthd idle RSS: %d KiB\n' "$rss"
