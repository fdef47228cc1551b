# A published port that is taken stops `up` before anything is made, and leaves nothing behind:
# no container, no network, no link, no firewall table. Taken by another program (on 0.0.0.0 or
# 127.0.0.1, tcp or udp), or asked for twice in one project. Static addresses and subnets that
# cannot work (one address twice, outside its subnet, overlapping subnets, an IPv6 host address
# for a container without IPv6) are refused the same way.
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/net_helpers.bash"

# expect_nothing_left WHAT: no container, no network known to berthd, no link but lo, no nft table
# of berth's, no container folder.
expect_nothing_left() {
    ps_json -a
    expect_eq "$(ps_count)" 0 "$1: containers (ps -a)"
    expect_eq "$(n_containers)" 0 "$1: container folders"
    api GET /v1/networks
    expect_eq "$RC" 200 "$1: GET /v1/networks status"
    expect_eq "$(jq -c . <<<"$OUT")" "[]" "$1: GET /v1/networks"
    local links
    links=$(ip -j link | jq -r '.[].ifname | select(. != "lo")')
    expect_eq "$links" "" "$1: links besides lo (ip -j link)"
    local tables
    tables=$(nft list tables)
    expect_lacks "$tables" berth "$1: nft tables"
    local port
    for port in 18199 18300; do
        port_free tcp "$port" || fail "$1: tcp port $port is still taken"
    done
}

# port_free PROTO PORT: nothing holds PORT on 0.0.0.0 (a bind there succeeds). Bound sockets that
# do not listen, as berthd's reservations, do not show in ss; a bind finds them.
port_free() {
    /usr/bin/python3 -c 'import socket, sys
s = socket.socket(type=socket.SOCK_STREAM if sys.argv[1] == "tcp" else socket.SOCK_DGRAM)
s.bind(("0.0.0.0", int(sys.argv[2])))' "$1" "$2" 2>/dev/null
}

# taker PROTO ADDR PORT: another program holding ADDR:PORT (listening, for tcp) in the
# background; waits until it says so. (Polling with port_free instead would race with it.)
taker() {
    # Gone first: the background job truncates the file only once it runs, and the last taker's
    # "ready" must not be taken for this one's.
    rm -f "$T/taker.out"
    /usr/bin/python3 -c 'import socket, sys, time
tcp = sys.argv[1] == "tcp"
s = socket.socket(type=socket.SOCK_STREAM if tcp else socket.SOCK_DGRAM)
s.bind((sys.argv[2], int(sys.argv[3])))
if tcp:
    s.listen()
print("ready", flush=True)
time.sleep(600)' "$@" >"$T/taker.out" 2>&1 &
    NET_PIDS+=($!)
    wait_until 10 file_has "$T/taker.out" ready || fail "the port taker on $*: $(cat "$T/taker.out")"
}
untake() {
    local pid=${NET_PIDS[-1]}
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    unset 'NET_PIDS[-1]'
}

project pc <<'YAML'
services:
  web:
    image: busybox:latest
    init: true
    networks: [front, back]
    command: ["sleep", "1000"]
    ports: ["18199:80", "18200:80"]
  db:
    image: busybox:latest
    init: true
    networks: [back]
    command: ["sleep", "1000"]
    ports: ["18300:5432"]
networks:
  front: {}
  back:
    internal: true
YAML

t "a tcp port taken on 0.0.0.0"
taker tcp 0.0.0.0 18200
b up -d
expect_fail
expect_contains "$(progress)" "port 18200 is already in use" "up's message"
expect_lacks "$(progress)" "Created" "up's progress (nothing created)"
expect_nothing_left "after the refused up"
untake

t "a tcp port taken on 127.0.0.1"
taker tcp 127.0.0.1 18200
b up -d
expect_fail
expect_contains "$(progress)" "port 18200 is already in use" "up's message"
expect_nothing_left "after the refused up"
untake

t "a udp port taken"
project pcu <<'YAML'
services:
  dns:
    image: busybox:latest
    init: true
    command: ["sleep", "1000"]
    ports: ["18201:53/udp"]
YAML
taker udp 0.0.0.0 18201
b up -d
expect_fail
expect_contains "$(progress)" "port 18201 is already in use" "up's message"
expect_nothing_left "after the refused up"
untake

t "the same host port twice in one project"
project pc2 <<'YAML'
services:
  one:
    image: busybox:latest
    init: true
    command: ["sleep", "1000"]
    ports: ["18202:80"]
  two:
    image: busybox:latest
    init: true
    networks: [other]
    command: ["sleep", "1000"]
    ports: ["18202:81"]
networks:
  other: {}
YAML
b up -d
expect_fail
expect_contains "$(progress)" "18202" "up's message names the port"
expect_lacks "$(progress)" "Created" "up's progress (nothing created)"
expect_nothing_left "after the refused up"

t "a port another project publishes"
project first <<'YAML'
services:
  web:
    image: busybox:latest
    init: true
    command: ["sleep", "1000"]
    ports: ["18500:80", "18501-18502:81-82/udp"]
YAML
b_ok up -d
first_id=$(container_id web)
snapshot_links=$(ip -j link | jq -c '[.[].ifname] | sort')
project second <<'YAML'
services:
  web:
    image: busybox:latest
    init: true
    networks: [mine]
    command: ["sleep", "1000"]
    ports: ["18503:80", "18502:80/udp"]
networks:
  mine: {}
YAML
b up -d
expect_fail
expect_contains "$(progress)" "port 18502 is already in use" "up's message"
b_ok ps -a --format json
expect_eq "$OUT" "" "second's containers"
api GET /v1/networks
expect_eq "$(jq -c '[.[].Name]' <<<"$OUT")" '["first_default"]' "networks (first's only)"
expect_eq "$(ip -j link | jq -c '[.[].ifname] | sort')" "$snapshot_links" "links (first's only)"
port_free tcp 18503 || fail "second's other port 18503 is held"

t "a new service of a running project asking for a taken port"
use_project first
cat >>"$PROJECT_DIR/compose.yaml" <<'YAML'
  extra:
    image: busybox:latest
    init: true
    networks: [side]
    command: ["sleep", "1000"]
    ports: ["18501:53/udp"]
networks:
  default: {}
  side: {}
YAML
b up -d
expect_fail
expect_contains "$(progress)" "port 18501 is already in use" "up's message"
ps_json -a
expect_eq "$(ps_count)" 1 "first's containers (web only)"
expect_eq "$(ps_field web ID)" "$first_id" "web is the same container"
expect_eq "$(ps_field web State)" running "web still runs"
api GET /v1/networks
expect_eq "$(jq -c '[.[].Name]' <<<"$OUT")" '["first_default"]' "networks (no first_side)"
expect_eq "$(ip -j link | jq -c '[.[].ifname] | sort')" "$snapshot_links" "links (nothing new)"
b_ok down
expect_nothing_left "after first's down"

# bad_project NAME EXPECTED: up of the compose file on stdin fails with EXPECTED, leaving nothing.
bad_project() {
    project "$1"
    b up -d
    expect_fail
    expect_contains "$(progress)" "$2" "up's message"
    expect_lacks "$(progress)" "Created" "up's progress (nothing created)"
    expect_nothing_left "after the refused up of $1"
}

t "one static address for two services"
bad_project dupip 'service "b": network dupip_n1: address 172.30.0.5 is already in use' <<'YAML'
services:
  a:
    image: busybox:latest
    networks: {n1: {ipv4_address: 172.30.0.5}}
    command: ["sleep", "1000"]
  b:
    image: busybox:latest
    networks: {n1: {ipv4_address: 172.30.0.5}}
    command: ["sleep", "1000"]
networks:
  n1:
    ipam: {config: [{subnet: 172.30.0.0/24}]}
YAML

t "a static address outside its subnet"
bad_project outside "address 10.1.0.5 is not in subnet 172.30.0.0/24" <<'YAML'
services:
  a:
    image: busybox:latest
    networks: {n1: {}, n2: {ipv4_address: 10.1.0.5}}
    command: ["sleep", "1000"]
networks:
  n1: {}
  n2:
    ipam: {config: [{subnet: 172.30.0.0/24}]}
YAML

t "overlapping subnets"
bad_project overlap "Pool overlaps with other one on this address space" <<'YAML'
services:
  a:
    image: busybox:latest
    networks: [n1, n2]
    command: ["sleep", "1000"]
networks:
  n1:
    ipam: {config: [{subnet: 172.30.0.0/24}]}
  n2:
    ipam: {config: [{subnet: 172.30.0.0/16}]}
YAML

t "an IPv6 host address for a container without IPv6"
bad_project v6host "an IPv6 host address needs enable_ipv6 on network v6host_default" <<'YAML'
services:
  p:
    image: busybox:latest
    command: ["sleep", "1000"]
    ports: ["[::1]:18080:7000"]
YAML

t "with the port free again, up works and down cleans up"
use_project pc
b_ok up -d
ps_json
expect_eq "$(ps_count)" 2 "running containers"
port_free tcp 18200 && fail "berthd does not hold 18200 while web exists"
b_ok down
expect_nothing_left "after down"
port_free tcp 18200 || fail "18200 is still taken after down"

finish
