#!/usr/bin/env bash
# Wall time of `berth stop` and `berth down` of 10-service stacks whose services trap SIGTERM and
# exit promptly (busybox sh runs a trap only between commands, hence the 0.1 s sleeps): ten
# independent services, and a chain of ten (each depends_on the one before, so the stop goes
# level by level, dependents first). With every stop in parallel and no needless waiting, the
# independent stack stops in about one trap latency plus a berth-ctr round trip, and the chain in
# ten of them. Prints figures; asserts nothing. As root: bench/stop_bench.sh [BUILD_BIN_DIR]
# Runs a private berthd in its own network and mount namespaces, with its own roots.
BENCH_NAME=stop-bench
BENCH_PROJECTS=(flat chain)
source "$(dirname "$0")/lib.bash"

# stack NAME CHAIN: ten services trapping SIGTERM; CHAIN=1 makes each depend on the one before.
stack() {
    local name=$1 chain=$2 f=$tmp/$1.yaml i
    {
        echo "name: $name"
        echo "services:"
        for ((i = 1; i <= 10; i++)); do
            printf '  s%d:\n    image: busybox\n    network_mode: none\n' "$i"
            printf '    command: ["sh", "-c", "trap \\"exit 0\\" TERM; while true; do sleep 0.1; done"]\n'
            ((chain && i > 1)) && printf '    depends_on: [s%d]\n' $((i - 1))
        done
    } >"$f"
    echo "$f"
}

for kind in flat chain; do
    f=$(stack "$kind" $([[ $kind == chain ]] && echo 1 || echo 0))
    berth -f "$f" up -d
    now_us t0
    berth -f "$f" stop
    now_us t1
    left=$(berth -f "$f" ps -q | wc -l)
    berth -f "$f" start
    now_us t2
    berth -f "$f" down
    now_us t3
    printf '%-5s 10 services trapping SIGTERM: stop %5d ms   down %5d ms   (running after stop: %d)\n' \
        "$kind" "$(ms "$t0" "$t1")" "$(ms "$t2" "$t3")" "$left"
done
