# `berth network ...` and `berth port` against a private berthd: ls, create, inspect, rm, prune,
# connect and disconnect, and the published port of a service.
source "$(dirname "$0")/lib.bash"

project netcli <<'YAML'
services:
  web:
    image: busybox:latest
    init: true
    ports: ["8080:80"]
    command: ["sh", "-c", "exec sleep 1000"]
YAML

t "ls before anything"
b_ok network ls
expect_match "$(head -n1 <<<"$OUT")" '^NETWORK ID +NAME +DRIVER +SCOPE$' "ls header"

t "create"
b_ok network create nc_a
expect_match "$OUT" '^[0-9a-f]{64}$' "create prints the id"
id_a=$OUT
b_ok network create --subnet 10.231.0.0/24 --gateway 10.231.0.1 --label team=x nc_b
expect_match "$OUT" '^[0-9a-f]{64}$' "create with a subnet prints the id"
b network create nc_a
expect_rc 1
expect_eq "$ERR" "Error response from daemon: network with name nc_a already exists" "duplicate"
b network create --gateway 10.232.0.1 nc_bad
expect_rc 1
expect_contains "$ERR" "every ip-range or gateway must have a corresponding subnet" "gateway alone"
b network ls -q --no-trunc
expect_lacks "$OUT" "nc_bad" "a refused create leaves nothing"

t "ls"
b_ok network ls
expect_match "$OUT" "${id_a:0:12} +nc_a +bridge +local" "ls row"
b_ok network ls --no-trunc
expect_match "$OUT" "$id_a +nc_a" "ls --no-trunc"
b_ok network ls -q --no-trunc
expect_contains "$OUT" "$id_a" "ls -q --no-trunc"
b_ok network list -f name=nc_b --format '{{.Name}}'
expect_eq "$OUT" "nc_b" "ls -f name= with a template"
b_ok network ls -f label=team=x --format json
expect_match "$OUT" '"Name":"nc_b"' "ls --format json"
expect_lacks "$OUT" "nc_a" "the label filter"

t "inspect"
b_ok network inspect nc_b
expect_match "$(sed -n 2p <<<"$OUT")" '^    \{$' "inspect is indented by 4"
expect_contains "$OUT" '"Subnet": "10.231.0.0/24"' "inspect's subnet"
b_ok network inspect -f '{{.Name}} {{.Driver}} {{range .IPAM.Config}}{{.Gateway}}{{end}}' nc_b
expect_eq "$OUT" "nc_b bridge 10.231.0.1" "inspect -f"
b_ok network inspect -f '{{.Name}}' "${id_a:0:12}"
expect_eq "$OUT" "nc_a" "inspect by id prefix"
b network inspect -f '{{.Name}}' nc_a nope
expect_rc 1
expect_eq "$OUT" "nc_a" "inspect prints what it found"
expect_eq "$ERR" "Error response from daemon: network nope not found" "inspect of a missing one"

t "connect, port, disconnect"
b_ok up -d
b_ok port web 80
expect_eq "$OUT" "0.0.0.0:8080" "port"
b port web 81
expect_rc 1
expect_contains "$ERR" "no port 81/tcp for container netcli-web-1" "port not published"
b_ok network connect --alias extra nc_a netcli-web-1
b_ok network inspect -f '{{range .Containers}}{{.Name}}{{end}}' nc_a
expect_eq "$OUT" "netcli-web-1" "the container is on nc_a"
b network rm nc_a
expect_rc 1
expect_contains "$ERR" "has active endpoints" "rm of a network in use"
b_ok network disconnect nc_a netcli-web-1
b_ok network inspect -f '{{len .Containers}}' nc_a
expect_eq "$OUT" "0" "disconnected"
b_ok down

t "rm"
b network rm nc_a nope nc_b
expect_rc 1
expect_eq "$OUT" "nc_a${NL}nc_b" "rm goes on past a failure"
expect_eq "$ERR" "Error response from daemon: network nope not found" "rm of a missing one"
b_ok network rm -f nope
expect_eq "$OUT" "" "rm -f of a missing one"

t "prune"
b_ok network create nc_c
b_ok network create --label keep=1 nc_d
b_ok network prune -f --filter label=keep=1
expect_eq "$OUT" "Deleted Networks:${NL}nc_d" "prune with a label filter"
LAST_CMD="printf 'n\\n' | berth network prune"
RC=0
OUT=$(printf 'n\n' | berth network prune 2>"$T/.err") || RC=$?
expect_rc 0
expect_contains "$OUT" "Are you sure you want to continue? [y/N]" "prune asks"
expect_lacks "$OUT" "Deleted Networks:" "no means no"
LAST_CMD="printf 'y\\n' | berth network prune"
OUT=$(printf 'y\n' | berth network prune 2>"$T/.err") || RC=$?
expect_rc 0
expect_contains "$OUT" "Deleted Networks:${NL}" "yes prunes"
expect_contains "$OUT" "nc_c" "the unused network is pruned"
b_ok network ls --format '{{.Name}}'
expect_lacks "$OUT" "nc_c" "nc_c is gone"

finish
