# berth's resolver forwarding what is not its own: to the container's `dns:` servers, else
# daemon.json's, falling back to the next server when one is dead, SERVFAIL when all are, nothing
# from an internal network and no loop through itself; TCP with several queries on one
# connection; TC over UDP and the whole answer over TCP; garbage that changes nothing. The
# upstreams are fake servers on 127.0.0.x in the test's own network namespace.
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/dns_helpers.bash"
UP_PIDS=()
up_teardown() {
    local status=$? pid
    # Off for the rest of the exit: returning the script's failure status under errexit would
    # end the trap before lib.bash's cleanup, leaving berthd and its containers running.
    set +e
    for pid in "${UP_PIDS[@]}"; do
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    return "$status"
}
trap 'up_teardown; cleanup' EXIT

# upstream IP TAG [--silent]: a fake upstream whose questions go to $T/upstream-IP.log.
upstream() {
    python3 "$DNSPROBE" serve "$@" >"$T/upstream-$1.log" 2>&1 &
    UP_PIDS+=($!)
    wait_until 10 file_has "$T/upstream-$1.log" listening || fail "upstream $1 did not start"
}
upstream 127.0.0.2 2 --silent
upstream 127.0.0.3 3
upstream 127.0.0.4 4 --silent
upstream 127.0.0.5 5

# daemon.json's dns: the servers of containers without their own.
stop_daemon
jq '.dns = ["127.0.0.5"]' "$T/daemon.json" >"$T/daemon.json.new" && mv "$T/daemon.json.new" "$T/daemon.json"
start_daemon

project fwd <<'YAML'
services:
  fallback:
    image: busybox:latest
    init: true
    command: ["sleep", "1000"]
    dns: [127.0.0.2, 127.0.0.3]
  dead:
    image: busybox:latest
    init: true
    command: ["sleep", "1000"]
    dns: [127.0.0.2, 127.0.0.4]
  plain:
    image: busybox:latest
    init: true
    command: ["sleep", "1000"]
  inner:
    image: busybox:latest
    init: true
    command: ["sleep", "1000"]
    dns: [127.0.0.3]
    networks: [sealed]
  loop:
    image: busybox:latest
    init: true
    command: ["sleep", "1000"]
    dns: [172.29.20.1]
networks:
  default:
    ipam:
      config:
        - subnet: 172.29.20.0/24
  sealed:
    internal: true
    ipam:
      config:
        - subnet: 172.29.21.0/24
YAML

GW=172.29.20.1

t "up"
b_ok up -d
for s in fallback dead plain inner loop; do wait_until 20 state_is "$s" running || fail "$s is not running"; done

t "the first upstream dead, the second answers"
timed_ask fallback $GW one.example
expect_eq "$(answers "$OUT_DNS")" "198.51.100.3" "the answer comes from the second upstream: $OUT_DNS"
((TOOK_MS >= 1500)) || fail "answered in $TOOK_MS ms: the dead first upstream was not waited for"
expect_contains "$(cat "$T/upstream-127.0.0.2.log")" "q one.example" "the first upstream was asked"
out=$(ask fallback $GW two.example --tcp)
expect_eq "$(answers "$out")" "198.51.100.3" "over TCP too: $out"

t "every upstream dead: SERVFAIL within the timeout"
timed_ask dead $GW three.example
expect_contains "$OUT_DNS" "rcode=2" "SERVFAIL"
((TOOK_MS < 7000)) || fail "SERVFAIL took $TOOK_MS ms"

t "daemon.json's dns when the container has none; a cached answer"
out=$(ask plain $GW four.example)
expect_eq "$(answers "$out")" "198.51.100.5" "plain's answer comes from daemon.json's server"
out=$(ask plain $GW four.example)
expect_eq "$(answers "$out")" "198.51.100.5" "again"
expect_eq "$(grep -c 'q four.example' "$T/upstream-127.0.0.5.log")" 1 "the second answer came from the cache"

t "an internal network forwards nothing"
out=$(ask inner 172.29.21.1 sealed.example)
# NXDOMAIN, as aardvark-dns answers there (Docker answers SERVFAIL): either way nothing goes out.
expect_match "$out" "rcode=[23] tc=0 answers=$" "no answer for an outside name"
expect_lacks "$(cat "$T/upstream-127.0.0.3.log")" "sealed.example" "the upstream was never asked"
out=$(ask inner 172.29.21.1 inner)
expect_match "$(answers "$out")" '^172\.29\.21\.' "its own names still answer"

t "no loop when the upstream is berth itself"
timed_ask loop $GW loop.example
expect_contains "$OUT_DNS" "rcode=2" "SERVFAIL"
((TOOK_MS < 7000)) || fail "SERVFAIL took $TOOK_MS ms"

t "three queries over one TCP connection"
out=$(ask plain $GW fallback --tcp --count 3)
expect_eq "$(grep -c "rcode=0 tc=0 answers=172.29.20." <<<"$out")" 3 "three answers: $out"

t "over 512 bytes: TC over UDP, the whole answer over TCP or with EDNS"
out=$(ask plain $GW big.example)
expect_contains "$out" "tc=1" "TC set over UDP without EDNS: $out"
out=$(ask plain $GW big.example --tcp)
expect_eq "$(answers "$out" | tr ',' '\n' | wc -l)" 40 "40 records over TCP"
expect_contains "$out" "tc=0" "no TC over TCP"
out=$(ask plain $GW big.example --edns 4096)
expect_eq "$(answers "$out" | tr ',' '\n' | wc -l)" 40 "40 records over UDP with EDNS 4096"

t "garbage keeps the resolver answering, and idle"
cpu() { awk '{print $14 + $15}' "/proc/$DAEMON_PID/stat"; }
id=$(container_id plain)
nsenter --net="$EXEC_ROOT/netns/$id" python3 "$DNSPROBE" garbage $GW 3000 >"$T/garbage.out" 2>&1 ||
    fail "sending garbage failed: $(cat "$T/garbage.out")"
# A length prefix with no body, left open: the connection waits, it does not spin.
nsenter --net="$EXEC_ROOT/netns/$id" python3 -c '
import socket, sys, time
s = socket.create_connection((sys.argv[1], 53))
s.sendall(b"\x00\x40")
time.sleep(30)' $GW &
UP_PIDS+=($!)
out=$(ask plain $GW fallback)
expect_match "$(answers "$out")" '^172\.29\.20\.' "an answer after the garbage"
before=$(cpu)
sleep 2 # the window the CPU time is measured over, not a wait for something to happen
used=$(($(cpu) - before))
# 2 s at 100 ticks a second: under 10 ticks is under 5% of a core.
((used < 10)) || fail "berthd used $used ticks in 2 s after the garbage"
logged=$(grep -ci 'dns' "$DAEMON_LOG" || true)
((logged < 20)) || fail "berthd logged $logged lines about dns: the garbage is logged per packet"

t "down"
b_ok down
finish
