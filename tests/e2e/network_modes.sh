# network_mode host, none, service:x and container:x; a static address on a network with an
# ipam subnet, mac_address, interface_name and aliases.
source "$(dirname "$0")/lib.bash"

# A link only the test's namespace (berthd's host) has, for the host-mode container to find.
ip link add berthmark0 type veth peer name berthmark1

project modes <<'YAML'
services:
  db:
    image: busybox:latest
    init: true
    command: ["sleep", "1000"]
  hostnet:
    image: busybox:latest
    network_mode: host
    init: true
    command: ["sleep", "1000"]
  nonet:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sleep", "1000"]
  side:
    image: busybox:latest
    network_mode: "service:db"
    depends_on: [db]
    init: true
    command: ["sleep", "1000"]
  fixed:
    image: busybox:latest
    init: true
    command: ["sleep", "1000"]
    networks:
      lan:
        ipv4_address: 172.31.77.50
        mac_address: "02:aa:bb:cc:dd:ee"
        interface_name: lan0
        aliases: [fixed-alias, another-alias]
networks:
  lan:
    ipam:
      config:
        - subnet: 172.31.77.0/24
YAML

project guest <<'YAML'
services:
  peer:
    image: busybox:latest
    network_mode: "container:modes-db-1"
    init: true
    command: ["sleep", "1000"]
YAML

# The IPv4 address (without prefix) of IFACE inside SERVICE's container, from `ip -o -4 addr`.
inner_addr() {
    berth exec -T "$1" ip -o -4 addr show dev "$2" 2>/dev/null | awk '{print $4}' | cut -d/ -f1 | head -n 1
}

t "up"
use_project modes
b_ok up -d
expect_match "$(progress)" "Network modes_default +Created" "up makes the default network"
expect_match "$(progress)" "Network modes_lan +Created" "up makes the lan network"
for s in db hostnet nonet side fixed; do
    wait_until 20 state_is "$s" running || fail "$s is not running"
done

t "network_mode: host"
b exec -T hostnet ip -o link
expect_rc 0
expect_contains "$OUT" "berthmark0" "the host's link seen from a host-mode container"
expect_contains "$OUT" "berthmark1" "the other end of the host's veth pair"
b exec -T db ip -o link
expect_lacks "$OUT" "berthmark0" "the host's link seen from a bridged container"

t "network_mode: none"
b exec -T nonet ip -o link
expect_rc 0
names=$(awk -F': ' '{print $2}' <<<"$OUT" | cut -d@ -f1 | tr '\n' ' ')
expect_eq "$names" "lo " "links in a network_mode none container"

t "network_mode: service:db"
db_addr=$(inner_addr db eth0)
expect_match "$db_addr" '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$' "db's eth0 address"
side_addr=$(inner_addr side eth0)
expect_eq "$side_addr" "$db_addr" "side's eth0 address (shares db's namespace)"
db_ns=$(readlink "/proc/$(container_pid "$(container_id db)")/ns/net" || true)
side_ns=$(readlink "/proc/$(container_pid "$(container_id side)")/ns/net" || true)
expect_ne "$db_ns" "" "db's network namespace"
expect_eq "$side_ns" "$db_ns" "side's network namespace"
b_ok inspect modes-db-1
db_inspect_ip=$(jq -r '.[0].NetworkSettings.Networks.modes_default.IPAddress' <<<"$OUT")
expect_eq "$db_inspect_ip" "$db_addr" "db's address in inspect"

t "network_mode: container:modes-db-1"
use_project guest
b_ok up -d
wait_until 20 state_is peer running || fail "peer is not running"
peer_addr=$(inner_addr peer eth0)
expect_eq "$peer_addr" "$db_addr" "peer's eth0 address (shares modes-db-1's namespace)"
peer_ns=$(readlink "/proc/$(container_pid "$(container_id peer)")/ns/net" || true)
expect_eq "$peer_ns" "$db_ns" "peer's network namespace"
b_ok down
use_project modes

t "static address, mac_address, interface_name"
b exec -T fixed ip -o -4 addr show dev lan0
expect_rc 0
expect_contains "$OUT" "inet 172.31.77.50/24" "the static address on lan0"
b exec -T fixed ip -o link show dev lan0
expect_contains "$OUT" "link/ether 02:aa:bb:cc:dd:ee" "lan0's MAC address"
b exec -T fixed ip -o link
expect_lacks "$OUT" " eth0" "no eth0 when the only network's interface is named lan0"
b exec -T fixed sh -c 'ip route show default'
expect_contains "$OUT" "via 172.31.77.1" "the default route via the lan network's gateway"

t "inspect"
b_ok inspect modes-fixed-1
lan=$(jq -c '.[0].NetworkSettings.Networks.modes_lan' <<<"$OUT")
expect_eq "$(jq -r .IPAddress <<<"$lan")" 172.31.77.50 "inspect IPAddress"
expect_eq "$(jq -r .IPPrefixLen <<<"$lan")" 24 "inspect IPPrefixLen"
expect_eq "$(jq -r .Gateway <<<"$lan")" 172.31.77.1 "inspect Gateway"
expect_eq "$(jq -r .MacAddress <<<"$lan")" 02:aa:bb:cc:dd:ee "inspect MacAddress"
aliases=$(jq -r '.Aliases // [] | .[]' <<<"$lan" | sort | tr '\n' ' ')
expect_contains "$aliases" "another-alias" "inspect Aliases"
expect_contains "$aliases" "fixed-alias" "inspect Aliases"
b_ok inspect modes-db-1
expect_eq "$(jq -r '.[0].NetworkSettings.Networks | has("modes_lan")' <<<"$OUT")" false \
    "db is not on the lan network"

t "service:db across a restart of db"
b_ok restart db
wait_until 20 state_is db running || fail "db is not running after restart"
expect_eq "$(inner_addr db eth0)" "$db_addr" "db's address after its restart"
expect_eq "$(inner_addr side eth0)" "$db_addr" "side's address after db's restart"

t "service:db after db is recreated"
b_ok up -d --force-recreate db
new_db_addr=$(inner_addr db eth0)
expect_match "$new_db_addr" '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$' "db's address after it was recreated"
# side still holds the namespace of db's old container, which lost its eth0 with it: the next
# up recreates side, as docker compose does (side's config names db's container).
b_ok up -d
expect_match "$(progress)" "Container modes-side-1 +Recreate" "up recreates side"
expect_eq "$(inner_addr side eth0)" "$new_db_addr" "side's address after up"
b_ok up -d
expect_lacks "$(progress)" "Recreate" "a second up recreates nothing"

t "down"
b_ok down
expect_match "$(progress)" "Network modes_lan +Removed" "down removes the lan network"
expect_match "$(progress)" "Network modes_default +Removed" "down removes the default network"
left=$(ip -o link show type bridge)
expect_eq "$left" "" "bridges left after down"
ip -o link show berthmark0 >/dev/null 2>&1 || fail "the test's own link went away"

# bad_project NAME ADDRESS_A ADDRESS_B MAC: two services on a network with a subnet.
bad_project() {
    project "$1" <<YAML
services:
  one:
    image: busybox:latest
    command: ["sleep", "1000"]
    networks:
      lan:
        ipv4_address: $2
        mac_address: "$4"
  two:
    image: busybox:latest
    command: ["sleep", "1000"]
    networks:
      lan:
        ipv4_address: $3
networks:
  lan:
    ipam:
      config:
        - subnet: 172.31.78.0/24
YAML
}

# expect_refused WHAT MESSAGE: up failed naming MESSAGE and left no container and no network.
expect_refused() {
    expect_fail
    expect_contains "$(progress)" "$2" "$1: up's message"
    ps_json -a
    expect_eq "$(ps_count)" 0 "$1: containers after the refused up"
    local nets
    nets=$(curl -s --unix-socket "$SOCK" http://berth/v1/networks | jq -r '.[].Name' | tr '\n' ' ')
    expect_eq "$nets" "" "$1: networks after the refused up"
    expect_eq "$(ip -o link show type bridge)" "" "$1: bridges after the refused up"
    b down
}

t "an ipv4_address outside the subnet"
bad_project outside 172.31.79.5 172.31.78.6 02:aa:bb:cc:dd:01
b up -d
expect_refused "outside the subnet" "address 172.31.79.5 is not in subnet 172.31.78.0/24"

t "a multicast mac_address"
bad_project mcast 172.31.78.5 172.31.78.6 01:00:5e:00:00:01
b up -d
expect_refused "multicast MAC" 'invalid MAC address "01:00:5e:00:00:01"'

t "two services with one ipv4_address"
bad_project twice 172.31.78.5 172.31.78.5 02:aa:bb:cc:dd:01
b up -d
expect_refused "one address twice" 'service "two": network twice_lan: address 172.31.78.5 is already in use (by service "one")'

finish
