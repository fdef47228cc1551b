#!/usr/bin/env bash
# Wall time of `berth up -d` and `berth down` for stacks of N busybox `sleep` services with
# `init: true` (N = 10, 50, 100), each without a network (network_mode: none) and on the
# project's default bridge network (a namespace, a veth and an address per container), of `berth ps -a -q` and `berth ps -a` (the table) over 500
# containers, and berthd's idle RSS.
# Prints figures; asserts nothing. As root: bench/compose_bench.sh [BUILD_BIN_DIR]
# Runs a private berthd in its own network and mount namespaces, with its own roots.
BENCH_NAME=compose-bench
BENCH_PROJECTS=(bench)
source "$(dirname "$0")/lib.bash"

# stack N MODE: the compose file of N services; MODE "none" or "bridge" (the default network).
stack() {
    local n=$1 mode=$2 f=$tmp/stack-$1-$2.yaml i
    {
        echo "name: bench"
        echo "services:"
        for ((i = 1; i <= n; i++)); do
            printf '  s%d:\n    image: busybox\n    init: true\n' "$i"
            [[ $mode == none ]] && printf '    network_mode: none\n'
            printf '    command: ["sleep", "100000"]\n'
        done
    } >"$f"
    echo "$f"
}

for mode in none bridge; do
    for n in 10 50 100; do
        f=$(stack "$n" "$mode")
        now_us t0
        berth -f "$f" up -d
        now_us t1
        running=$(berth -f "$f" ps -q | wc -l)
        now_us t2
        berth -f "$f" down
        now_us t3
        printf 'network=%-6s services=%-4d up -d %6d ms   down %6d ms   (running after up: %d)\n' \
            "$mode" "$n" "$(ms "$t0" "$t1")" "$(ms "$t2" "$t3")" "$running"
    done
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
