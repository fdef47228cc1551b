# Bridge networks carry real traffic: containers on one network reach each other, containers on
# different networks do not (one on both reaches both), an internal network reaches nothing
# outside while a normal one reaches another host masqueraded behind the host's address, and
# published tcp and udp ports (ranges, host_ip, a random host port) answer on 127.0.0.1 and from
# the other host, as ps and inspect say.
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/net_helpers.bash"

other_host_start

# Each TCP server answers with its own name and closes, so `echo | nc HOST PORT` prints who
# answered. p serves its udp port through netpeer, run in its network namespace by the test.
project nb <<'YAML'
services:
  a:
    image: busybox:latest
    init: true
    networks: [front]
    command: ["nc", "-ll", "-p", "7000", "-e", "echo", "from-a"]
  b:
    image: busybox:latest
    init: true
    networks: [front]
    command: ["nc", "-ll", "-p", "7000", "-e", "echo", "from-b"]
  c:
    image: busybox:latest
    init: true
    networks: [back]
    command: ["nc", "-ll", "-p", "7000", "-e", "echo", "from-c"]
  d:
    image: busybox:latest
    init: true
    networks: [front, back]
    command: ["sleep", "1000"]
  i:
    image: busybox:latest
    init: true
    networks: [inner]
    command: ["sleep", "1000"]
  p:
    image: busybox:latest
    init: true
    networks: [front]
    command: ["sh", "-c", "for p in 7000 7002 7003; do nc -ll -p $$p -e echo p-$$p & done; exec sleep 1000"]
    ports:
      - "18080:7000"
      - "18081:7001/udp"
      - "18100-18101:7002-7003"
      - target: 7000
        published: "18090"
        host_ip: 127.0.0.1
        protocol: tcp
      - "7000"
networks:
  front: {}
  back: {}
  inner:
    internal: true
YAML

t "up"
b_ok up -d
expect_match "$(progress)" "Network nb_front +Created" "up creates front"
expect_match "$(progress)" "Network nb_inner +Created" "up creates inner"

# inside SERVICE CMD...: runs CMD in SERVICE's container; sets OUT/RC.
inside() { local s=$1; shift; b exec -T "$s" "$@"; }

# tcp_from SERVICE ADDR PORT: the answer of the TCP server at ADDR:PORT, asked from SERVICE.
tcp_from() { inside "$1" sh -c "echo | nc -w 2 $2 $3"; }

ip_a=$(ctr_ip nb-a-1 nb_front)
ip_b=$(ctr_ip nb-b-1 nb_front)
ip_c=$(ctr_ip nb-c-1 nb_back)
ip_d_front=$(ctr_ip nb-d-1 nb_front)
ip_d_back=$(ctr_ip nb-d-1 nb_back)
for v in ip_a ip_b ip_c ip_d_front ip_d_back; do
    expect_match "${!v}" '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$' "$v from inspect"
done

# The servers run once they listen, not once their container started.
for s in a b c p; do
    ports=7000
    [[ $s == p ]] && ports="7000 7002 7003"
    # shellcheck disable=SC2086
    wait_until 20 listening "$(ctr_sandbox nb-$s-1)" $ports || fail "$s's servers do not listen"
done

t "inspect's address is the one inside"
inside b ip -4 -o addr show dev eth0
expect_contains "$OUT" "inet $ip_b/" "b's eth0"
inside d ip -4 -o addr
expect_contains "$OUT" "inet $ip_d_front/" "d's front address"
expect_contains "$OUT" "inet $ip_d_back/" "d's back address"

t "one network: a and b reach each other"
tcp_from a "$ip_b" 7000
expect_eq "$OUT" from-b "a -> b"
tcp_from b "$ip_a" 7000
expect_eq "$OUT" from-a "b -> a"

t "two networks: a and c do not reach each other"
tcp_from a "$ip_c" 7000
expect_fail
expect_lacks "$OUT" from-c "a -> c"
tcp_from c "$ip_a" 7000
expect_fail
expect_lacks "$OUT" from-a "c -> a"

t "a container on both networks reaches both"
tcp_from d "$ip_b" 7000
expect_eq "$OUT" from-b "d -> b (front)"
tcp_from d "$ip_c" 7000
expect_eq "$OUT" from-c "d -> c (back)"

t "a normal network reaches the other host, masqueraded"
serve other "/proc/$OH_PID/ns/net" tcp 9000
tcp_from a "$OH_ADDR" 9000
expect_eq "$OUT" other "a -> the other host"
expect_eq "$(peers other)" "$HOST_ADDR" "the source the other host saw (the host's address)"
expect_lacks "$(peers other)" "$ip_a" "the container's own address as source"

t "an internal network reaches nothing outside"
tcp_from i "$OH_ADDR" 9000
expect_fail
expect_lacks "$OUT" other "i -> the other host (no route)"
# An internal network gives no default route; one added by hand must still be stopped by the
# firewall, not only by the missing route.
ctr_json nb-i-1
gw_inner=$(jq -r '.NetworkSettings.Networks.nb_inner.Gateway // empty' <<<"$CJSON")
expect_match "$gw_inner" '^[0-9.]+$' "inner's gateway in inspect"
nsenter --net="$(ctr_sandbox nb-i-1)" -- ip route add 10.250.0.0/24 via "$gw_inner" ||
    fail "adding a route in i's namespace"
segs_before=$(oh_tcp_insegs)
tcp_from i "$OH_ADDR" 9000
expect_fail
expect_contains "$ERR" "timed out" "i -> the other host is dropped"
# Without masquerade the other host could not answer anyway: what proves the drop is that not a
# single segment arrived there.
expect_eq "$(oh_tcp_insegs)" "$segs_before" "TCP segments the other host received from i"
expect_lacks "$OUT" other "i -> the other host (with a route)"
expect_eq "$(peers other | wc -l)" 1 "connections the other host saw (only a's)"

t "published ports: ps and inspect"
ps_json
pubs=$(jq -c 'select(.Service == "p") | .Publishers | sort_by(.PublishedPort, .Protocol) |
    map("\(.URL):\(.PublishedPort)->\(.TargetPort)/\(.Protocol)")' <<<"$PS")
expect_contains "$pubs" '"0.0.0.0:18080->7000/tcp"' "ps Publishers"
expect_contains "$pubs" '"0.0.0.0:18081->7001/udp"' "ps Publishers"
expect_contains "$pubs" '"0.0.0.0:18100->7002/tcp"' "ps Publishers (range)"
expect_contains "$pubs" '"0.0.0.0:18101->7003/tcp"' "ps Publishers (range)"
expect_contains "$pubs" '"127.0.0.1:18090->7000/tcp"' "ps Publishers (host_ip)"
random=$(jq -r 'select(.Service == "p") | .Publishers[] |
    select(.TargetPort == 7000 and .PublishedPort != 18080 and .PublishedPort != 18090) |
    .PublishedPort' <<<"$PS")
expect_match "$random" '^[1-9][0-9]*$' "the random host port of 7000 in ps"
ctr_json nb-p-1
ports=$(jq -c '.NetworkSettings.Ports' <<<"$CJSON")
expect_eq "$(jq -c '.["7000/tcp"] | sort_by(.HostPort)' <<<"$ports")" \
    "$(jq -nc --arg r "$random" '[{HostIp: "0.0.0.0", HostPort: "18080"}, {HostIp: "127.0.0.1", HostPort: "18090"}, {HostIp: "0.0.0.0", HostPort: $r}] | sort_by(.HostPort)')" \
    "inspect Ports 7000/tcp"
expect_eq "$(jq -c '.["7001/udp"]' <<<"$ports")" '[{"HostIp":"0.0.0.0","HostPort":"18081"}]' "inspect Ports 7001/udp"
expect_eq "$(jq -c '.["7003/tcp"]' <<<"$ports")" '[{"HostIp":"0.0.0.0","HostPort":"18101"}]' "inspect Ports 7003/tcp"
b_ok ps
expect_match "$OUT" "PORTS" "ps's header"
line=$(grep -E '^nb-p-1 ' <<<"$OUT" || true)
expect_contains "$line" "0.0.0.0:18080->7000/tcp" "ps PORTS"
expect_contains "$line" "0.0.0.0:18081->7001/udp" "ps PORTS"
expect_contains "$line" "127.0.0.1:18090->7000/tcp" "ps PORTS"
expect_contains "$line" "0.0.0.0:$random->7000/tcp" "ps PORTS (random)"
expect_match "$line" "0.0.0.0:18100-18101->7002-7003/tcp|0.0.0.0:18100->7002/tcp, 0.0.0.0:18101->7003/tcp" "ps PORTS (range)"

t "published tcp ports answer on 127.0.0.1 and from the other host"
sandbox_p=$(ctr_sandbox nb-p-1)
declare -A want=([18080]=p-7000 [18100]=p-7002 [18101]=p-7003 [$random]=p-7000)
for port in 18080 18100 18101 "$random"; do
    send tcp 127.0.0.1 "$port"
    expect_eq "$SENT" "${want[$port]}" "127.0.0.1:$port"
    send oh tcp "$HOST_ADDR" "$port"
    expect_eq "$SENT" "${want[$port]}" "the other host -> $HOST_ADDR:$port"
done

t "containers reach a published port through the host's addresses, p itself too (hairpin)"
gw_front=$(ctr_json nb-p-1; jq -r '.NetworkSettings.Networks.nb_front.Gateway // empty' <<<"$CJSON")
for s in b p; do
    for addr in "$HOST_ADDR" "$gw_front"; do
        tcp_from "$s" "$addr" 18080
        expect_eq "$OUT" p-7000 "$s -> $addr:18080"
    done
done

t "host_ip 127.0.0.1: only on 127.0.0.1"
send tcp 127.0.0.1 18090
expect_eq "$SENT" p-7000 "127.0.0.1:18090"
send oh tcp "$HOST_ADDR" 18090
expect_ne "$SENT_RC" 0 "the other host -> $HOST_ADDR:18090 fails [$SENT]"
expect_lacks "$SENT" p-7000 "the other host -> $HOST_ADDR:18090"

t "a published udp port answers on 127.0.0.1 and from the other host"
serve udp-p "$sandbox_p" udp 7001
send udp 127.0.0.1 18081
expect_eq "$SENT" udp-p "udp 127.0.0.1:18081"
send oh udp "$HOST_ADDR" 18081
expect_eq "$SENT" udp-p "udp from the other host -> $HOST_ADDR:18081"
expect_contains "$(peers udp-p)" "$OH_ADDR" "the udp sources p saw"

t "a udp flow follows its port to the container that replaces p"
# One source port throughout: for conntrack these datagrams are one flow, which keeps the NAT
# decision of its first packet unless berth forgets it when the port's container changes.
send oh udp "$HOST_ADDR" 18081 40000
expect_eq "$SENT" udp-p "the flow's first datagram"
ip_p_old=$(ctr_ip nb-p-1 nb_front)
sed -i 's/^  p:$/  p:\n    labels: {generation: "2"}/' "$PROJECT_DIR/compose.yaml"
b_ok up -d p
expect_match "$(progress)" "Container nb-p-1 +Recreated" "p is recreated"
ip_p_new=$(ctr_ip nb-p-1 nb_front)
expect_ne "$ip_p_new" "$ip_p_old" "p's new address"
serve udp-p2 "$(ctr_sandbox nb-p-1)" udp 7001
send oh udp "$HOST_ADDR" 18081 40000
expect_eq "$SENT" udp-p2 "the same flow's next datagram reaches the new p"

t "down"
b_ok down
expect_match "$(progress)" "Network nb_front +Removed" "down removes front"
send tcp 127.0.0.1 18080
expect_ne "$SENT_RC" 0 "127.0.0.1:18080 after down [$SENT]"
links=$(ip -o link show | awk -F': ' '{print $2}' | grep -vE "^(lo|$OH_LINK)(@|$)" || true)
expect_eq "$links" "" "links left on the host"

finish
