# Helpers for the network end-to-end tests, sourced after lib.bash.
#
# "The host" is the test's own network namespace (lib.bash made it); "the other host" is one more
# network namespace, held by a `sleep` this file starts, joined to the host by a veth pair:
# host side $OH_LINK with $HOST_ADDR, other side $OH_PEER_LINK with $OH_ADDR, both in
# 10.250.0.0/24 and no other route, so nothing sent there can go anywhere else. The listeners
# started here are killed by pid before lib.bash's own teardown runs.

NETPEER=/usr/bin/python3
NETPEER_PY=$(dirname "${BASH_SOURCE[0]}")/netpeer.py
HOST_ADDR=10.250.0.1
OH_ADDR=10.250.0.2
OH_LINK=vtest-oh0
OH_PEER_LINK=vtest-oh1
OH_PID=
NET_PIDS=()

net_teardown() {
    local status=$? pid
    # Off for the rest of the exit: returning the script's failure status under errexit would
    # end the trap before lib.bash's cleanup, leaving berthd and its containers running.
    set +e
    for pid in "${NET_PIDS[@]}" $OH_PID; do
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    NET_PIDS=()
    OH_PID=
    return "$status"
}
# lib.bash's cleanup reads $? first: net_teardown hands the script's status on to it.
trap 'net_teardown; cleanup' EXIT

# netns_of PID: the network namespace PID is in.
netns_of() { readlink "/proc/$1/ns/net" 2>/dev/null; }

# other_host_start: makes the other host and its link to the host.
other_host_start() {
    unshare --net -- sleep infinity &
    OH_PID=$!
    local mine
    mine=$(netns_of $$)
    wait_until 10 eval '[[ -n $(netns_of $OH_PID) && $(netns_of $OH_PID) != "$mine" ]]' ||
        { fail "the other host's namespace did not appear"; return 1; }
    ip link add "$OH_LINK" type veth peer name "$OH_PEER_LINK" netns "$OH_PID"
    ip addr add "$HOST_ADDR/24" dev "$OH_LINK"
    ip link set "$OH_LINK" up
    oh ip link set lo up
    oh ip addr add "$OH_ADDR/24" dev "$OH_PEER_LINK"
    oh ip link set "$OH_PEER_LINK" up
}

# oh CMD...: CMD on the other host.
oh() { nsenter --net="/proc/$OH_PID/ns/net" -- "$@"; }

# oh_tcp_insegs: how many TCP segments the other host has received (its /proc/net/snmp).
oh_tcp_insegs() {
    oh awk '$1 == "Tcp:" { if (!n) { for (i = 2; i <= NF; i++) if ($i == "InSegs") n = i } else print $n }' \
        /proc/net/snmp
}

# serve NAME NETNS PROTO PORT: a netpeer listener answering NAME on PROTO/PORT in the network
# namespace file NETNS ("" for the host), its output in $T/NAME.log; waits until it listens.
serve() {
    local name=$1 ns=$2 proto=$3 port=$4
    local -a enter=()
    [[ -n $ns ]] && enter=(nsenter --net="$ns" --)
    rm -f "$T/$name.log"  # a name used before must not answer for this listener
    "${enter[@]}" "$NETPEER" "$NETPEER_PY" serve "$proto" "$port" "$name" >"$T/$name.log" 2>&1 &
    NET_PIDS+=($!)
    wait_until 10 file_has "$T/$name.log" listening ||
        fail "listener $name ($proto/$port) did not start: $(cat "$T/$name.log")"
}

# peers NAME: the addresses listener NAME saw, one a line.
peers() { sed -n 's/^peer //p' "$T/$1.log"; }

# send [oh|ns NETNS] PROTO HOST PORT [SOURCE_PORT]: sends to a netpeer listener (from the host,
# the other host, or a namespace file); sets SENT (the answer) and SENT_RC.
send() {
    local -a enter=()
    case $1 in
    oh) enter=(nsenter --net="/proc/$OH_PID/ns/net" --); shift ;;
    ns) enter=(nsenter --net="$2" --); shift 2 ;;
    esac
    SENT_RC=0
    SENT=$(timeout 10 "${enter[@]}" "$NETPEER" "$NETPEER_PY" send "$1" "$2" "$3" 3 ${4:-} 2>&1) ||
        SENT_RC=$?
}

# ctr_json NAME: `berth inspect NAME`'s first object in CJSON.
CJSON=
ctr_json() {
    b inspect "$1"
    [[ $RC == 0 ]] || { fail "inspect $1 failed"; CJSON='{}'; return 0; }
    CJSON=$(jq -c '.[0]' <<<"$OUT")
}

# ctr_ip NAME NETWORK: the container's IPv4 address on NETWORK, from inspect.
ctr_ip() {
    ctr_json "$1"
    jq -r --arg n "$2" '.NetworkSettings.Networks[$n].IPAddress // empty' <<<"$CJSON"
}

# ctr_sandbox NAME: the container's pinned network namespace, from inspect.
ctr_sandbox() {
    ctr_json "$1"
    jq -r '.NetworkSettings.SandboxKey // empty' <<<"$CJSON"
}

# listening NETNS PORT...: every PORT has a TCP listener in the network namespace file NETNS.
listening() {
    local ns=$1 port out
    shift
    out=$(nsenter --net="$ns" -- ss -Hltn) || return 1
    for port in "$@"; do
        grep -qE ":$port\b" <<<"$out" || return 1
    done
}

