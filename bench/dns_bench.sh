#!/usr/bin/env bash
# The resolver's server against dnsmasq, side by side: the same N names, the same dnsperf load
# (UDP, A queries for every name in turn) for a fixed time each, one after the other so they do not
# share the CPU. Prints queries per second and latency percentiles for both.
#
# As root (it works in a network namespace of its own):
#   bench/dns_bench.sh [BUILD_BIN_DIR] [--names N] [--seconds S] [--clients C]
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
bin=$here/build/bin
if [[ ${1:-} != --* && -n ${1:-} ]]; then
    bin=$1
    shift
fi
bin=$(realpath -e "$bin")
names=10000 seconds=10 clients=4
while (($#)); do
    case $1 in
        --names) names=$2 ;;
        --seconds) seconds=$2 ;;
        --clients) clients=$2 ;;
        *)
            echo "dns_bench: unknown option $1" >&2
            exit 2
            ;;
    esac
    shift 2
done

if ((EUID != 0)); then
    echo "dns_bench: needs root (a network namespace)" >&2
    exit 1
fi
for tool in dnsperf dnsmasq; do
    command -v "$tool" >/dev/null || {
        echo "dns_bench: $tool is missing (scripts/setup installs it)" >&2
        exit 1
    }
done
if [[ -z ${BERTH_BENCH_INNER:-} ]]; then
    BERTH_BENCH_INNER=1 exec unshare --net --fork "$0" "$bin" --names "$names" \
        --seconds "$seconds" --clients "$clients"
fi

# 10.88.0.0/16 on lo makes every address in it local: the server, dnsmasq and the client
# container (10.88.0.2, the only source berth's resolver answers here) all live on it.
ip link set lo up
ip addr add 10.88.0.1/16 dev lo

tmp=$(mktemp -d /tmp/berth-dns-bench-XXXXXX)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    [[ -n ${BENCH_KEEP:-} ]] || rm -rf "$tmp"
}
trap cleanup EXIT

"$bin/bench_dns_serve" --listen 10.88.0.1 --port 53 --client 10.88.0.2 --names "$names" \
    --hosts "$tmp/hosts" >"$tmp/serve.log" 2>&1 &
pids+=($!)
dnsmasq --keep-in-foreground --no-resolv --no-hosts --addn-hosts="$tmp/hosts" \
    --listen-address=10.88.0.1 --bind-interfaces --port=5301 --user=root \
    --pid-file="$tmp/dnsmasq.pid" --log-facility="$tmp/dnsmasq.log" &
pids+=($!)

for _ in $(seq 100); do
    grep -q serving "$tmp/serve.log" 2>/dev/null && break
    sleep 0.1
done
grep -q serving "$tmp/serve.log" || {
    cat "$tmp/serve.log" >&2
    exit 1
}
for i in $(seq 0 $((names - 1))); do echo "c$i A"; done >"$tmp/queries"

# dnsperf -v prints one line per answered query ending with its latency in seconds.
run() {
    local label=$1 port=$2 rate=${3:-}
    for _ in $(seq 100); do
        dnsperf -s 10.88.0.1 -p "$port" -a 10.88.0.2 -d "$tmp/queries" -n 1 -c 1 \
            >"$tmp/probe" 2>&1 && grep -q "Queries completed: *[1-9]" "$tmp/probe" && break
        sleep 0.1
    done
    dnsperf -s 10.88.0.1 -p "$port" -a 10.88.0.2 -d "$tmp/queries" -l "$seconds" -c "$clients" \
        ${rate:+-Q "$rate"} -v >"$tmp/$label.out" 2>&1
    local qps lost
    qps=$(awk '/Queries per second:/ {print $4}' "$tmp/$label.out")
    lost=$(awk '/Queries lost:/ {print $3}' "$tmp/$label.out")
    awk '$1 == ">" && $2 == "NOERROR" {print $NF * 1e6}' "$tmp/$label.out" | sort -n >"$tmp/$label.lat"
    local n
    n=$(wc -l <"$tmp/$label.lat")
    pct() { sed -n "$((($1 * n + 99) / 100))p" "$tmp/$label.lat" | cut -d. -f1; }
    printf '%-8s %10s qps  lost %-6s  p50 %5s us  p90 %5s us  p99 %5s us  max %6s us\n' \
        "$label" "$qps" "$lost" "$(pct 50)" "$(pct 90)" "$(pct 99)" "$(tail -1 "$tmp/$label.lat" | cut -d. -f1)"
}

echo "dns_bench: $names names, ${seconds}s per run, $clients dnsperf clients, UDP A queries"
echo "-- as fast as they answer (dnsperf keeps 100 queries outstanding: latency includes queueing)"
run berth 53
run dnsmasq 5301
echo "-- at a steady 2000 queries per second (the latency of one query)"
run berth 53 2000
run dnsmasq 5301 2000
