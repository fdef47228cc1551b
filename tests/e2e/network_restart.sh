# berthd restarted under running containers: its nft table, published ports (answering and held)
# and the containers' links are as before; a table deleted by hand while berthd was down is made
# again; `down` afterwards removes everything.
source "$(dirname "$0")/lib.bash"

PORT=18080

project rst <<YAML
services:
  web:
    image: busybox:latest
    init: true
    command: ["nc", "-ll", "-p", "7000", "-e", "echo", "hello-from-web"]
    ports: ["$PORT:7000"]
  client:
    image: busybox:latest
    init: true
    command: ["sleep", "1000"]
YAML

# berth's table as JSON without rule handles (numbering is the kernel's, not berth's).
table_json() {
    nft -j list table inet berth 2>/dev/null |
        jq -cS '[.nftables[] | select(has("metainfo") | not)] | walk(if type == "object" then del(.handle) else . end)'
}
has_table() { nft list table inet berth >/dev/null 2>&1; }
# The published port answers from the host's loopback.
port_answers() {
    [[ $(timeout 3 busybox nc 127.0.0.1 "$PORT" </dev/null 2>/dev/null) == hello-from-web ]]
}
# The client reaches web's address on the project's network.
client_reaches() {
    [[ $(berth exec -T client timeout 3 nc "$1" 7000 </dev/null 2>/dev/null) == hello-from-web ]]
}
# Binding the published port from the test fails (something holds it).
port_held() {
    ! python3 -c 'import socket,sys; s=socket.socket(); s.bind(("0.0.0.0", int(sys.argv[1])))' \
        "$PORT" 2>/dev/null
}
# check_all WHEN: everything that must hold while the project runs and berthd answers.
check_all() {
    local when=$1
    has_table || fail "$when: no table inet berth"
    expect_eq "$(table_json)" "$before" "$when: berth's nft table"
    wait_until 10 port_answers || fail "$when: the published port $PORT does not answer on 127.0.0.1"
    wait_until 10 client_reaches "$web_ip" || fail "$when: the client does not reach web ($web_ip)"
    port_held || fail "$when: port $PORT can be bound by another program"
    expect_eq "$(ip -o link show type bridge | awk -F': ' '{print $2}' | sort | tr '\n' ' ')" \
        "$bridges" "$when: bridges"
    wait_until 10 client_reaches 172.31.90.20 ||
        fail "$when: the client does not reach web on the network connected by hand"
    b_ok inspect rst-web-1
    expect_eq "$(jq -r '.[0].NetworkSettings.Networks.rst_default.IPAddress' <<<"$OUT")" "$web_ip" \
        "$when: web's address in inspect"
    b_ok ps
    expect_contains "$OUT" "0.0.0.0:$PORT->7000/tcp" "$when: ps shows the published port"
}

t "up"
b_ok up -d
for s in web client; do wait_until 20 state_is "$s" running || fail "$s is not running"; done
b_ok inspect rst-web-1
web_ip=$(jq -r '.[0].NetworkSettings.Networks.rst_default.IPAddress' <<<"$OUT")
expect_match "$web_ip" '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$' "web's address"
api GET /v1/networks/rst_default
bridge=$(jq -r '.Options["com.docker.network.bridge.name"] // empty' <<<"$OUT")
expect_match "$bridge" '^[a-z0-9-]+$' "the project's bridge"
api POST /v1/networks '{"Name":"extra","IPAM":{"Config":[{"Subnet":"172.31.90.0/24"}]}}'
expect_eq "$RC" 201 "network create"
for c in web client; do
    addr=
    [[ $c == web ]] && addr=172.31.90.20
    api POST /v1/networks/extra/connect \
        "{\"Container\":\"rst-$c-1\",\"EndpointConfig\":{\"IPAMConfig\":{\"IPv4Address\":\"$addr\"}}}"
    expect_eq "$RC" 200 "connect $c to extra"
done
bridges=$(ip -o link show type bridge | awk -F': ' '{print $2}' | sort | tr '\n' ' ')
expect_match "$bridges" '^[a-z0-9-]+ [a-z0-9-]+ $' "two bridges"
before=$(table_json)
expect_contains "$before" "dnat" "the table DNATs the published port"
expect_contains "$before" "$PORT" "the table names the published port"
check_all "before the restart"

t "berthd stopped"
web_id=$(container_id web)
stop_daemon
port_answers || fail "the published port stopped answering while berthd is down"
state_file=$(container_dir "$web_id")/state.json
alive "$(json_file_field "$state_file" pid)" || fail "web stopped with berthd"

t "berthd started again"
start_daemon
check_all "after the restart"

t "the table deleted by hand while berthd is down"
crash_daemon
nft delete table inet berth
has_table && fail "the table is still there after nft delete"
port_answers && fail "the published port answers with no table"
start_daemon
check_all "after the restart with no table"

t "the bridge deleted by hand while berthd is down"
crash_daemon
ip link del "$bridge"
client_reaches "$web_ip" && fail "the client reaches web with no bridge"
start_daemon
check_all "after the restart with no bridge"
gw=$(berth exec -T client ip route show default 2>/dev/null | awk '{print $3}')
ip -o -4 addr show dev "$bridge" | grep -qF " $gw/" || fail "the bridge made again lacks the gateway $gw"

t "the published port taken by another program while berthd is down"
crash_daemon
python3 -c 'import socket,sys,time
s=socket.socket(); s.bind(("0.0.0.0", int(sys.argv[1]))); s.listen()
print("bound", flush=True); time.sleep(600)' "$PORT" >"$T/squat.out" 2>&1 &
squatter=$!
wait_until 10 file_has "$T/squat.out" bound || fail "the squatter did not bind port $PORT"
start_daemon
b_ok ps
expect_contains "$OUT" "rst-web-1" "ps answers with the port taken"
wait_until 10 file_has "$DAEMON_LOG" "port $PORT is already in use" ||
    fail "berthd's log does not warn of the port it could not hold"
kill "$squatter"
wait "$squatter" 2>/dev/null || true

t "down"
b_ok down
api GET /v1/networks/extra
expect_eq "$RC" 200 "the network made by hand after down"
expect_eq "$(jq -c '.Containers' <<<"$OUT")" "{}" "its containers after down"
api DELETE /v1/networks/extra
expect_eq "$RC" 204 "DELETE of the network made by hand"
has_table && fail "table inet berth remains after down: $(nft list table inet berth)"
expect_eq "$(ip -o link show type bridge)" "" "bridges after down"
expect_eq "$(ip -o link show type veth)" "" "veth links after down"
port_held && fail "port $PORT is still held after down"
port_answers && fail "the published port still answers after down"
left=$(find "$EXEC_ROOT/netns" -mindepth 1 2>/dev/null || true)
expect_eq "$left" "" "pinned namespaces after down"
nets=$(curl -s --unix-socket "$SOCK" http://berth/v1/networks | jq -r '.[].Name')
expect_eq "$nets" "" "networks after down"

finish
