# POST /v1/networks/{name}/connect and disconnect on a running container; a network with
# endpoints cannot be deleted; `down` leaves (with a warning) a network another project's
# container is connected to.
source "$(dirname "$0")/lib.bash"

project alpha <<'YAML'
services:
  a:
    image: busybox:latest
    init: true
    command: ["sleep", "1000"]
  lone:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sleep", "1000"]
YAML

project beta <<'YAML'
services:
  b:
    image: busybox:latest
    init: true
    command: ["nc", "-ll", "-p", "7000", "-e", "echo", "hello-from-b"]
    networks: [back]
networks:
  back:
    ipam:
      config:
        - subnet: 172.31.88.0/24
YAML


# The IPv4 addresses (CIDR) of IFACE inside SERVICE's container.
inner_addr() {
    berth exec -T "$1" ip -o -4 addr show dev "$2" 2>/dev/null | awk '{print $4}'
}
has_link() { berth exec -T "$1" ip -o link show dev "$2" >/dev/null 2>&1; }
# reach SERVICE IP: SERVICE's container opens a TCP connection to IP:7000 and reads b's greeting.
reach() {
    [[ $(berth exec -T "$1" timeout 3 nc "$2" 7000 </dev/null 2>/dev/null) == hello-from-b ]]
}

t "up of both projects"
use_project beta
b_ok up -d
wait_until 20 state_is b running || fail "b is not running"
b_ok inspect beta-b-1
b_ip=$(jq -r '.[0].NetworkSettings.Networks.beta_back.IPAddress' <<<"$OUT")
expect_match "$b_ip" '^172\.31\.88\.[0-9]+$' "b's address on beta_back"
use_project alpha
b_ok up -d
wait_until 20 state_is a running || fail "a is not running"
wait_until 20 state_is lone running || fail "lone is not running"
has_link a eth1 && fail "a has an eth1 before connect"
reach a "$b_ip" && fail "a reaches b before it is on b's network"

t "connect"
api POST /v1/networks/beta_back/connect '{"Container":"alpha-a-1"}'
expect_eq "$RC" 200 "connect's status"
addr=$(inner_addr a eth1)
expect_match "$addr" '^172\.31\.88\.[0-9]+/24$' "a's eth1 address"
expect_ne "${addr%/*}" "$b_ip" "a's new address differs from b's"
api GET /v1/networks/beta_back
expect_eq "$(jq -r '[.Containers[].Name] | sort | join(",")' <<<"$OUT")" "alpha-a-1,beta-b-1" \
    "the network's containers after connect"
wait_until 10 reach a "$b_ip" || fail "a does not reach b ($b_ip) over TCP after connect"
b_ok inspect alpha-a-1
expect_eq "$(jq -r '.[0].NetworkSettings.Networks.beta_back.IPAddress' <<<"$OUT")/24" "$addr" \
    "inspect shows the new network's address"

t "up again keeps the connected network"
b_ok up -d
expect_lacks "$(progress)" "Recreate" "up after connect recreates nothing"
expect_match "$(inner_addr a eth1)" '^172\.31\.88\.[0-9]+/24$' "a's eth1 after up again"

t "connect twice"
api POST /v1/networks/beta_back/connect '{"Container":"alpha-a-1"}'
expect_match "$RC" '^4[0-9][0-9]$' "the second connect's status"
expect_contains "$OUT" "already exists in network beta_back" "the second connect's message"
has_link a eth2 && fail "the second connect made an eth2"

t "disconnect"
api POST /v1/networks/beta_back/disconnect '{"Container":"alpha-a-1"}'
expect_eq "$RC" 200 "disconnect's status"
has_link a eth1 && fail "eth1 remains after disconnect"
has_link a eth0 || fail "eth0 went away with the disconnect from another network"
reach a "$b_ip" && fail "a still reaches b after disconnect"
api POST /v1/networks/beta_back/disconnect '{"Container":"alpha-a-1"}'
expect_match "$RC" '^4[0-9][0-9]$' "disconnect of a container that is not connected"

t "connect with a static address and aliases"
api POST /v1/networks/beta_back/connect \
    '{"Container":"alpha-a-1","EndpointConfig":{"Aliases":["a-alias"],"IPAMConfig":{"IPv4Address":"172.31.88.77"}}}'
expect_eq "$RC" 200 "connect with an address"
expect_eq "$(inner_addr a eth1)" 172.31.88.77/24 "a's eth1 address"
b_ok inspect alpha-a-1
expect_eq "$(jq -r '.[0].NetworkSettings.Networks.beta_back.IPAddress' <<<"$OUT")" 172.31.88.77 \
    "the static address in inspect"
expect_contains "$(jq -r '.[0].NetworkSettings.Networks.beta_back.Aliases // [] | join(",")' <<<"$OUT")" \
    a-alias "the alias in inspect"

t "a connected network survives a restart of the container"
use_project alpha
b_ok restart a
wait_until 20 state_is a running || fail "a is not running after restart"
expect_eq "$(inner_addr a eth1)" 172.31.88.77/24 "a's eth1 address after restart"
expect_match "$(inner_addr a eth0)" '^[0-9.]+/[0-9]+$' "a's eth0 address after restart"
wait_until 10 reach a "$b_ip" || fail "a does not reach b after its restart"
api POST /v1/networks/beta_back/disconnect '{"Container":"alpha-a-1"}'
expect_eq "$RC" 200 "disconnect after the restart"
has_link a eth1 && fail "eth1 remains after the second disconnect"

t "connect a stopped container"
use_project alpha
b_ok stop a
api POST /v1/networks/beta_back/connect '{"Container":"alpha-a-1"}'
expect_eq "$RC" 200 "connect of a stopped container"
b_ok start a
wait_until 20 state_is a running || fail "a is not running after start"
expect_match "$(inner_addr a eth1)" '^172\.31\.88\.[0-9]+/24$' "a's eth1 after start"
wait_until 10 reach a "$b_ip" || fail "a does not reach b after it was connected while stopped"
api POST /v1/networks/beta_back/disconnect '{"Container":"alpha-a-1"}'
expect_eq "$RC" 200 "disconnect"

t "connect errors"
api POST /v1/networks/beta_back/connect '{"Container":"alpha-lone-1"}'
expect_eq "$RC" 400 "connect of a network_mode none container"
expect_contains "$OUT" "has no network namespace of its own" "its message"
b exec -T lone ip -o link
expect_eq "$(wc -l <<<"$OUT")" 1 "links of the network_mode none container after the refused connect"
api POST /v1/networks/nosuch/connect '{"Container":"alpha-a-1"}'
expect_eq "$RC" 404 "connect to a missing network"
expect_contains "$OUT" "network nosuch not found" "its message"
api POST /v1/networks/beta_back/connect '{"Container":"nosuch"}'
expect_eq "$RC" 404 "connect of a missing container"
api POST /v1/networks/beta_back/connect \
    '{"Container":"alpha-a-1","EndpointConfig":{"IPAMConfig":{"IPv4Address":"10.9.9.9"}}}'
expect_match "$RC" '^4[0-9][0-9]$' "connect with an address outside the subnet"
has_link a eth1 && fail "a refused connect left an eth1"
api POST /v1/networks/beta_back/connect \
    "{\"Container\":\"alpha-a-1\",\"EndpointConfig\":{\"IPAMConfig\":{\"IPv4Address\":\"$b_ip\"}}}"
expect_match "$RC" '^4[0-9][0-9]$' "connect with b's address"
has_link a eth1 && fail "a refused connect left an eth1"
api GET /v1/networks/beta_back
expect_eq "$(jq -r '[.Containers[].Name] | join(",")' <<<"$OUT")" "beta-b-1" \
    "the network's containers after the refused connects"

t "DELETE of a network in use"
api DELETE /v1/networks/beta_back
expect_eq "$RC" 409 "DELETE's status"
expect_contains "$OUT" "has active endpoints" "DELETE's message"
api GET /v1/networks/beta_back
expect_eq "$RC" 200 "the network after the refused DELETE"
link=$(jq -r '.Options["com.docker.network.bridge.name"] // empty' <<<"$OUT")
expect_ne "$link" "" "the network's bridge name"
use_project beta
wait_until 5 state_is b running || fail "b stopped after the refused DELETE"

t "down of a project whose network another project's container uses"
api POST /v1/networks/beta_back/connect '{"Container":"alpha-a-1"}'
expect_eq "$RC" 200 "connect again"
use_project beta
b down
expect_rc 0
expect_contains "$(progress)" "has active endpoints" "down's warning"
[[ $(progress) =~ Network\ beta_back\ +Removed ]] && fail "down claims to have removed the network"
ps_json -a
expect_eq "$(ps_count)" 0 "beta's containers after down"
api GET /v1/networks/beta_back
expect_eq "$RC" 200 "the network after down"
ip link show dev "$link" >/dev/null 2>&1 || fail "the bridge $link went away with down"
use_project alpha
addr2=$(inner_addr a eth1)
expect_match "$addr2" '^172\.31\.88\.[0-9]+/24$' "a's eth1 address after the other project's down"

t "the network goes when the other container goes"
b_ok down
use_project beta
b down
expect_rc 0
expect_match "$(progress)" "Network beta_back +Removed" "the second down removes the network"
api GET /v1/networks/beta_back
expect_eq "$RC" 404 "the network after the second down"
ip link show dev "$link" >/dev/null 2>&1 && fail "the bridge $link remains"
nft list table inet berth >/dev/null 2>&1 && fail "berth's nft table remains with no network"

finish
