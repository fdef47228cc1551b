# berth's resolver on the project's bridge networks: names by service, container name, hostname,
# alias and short id, from busybox's own tools; scaled services; views limited to the asker's
# networks and project; network-scoped aliases; PTR; AAAA on an IPv6 network; restart and scale
# seen at once; the containers' resolv.conf and hosts files.
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/dns_helpers.bash"

project shop <<'YAML'
services:
  web:
    image: busybox:latest
    init: true
    hostname: webhost
    command: ["sh", "-c", "mkdir -p /srv && echo hello-from-web > /srv/index.html && exec httpd -f -p 80 -h /srv"]
    networks:
      front:
        aliases: [www]
  db:
    image: busybox:latest
    init: true
    command: ["sleep", "1000"]
    networks:
      back:
        aliases: [database]
  api:
    image: busybox:latest
    init: true
    command: ["sleep", "1000"]
    networks: [front, back]
    extra_hosts: ["host.docker.internal:host-gateway"]
  side:
    image: busybox:latest
    init: true
    command: ["sleep", "1000"]
    network_mode: service:api
  worker:
    image: busybox:latest
    init: true
    command: ["sleep", "1000"]
    networks: [back]
  v6:
    image: busybox:latest
    init: true
    command: ["sleep", "1000"]
    networks: [six]
networks:
  front:
    ipam:
      config:
        - subnet: 172.29.10.0/24
  back:
    ipam:
      config:
        - subnet: 172.29.11.0/24
  six:
    enable_ipv6: true
    ipam:
      config:
        - subnet: 172.29.12.0/24
        - subnet: fd00:29:12::/64
YAML

project other <<'YAML'
services:
  stranger:
    image: busybox:latest
    init: true
    command: ["sleep", "1000"]
YAML

# The gateway of a network (its resolver's address).
gateway() {
    api GET "/v1/networks/$1"
    jq -r '.IPAM.Config[0].Gateway' <<<"$OUT"
}
addr_of() {
    b_ok inspect "$1"
    jq -r --arg n "$2" '.[0].NetworkSettings.Networks[$n].IPAddress' <<<"$OUT"
}

t "up"
use_project other
b_ok up -d
use_project shop
b_ok up -d --scale worker=3
for s in web db api v6; do wait_until 20 state_is "$s" running || fail "$s is not running"; done
front_gw=$(gateway shop_front)
back_gw=$(gateway shop_back)
expect_match "$front_gw" '^172\.29\.10\.1$' "front's gateway"

t "resolv.conf and hosts"
b_ok exec -T api cat /etc/resolv.conf
# In interface order: a list of networks is taken by name, as compose does (back is eth0).
expect_match "$OUT" "^nameserver $back_gw${NL}nameserver $front_gw${NL}" "api's nameservers, in interface order"
expect_contains "$OUT" "options ndots:0" "ndots:0 so a service name is asked as it is"
b_ok exec -T api stat -c %a /etc/resolv.conf /etc/hosts
expect_eq "$OUT" "644${NL}644" "resolv.conf and hosts modes"
b_ok exec -T api cat /etc/hosts
expect_contains "$OUT" "localhost" "hosts has localhost"
expect_lacks "$OUT" "web" "hosts does not carry the other services"
expect_contains "$OUT" "$back_gw"$'\t'"host.docker.internal" "host-gateway is the first network's gateway"
b_ok exec -T --user 65534 api nslookup web
expect_contains "$OUT" "Address: $(addr_of shop-web-1 shop_front)" "a user other than root resolves"

t "a container in another's namespace uses that one's resolvers"
wait_until 20 state_is side running || fail "side is not running"
b_ok exec -T side cat /etc/resolv.conf
expect_match "$OUT" "^nameserver $back_gw${NL}nameserver $front_gw${NL}" "side's nameservers are api's"
b_ok exec -T side nslookup web
expect_contains "$OUT" "Address: $(addr_of shop-web-1 shop_front)" "side resolves web"

t "busybox nslookup and wget by service, container name, hostname and alias"
web_ip=$(addr_of shop-web-1 shop_front)
for name in web shop-web-1 webhost www; do
    b_ok exec -T api nslookup "$name"
    expect_contains "$OUT" "Address: $web_ip" "nslookup $name"
done
b_ok exec -T api timeout 5 wget -q -O - http://web/
expect_eq "$OUT" "hello-from-web" "wget http://web/"
b_ok exec -T api timeout 5 wget -q -O - http://www/
expect_eq "$OUT" "hello-from-web" "wget http://www/ (alias)"
web_id=$(container_id web)
out=$(ask api "$front_gw" "${web_id:0:12}")
expect_eq "$(answers "$out")" "$web_ip" "the short id"
out=$(ask api "$front_gw" "web.shop_front")
expect_eq "$(answers "$out")" "$web_ip" "<name>.<network>"

t "berth dns shows the resolver's table"
b_ok dns shop_front
expect_contains "$OUT" "RESOLVER $front_gw:53" "the resolver's address"
expect_match "$OUT" "${NL}www +$web_ip" "the alias row"
b_ok dns shop_back worker
expect_eq "$(wc -l <<<"$OUT")" 3 "worker's three addresses"
b dns shop_front db
expect_fail
expect_contains "$ERR" 'no name "db" on network shop_front' "a name the network does not have"

t "a scaled service answers every replica, in varying order"
out=$(ask api "$back_gw" worker)
expect_eq "$(answers "$out" | tr ',' '\n' | wc -l)" 3 "worker's addresses: $out"
orders=""
for _ in $(seq 12); do orders+="$(ask api "$back_gw" worker | sed -n 's/.*answers=//p')${NL}"; done
expect_ne "$(sort -u <<<"$orders" | sed '/^$/d' | wc -l)" 1 "the order of worker's addresses varies"

t "views: other networks and other projects are NXDOMAIN"
out=$(ask web "$front_gw" db)
expect_contains "$out" "rcode=3" "web (front only) does not see db (back)"
out=$(ask web "$front_gw" database)
expect_contains "$out" "rcode=3" "db's alias is scoped to back"
out=$(ask api "$back_gw" database)
expect_eq "$(answers "$out")" "$(addr_of shop-db-1 shop_back)" "api sees db's alias on back"
out=$(ask api "$front_gw" stranger)
expect_contains "$out" "rcode=3" "another project's service"
out=$(ask api "$front_gw" other-stranger-1)
expect_contains "$out" "rcode=3" "another project's container"
b exec -T api nslookup stranger
expect_lacks "$OUT" "Address: 172." "nslookup of another project's service finds nothing"

t "PTR and AAAA"
rev=$(awk -F. '{print $4"."$3"."$2"."$1".in-addr.arpa"}' <<<"$web_ip")
out=$(ask api "$front_gw" "$rev" --type PTR)
expect_eq "$(answers "$out")" "shop-web-1.shop_front" "PTR of web's address"
six_gw=$(gateway shop_six)
b_ok inspect shop-v6-1
v6_ip=$(jq -r '.[0].NetworkSettings.Networks.shop_six.GlobalIPv6Address' <<<"$OUT")
expect_match "$v6_ip" '^fd00:29:12::' "v6's IPv6 address"
out=$(ask v6 "$six_gw" v6 --type AAAA)
expect_eq "$(answers "$out")" "$v6_ip" "AAAA on the IPv6 network"
out=$(ask api "$front_gw" web --type AAAA)
expect_match "$out" "rcode=0 tc=0 answers=$" "AAAA of a name without IPv6 is NODATA"

t "restart: the new address at once"
before=$(addr_of shop-db-1 shop_back)
b_ok rm -s -f db
b_ok up -d db
after=$(addr_of shop-db-1 shop_back)
out=$(ask api "$back_gw" db)
expect_eq "$(answers "$out")" "$after" "db resolves to its new address right after up (was $before)"

t "a restarted daemon answers the same"
stop_daemon
start_daemon
out=$(ask api "$back_gw" db)
expect_eq "$(answers "$out")" "$after" "db after berthd restarted"
out=$(ask api "$back_gw" worker)
expect_eq "$(answers "$out" | tr ',' '\n' | wc -l)" 3 "worker's three replicas after berthd restarted"

t "scale down: the replicas go at once"
b_ok up -d --scale worker=1
out=$(ask api "$back_gw" worker)
expect_eq "$(answers "$out" | tr ',' '\n' | wc -l)" 1 "worker's addresses after scaling to 1: $out"
b_ok stop web
out=$(ask api "$front_gw" web)
expect_contains "$out" "rcode=3" "a stopped service"

t "down"
b_ok down
use_project other
b_ok down
finish
