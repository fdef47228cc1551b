# What berth's resolver answers follows the containers as they change: health (a replica that
# fails its healthcheck leaves the service's answers and comes back when it passes again, unless
# the service opts out), network connect and disconnect (names and resolv.conf), compose links
# and network aliases (docker/compose's TestNetworkAliases), and 10,000 names on one network.
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/dns_helpers.bash"

# docker/compose e2e testdata/TestNetworkAliases/compose.yaml (Apache-2.0), on busybox httpd
# instead of nginx, beside the services of the other cases.
project live <<'YAML'
services:
  container1:
    image: busybox:latest
    init: true
    command: ["sleep", "1000"]
    links:
      - container2:container
  container2:
    image: busybox:latest
    init: true
    command: ["sh", "-c", "mkdir -p /srv && echo c2 > /srv/index.html && exec httpd -f -p 80 -h /srv"]
    networks:
      default:
        aliases:
          - alias-of-container2
  api:
    image: busybox:latest
    init: true
    command: ["sh", "-c", "touch /tmp/ok && exec sleep 1000"]
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ok"]
      interval: 1s
      timeout: 1s
      retries: 1
  sticky:
    image: busybox:latest
    init: true
    command: ["sh", "-c", "touch /tmp/ok && exec sleep 1000"]
    labels:
      berth.dns.health-aware: "false"
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ok"]
      interval: 1s
      timeout: 1s
      retries: 1
  loner:
    image: busybox:latest
    init: true
    command: ["sleep", "1000"]
    networks: [side]
networks:
  default:
    ipam:
      config:
        - subnet: 172.29.30.0/24
  side:
    ipam:
      config:
        - subnet: 172.29.31.0/24
YAML

count() { answers "$(ask container1 172.29.30.1 "$1")" | tr ',' '\n' | sed '/^$/d' | wc -l; }
healthy_count() {
    berth ps --format json "$1" 2>/dev/null | jq -s '[.[] | select(.Health == "healthy")] | length'
}
GW=172.29.30.1

t "up"
b_ok up -d --scale api=2
for s in container1 container2 loner; do wait_until 20 state_is "$s" running || fail "$s is not running"; done
wait_until 20 eval '[[ $(healthy_count api) == 2 ]]' || fail "api's replicas never became healthy"
wait_until 20 eval '[[ $(healthy_count sticky) == 1 ]]' || fail "sticky never became healthy"

t "links and network aliases (TestNetworkAliases)"
b_ok exec -T container1 timeout 5 wget -q -O - http://alias-of-container2/
expect_eq "$OUT" "c2" "the alias"
b_ok exec -T container1 timeout 5 wget -q -O - http://container/
expect_eq "$OUT" "c2" "the link's name"
out=$(ask container2 $GW container)
expect_match "$out" "rcode=[23] tc=0 answers=$" "a link's name is container1's alone"

t "health: an unhealthy replica leaves the answers and comes back"
expect_eq "$(count api)" 2 "both replicas while healthy"
b_ok exec -T --index 2 api rm /tmp/ok
wait_until 10 eval '[[ $(count api) == 1 ]]' || fail "the unhealthy replica is still answered"
b_ok inspect live-api-2
expect_eq "$(jq -r '.[0].State.Health.Status' <<<"$OUT")" unhealthy "replica 2 is unhealthy"
out=$(ask container1 $GW live-api-2)
expect_match "$(answers "$out")" '^172\.29\.30\.' "its own name still answers"
b_ok exec -T --index 2 api touch /tmp/ok
wait_until 10 eval '[[ $(count api) == 2 ]]' || fail "the replica did not come back when healthy"

t "health: the opt-out label keeps an unhealthy container answered"
b_ok exec -T sticky rm /tmp/ok
wait_until 10 eval '[[ $(berth ps --format json sticky | jq -r .Health) == unhealthy ]]' ||
    fail "sticky did not turn unhealthy"
expect_eq "$(count sticky)" 1 "sticky is still answered"

t "connect and disconnect"
out=$(ask loner 172.29.31.1 container2)
expect_contains "$out" "rcode=3" "loner does not see container2 before connect"
api POST /v1/networks/live_default/connect '{"Container":"live-loner-1"}'
expect_eq "$RC" 200 "connect"
out=$(ask loner $GW container2)
expect_match "$(answers "$out")" '^172\.29\.30\.' "loner sees container2 after connect"
out=$(ask container1 $GW loner)
expect_match "$(answers "$out")" '^172\.29\.30\.' "container1 sees loner after connect"
b_ok exec -T loner cat /etc/resolv.conf
expect_match "$OUT" "^nameserver 172\.29\.31\.1${NL}nameserver 172\.29\.30\.1${NL}" \
    "resolv.conf lists both gateways after connect"
api POST /v1/networks/live_default/disconnect '{"Container":"live-loner-1"}'
expect_eq "$RC" 200 "disconnect"
out=$(ask container1 $GW loner)
expect_contains "$out" "rcode=3" "loner is gone from default after disconnect"
b_ok exec -T loner cat /etc/resolv.conf
expect_match "$OUT" "^nameserver 172\.29\.31\.1${NL}options" "resolv.conf after disconnect"
# An edited resolv.conf is the user's: connect leaves it alone.
b_ok exec -T loner sh -c 'echo "nameserver 192.0.2.53" > /etc/resolv.conf'
api POST /v1/networks/live_default/connect '{"Container":"live-loner-1"}'
b_ok exec -T loner cat /etc/resolv.conf
expect_eq "$OUT" "nameserver 192.0.2.53" "the edited resolv.conf is kept"

t "10,000 names on one network"
{
    echo "services:"
    echo "  many:"
    echo "    image: busybox:latest"
    echo "    init: true"
    echo '    command: ["sleep", "1000"]'
    echo "    networks:"
    echo "      default:"
    echo "        aliases:"
    for i in $(seq 1 10000); do echo "          - name-$i"; done
    echo "  asker:"
    echo "    image: busybox:latest"
    echo "    init: true"
    echo '    command: ["sleep", "1000"]'
} >"$T/many.yaml"
mkdir -p "$T/projects/many" && mv "$T/many.yaml" "$T/projects/many/compose.yaml"
use_project many
b_ok up -d
wait_until 30 state_is many running || fail "many is not running"
wait_until 30 state_is asker running || fail "asker is not running"
many_ip=$(berth inspect many-many-1 | jq -r '.[0].NetworkSettings.Networks.many_default.IPAddress')
many_gw=$(berth inspect many-many-1 | jq -r '.[0].NetworkSettings.Networks.many_default.Gateway')
for i in 1 2 777 5000 9999 10000; do
    out=$(ask asker "$many_gw" "name-$i")
    expect_eq "$(answers "$out")" "$many_ip" "name-$i"
done
out=$(ask asker "$many_gw" name-10001)
expect_match "$out" "rcode=[23] tc=0 answers=$" "a name past the last"
b_ok down
use_project live

t "down"
b_ok down
finish
