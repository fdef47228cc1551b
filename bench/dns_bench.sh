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
serve_pid=$!

for _ in $(seq 100); do
    grep -q serving "$tmp/serve.log" 2>/dev/null && break
    sleep 0.1
done
grep -q serving "$tmp/serve.log" || {
    cat "$tmp/serve.log" >&2
    exit 1
}
# After the server has written the hosts file: dnsmasq reads it once, at start.
dnsmasq --keep-in-foreground --no-resolv --no-hosts --addn-hosts="$tmp/hosts" \
    --listen-address=10.88.0.1 --bind-interfaces --port=5301 --user=root \
    --pid-file="$tmp/dnsmasq.pid" --log-facility="$tmp/dnsmasq.log" &
pids+=($!)
for i in $(seq 0 $((names - 1))); do echo "c$i A"; done >"$tmp/queries"

wait_ready() {
    for _ in $(seq 100); do
        dnsperf -s 10.88.0.1 -p "$1" -a 10.88.0.2 -d "$tmp/queries" -n 1 -c 1 \
            >"$tmp/probe" 2>&1 && grep -q "Queries completed: *[1-9]" "$tmp/probe" && return 0
        sleep 0.1
    done
    return 1
}

# The CPU time of a process in clock ticks (user + system).
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
pid_of() { if [[ $1 == berth ]]; then echo "$serve_pid"; else cat "$tmp/dnsmasq.pid"; fi; }

# Throughput: as many queries as they answer. dnsperf's per-query lines (-v) would cost it more
# CPU than the servers use, on the same two cores, so only its summary is read here.
throughput() {
    local label=$1 port=$2
    wait_ready "$port"
    local pid before t0 t1
    pid=$(pid_of "$label")
    before=$(ticks "$pid")
    t0=$(date +%s%N)
    dnsperf -s 10.88.0.1 -p "$port" -a 10.88.0.2 -d "$tmp/queries" -l "$seconds" -c "$clients" \
        -q 200 >"$tmp/$label.out" 2>&1
    t1=$(date +%s%N)
    # The server's share of one core over the run: dnsperf runs on the same two cores.
    local core
    core=$(awk -v t="$(($(ticks "$pid") - before))" -v hz="$(getconf CLK_TCK)" -v ns="$((t1 - t0))" \
        'BEGIN {printf "%.2f", t / hz / (ns / 1e9)}')
    grep -q "NOERROR [0-9]* (100.00%)" "$tmp/$label.out" ||
        echo "dns_bench: $label did not answer every query with NOERROR: $(grep -A3 'Response codes' "$tmp/$label.out" | tr '\n' ' ')" >&2
    local qps
    qps=$(awk '/Queries per second:/ {printf "%.0f", $4}' "$tmp/$label.out")
    printf '%-8s %10s qps  lost %-6s  mean latency %5s us  server CPU %s cores  = %s qps per core\n' \
        "$label" "$qps" "$(awk '/Queries lost:/ {print $3}' "$tmp/$label.out")" \
        "$(awk '/Average Latency/ {printf "%.0f", $4 * 1e6}' "$tmp/$label.out")" "$core" \
        "$(awk -v q="$qps" -v c="$core" 'BEGIN {printf "%.0f", (c > 0 ? q / c : 0)}')"
}

# Latency at a steady rate: dnsperf -v prints one line per answered query ending with its
# latency in seconds.
latency() {
    local label=$1 port=$2 rate=$3
    wait_ready "$port"
    dnsperf -s 10.88.0.1 -p "$port" -a 10.88.0.2 -d "$tmp/queries" -l "$seconds" -c "$clients" \
        -Q "$rate" -v >"$tmp/$label.out" 2>&1
    awk '$1 == ">" && $2 == "NOERROR" {print $NF * 1e6}' "$tmp/$label.out" | sort -n >"$tmp/$label.lat"
    local n
    n=$(wc -l <"$tmp/$label.lat")
    pct() { sed -n "$((($1 * n + 99) / 100))p" "$tmp/$label.lat" | cut -d. -f1; }
    printf '%-8s %10s qps  lost %-6s  p50 %5s us  p90 %5s us  p99 %5s us  max %6s us\n' \
        "$label" "$(awk '/Queries per second:/ {printf "%.0f", $4}' "$tmp/$label.out")" \
        "$(awk '/Queries lost:/ {print $3}' "$tmp/$label.out")" \
        "$(pct 50)" "$(pct 90)" "$(pct 99)" "$(tail -1 "$tmp/$label.lat" | cut -d. -f1)"
}

echo "dns_bench: $names names, ${seconds}s per run, $clients dnsperf clients, UDP A queries"
echo "-- as fast as they answer"
throughput berth 53
throughput dnsmasq 5301
echo "-- berth again, after 1,000,000 more queries (no slow-down: the same figure)"
dnsperf -s 10.88.0.1 -p 53 -a 10.88.0.2 -d "$tmp/queries" -n $(((1000000 + names - 1) / names)) \
    -c "$clients" -q 200 >"$tmp/soak.out" 2>&1
echo "         $(awk '/Queries completed:/ {print $3}' "$tmp/soak.out") queries completed in between"
throughput berth 53
for rate in 2000 20000; do
    echo "-- at a steady $rate queries per second"
    latency berth 53 "$rate"
    latency dnsmasq 5301 "$rate"
done
