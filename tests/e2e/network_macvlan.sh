# macvlan and ipvlan networks on a parent link of the host: two containers on one reach each
# other over TCP by address. A kernel without ipvlan gets a clear error from `up` (the ipvlan part
# is then skipped, saying so) and nothing is left behind.
source "$(dirname "$0")/lib.bash"

# The parent: one end of a veth pair in the test's namespace (berthd's host), up.
ip link add mvparent0 type veth peer name mvparent1
ip link set mvparent0 up
ip link set mvparent1 up

# lan_project NAME DRIVER MODE_KEY MODE SUBNET_PREFIX: a project of a server and a client on one
# network of DRIVER with the parent above; the server has a fixed address (PREFIX.10).
lan_project() {
    project "$1" <<YAML
services:
  server:
    image: busybox:latest
    init: true
    command: ["nc", "-ll", "-p", "7000", "-e", "echo", "hello-from-$1"]
    networks:
      lan:
        ipv4_address: $5.10
  client:
    image: busybox:latest
    init: true
    command: ["sleep", "1000"]
    networks: [lan]
networks:
  lan:
    driver: $2
    driver_opts:
      parent: mvparent0
      $3: $4
    ipam:
      config:
        - subnet: $5.0/24
YAML
}

# reach NAME IP: the client opens a TCP connection to IP:7000 and reads the server's greeting.
reach() {
    [[ $(berth exec -T client timeout 3 nc "$2" 7000 </dev/null 2>/dev/null) == "hello-from-$1" ]]
}

# check_lan NAME PREFIX: both containers run, have addresses on the network, and talk.
check_lan() {
    local name=$1 prefix=$2 addr
    for s in server client; do
        wait_until 20 state_is "$s" running || fail "$name: $s is not running"
    done
    addr=$(berth exec -T server ip -o -4 addr show dev eth0 2>/dev/null | awk '{print $4}')
    expect_eq "$addr" "$prefix.10/24" "$name: the server's address"
    addr=$(berth exec -T client ip -o -4 addr show dev eth0 2>/dev/null | awk '{print $4}')
    expect_match "$addr" "^${prefix//./\\.}\.[0-9]+/24$" "$name: the client's address"
    wait_until 10 reach "$name" "$prefix.10" ||
        fail "$name: the client does not reach the server ($prefix.10) over TCP"
    b_ok inspect "$name-server-1"
    expect_eq "$(jq -r ".[0].NetworkSettings.Networks[\"${name}_lan\"].IPAddress" <<<"$OUT")" \
        "$prefix.10" "$name: the server's address in inspect"
}

t "macvlan"
lan_project mv macvlan macvlan_mode bridge 172.31.99
b_ok up -d
expect_match "$(progress)" "Network mv_lan +Created" "up makes the macvlan network"
b_ok inspect mv-client-1
client_mac=$(jq -r '.[0].NetworkSettings.Networks.mv_lan.MacAddress' <<<"$OUT")
check_lan mv 172.31.99
# macvlan children live in the containers' namespaces, not in the host's.
left=$(ip -o link show type macvlan)
expect_eq "$left" "" "macvlan links in the host's namespace"
b exec -T client ip -o link show dev eth0
expect_contains "$OUT" "link/ether $client_mac" "the client's MAC is the one inspect shows"
api_net=$(curl -s --unix-socket "$SOCK" http://berth/v1/networks/mv_lan)
expect_eq "$(jq -r .Driver <<<"$api_net")" macvlan "the network's driver"
expect_eq "$(jq -r .Options.parent <<<"$api_net")" mvparent0 "the network's parent"
b_ok down
expect_match "$(progress)" "Network mv_lan +Removed" "down removes the macvlan network"
ip -o link show dev mvparent0 >/dev/null 2>&1 || fail "the parent link went away with down"

t "macvlan on a parent the host does not have"
project noparent <<'YAML'
services:
  one:
    image: busybox:latest
    command: ["sleep", "1000"]
    networks: [lan]
networks:
  lan:
    driver: macvlan
    driver_opts:
      parent: nosuch0
YAML
b up -d
expect_fail
expect_contains "$(progress)" "nosuch0" "the error names the missing parent"
ps_json -a
expect_eq "$(ps_count)" 0 "containers after up on a missing parent"
nets=$(curl -s --unix-socket "$SOCK" http://berth/v1/networks | jq -r '.[].Name' | tr '\n' ' ')
expect_eq "$nets" "" "networks after up on a missing parent"
b down

for mode in l2 l3; do
    t "ipvlan $mode"
    name=ipv$mode
    lan_project "$name" ipvlan ipvlan_mode "$mode" "172.31.$((100 + ${mode#l}))"
    use_project "$name"
    b up -d
    if [[ $RC != 0 ]]; then
        msg=$(progress)
        if [[ $msg == *"not supported"* ]]; then
            # The message says what failed and why, in words a user can act on, and the
            # network's creation fails before any container is made.
            expect_contains "$msg" "the ipvlan driver cannot use parent mvparent0" \
                "ipvlan $mode: the error names the driver and the parent"
            expect_contains "$msg" "this kernel does not support ipvlan links" \
                "ipvlan $mode: the error says the kernel lacks ipvlan"
            expect_match "$msg" "Network ${name}_lan +Error" "ipvlan $mode: the network's creation failed"
            ps_json -a
            expect_eq "$(ps_count)" 0 "ipvlan $mode: containers after the failed up"
            nets=$(curl -s --unix-socket "$SOCK" http://berth/v1/networks | jq -r '.[].Name')
            expect_lacks "$nets" "${name}_lan" "ipvlan $mode: networks after the failed up"
            left=$(ip -o link show | grep -F bprobe || true)
            expect_eq "$left" "" "ipvlan $mode: probe links left on the host"
            b down
            expect_rc 0
            echo "SKIP: ipvlan $mode: this kernel has no ipvlan ($(grep -m1 -o 'the ipvlan driver.*' <<<"$msg"))"
            continue
        fi
        fail "ipvlan $mode: up failed for another reason than a missing kernel driver"
        b down
        continue
    fi
    check_lan "$name" "172.31.$((100 + ${mode#l}))"
    b_ok down
done

finish
