# Networks leave nothing behind: after an up and down of a project with two networks, an
# internal one and published ports, 50 networks made and removed through the routes, and creates
# the routes refuse (overlap, gateway outside, a link that exists, no parent, a name taken), the
# host's links, addresses, routes (every table) and nftables ruleset are exactly what they were
# before (the host's own link, bridge and firewall table included), and no namespace pin remains.
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/net_helpers.bash"

# snapshot NAME: the host's network state into $T/NAME.*. ifindex-free sorting is not needed:
# what is left at the end must be what was there at the start, indexes included.
snapshot() {
    ip -j link show | jq -S . >"$T/$1.link"
    ip -j addr show | jq -S . >"$T/$1.addr"
    ip -j route show table all | jq -S . >"$T/$1.route"
    ip -j -6 route show table all | jq -S . >"$T/$1.route6"
    nft -j list ruleset | jq -S . >"$T/$1.nft"
}

# same_as_before: a new snapshot "after" equals "before" in every part.
same_as_before() {
    local part
    snapshot after
    for part in link addr route route6 nft; do
        cmp -s "$T/before.$part" "$T/after.$part" || return 1
    done
}

# expect_same_as_before WHAT: every part of the snapshot "after" equals "before" (within a
# deadline: a link removed may be deleted by the kernel a moment after the reply); prints the
# diff.
expect_same_as_before() {
    wait_until 10 same_as_before || true
    local part d
    for part in link addr route route6 nft; do
        if ! d=$(diff -u "$T/before.$part" "$T/after.$part"); then
            fail "$1: $part differs from before:$NL$d"
        fi
    done
    local pins
    pins=$(find "$EXEC_ROOT/netns" -mindepth 1 2>/dev/null || true)
    expect_eq "$pins" "" "$1: namespace pins under the run root"
    pins=$(grep -F -- "$EXEC_ROOT/netns" /proc/self/mountinfo || true)
    expect_eq "$pins" "" "$1: namespace mounts"
}

# The host has things of its own berth must leave alone: a link to another host with its address
# and route, a bridge, and a firewall table with a rule.
other_host_start
ip link add br-host type bridge
ip link set br-host up
nft -f - <<'NFT'
table inet hostfw {
    chain input {
        type filter hook input priority 0; policy accept;
        tcp dport 9999 drop
    }
}
NFT
# IPv6 duplicate address detection changes the new links' addresses and routes by itself a moment
# later: let it finish first.
wait_until 15 eval '[[ -z $(ip -6 addr show tentative) ]]' ||
    fail "addresses still tentative: $(ip -6 addr show tentative)"
snapshot before

project nc <<'YAML'
services:
  web:
    image: busybox:latest
    init: true
    networks: [front, back]
    command: ["nc", "-ll", "-p", "7000", "-e", "echo", "web"]
    ports:
      - "18400:7000"
      - "18401:7001/udp"
      - "18402-18403:7002-7003"
      - "127.0.0.1:18404:7000"
      - "7000"
  db:
    image: busybox:latest
    init: true
    networks: [back]
    command: ["sleep", "1000"]
  vault:
    image: busybox:latest
    init: true
    networks: [inner]
    command: ["sleep", "1000"]
networks:
  front: {}
  back:
    driver_opts:
      com.docker.network.bridge.name: br-nc-back
  inner:
    internal: true
YAML

t "up makes links, addresses, routes and rules"
b_ok up -d
ps_json
expect_eq "$(ps_count)" 3 "running containers"
# The test below is only worth something if up changed what it compares.
snapshot up
for part in link addr route nft; do
    cmp -s "$T/before.$part" "$T/up.$part" && fail "up changed nothing in $part"
done
expect_contains "$(ip -o link show)" "br-nc-back" "the bridge named by driver_opts"
wait_until 20 listening "$(ctr_sandbox nc-web-1)" 7000 || fail "web's server does not listen"
send tcp 127.0.0.1 18400
expect_eq "$SENT" web "the published port answers"

t "down puts everything back"
b_ok down
expect_match "$(progress)" "Network nc_inner +Removed" "down removes inner"
expect_same_as_before "after up and down"

t "50 networks made and removed through the routes"
made_bridge=0
for ((i = 0; i < 50; i++)); do
    case $((i % 3)) in
    0) body='{"Name":"cyc","Labels":{"k":"v"}}' ;;
    1) body='{"Name":"cyc","Internal":true}' ;;
    2) body='{"Name":"cyc","IPAM":{"Config":[{"Subnet":"10.99.'$i'.0/24","Gateway":"10.99.'$i'.1"}]},"Options":{"com.docker.network.bridge.name":"br-cyc"}}' ;;
    esac
    api POST /v1/networks "$body"
    if [[ $RC != 201 ]]; then
        fail "cycle $i: POST /v1/networks $body: status $RC"
        break
    fi
    id=$(jq -r .Id <<<"$OUT")
    if ((i == 2)); then
        ip -o link show br-cyc >/dev/null 2>&1 && made_bridge=1
        expect_contains "$(ip -o addr show dev br-cyc 2>&1)" "10.99.2.1/24" "cycle 2: the bridge's gateway address"
    fi
    api DELETE "/v1/networks/$id"
    if [[ $RC != 204 ]]; then
        fail "cycle $i: DELETE /v1/networks/$id: status $RC"
        break
    fi
done
expect_eq "$made_bridge" 1 "POST /v1/networks made the bridge"

t "refused creates make nothing"
api POST /v1/networks '{"Name":"keep","IPAM":{"Config":[{"Subnet":"10.98.0.0/24"}]}}'
expect_eq "$RC" 201 "POST keep"
keep_id=$(jq -r .Id <<<"$OUT")
for body in '{"Name":"bad1","IPAM":{"Config":[{"Subnet":"10.98.0.0/16"}]}}' \
    '{"Name":"bad2","IPAM":{"Config":[{"Subnet":"10.97.0.0/24","Gateway":"10.96.0.1"}]}}' \
    '{"Name":"bad3","Options":{"com.docker.network.bridge.name":"vtest-oh0"}}' \
    '{"Name":"bad4","Driver":"macvlan","Options":{"parent":"nope0"}}' \
    '{"Name":"keep"}'; do
    api POST /v1/networks "$body"
    expect_match "$RC" '^4[0-9][0-9]$' "POST $body is refused"
done
api DELETE "/v1/networks/$keep_id"
expect_eq "$RC" 204 "DELETE keep"
api GET /v1/networks
expect_eq "$(jq -c . <<<"$OUT")" "[]" "GET /v1/networks after the cycles"
expect_same_as_before "after 50 create/delete cycles"

finish
