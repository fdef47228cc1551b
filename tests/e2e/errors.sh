# What fails, fails clearly and leaves nothing: a named volume (not supported yet), a network
# driver berth does not run, a compose syntax error (file:line:col, nothing sent to the daemon),
# an unknown service.
source "$(dirname "$0")/lib.bash"

# Nothing of a refused `up`: no container, no container folder, no network, no link.
expect_nothing_made() {
    ps_json -a
    expect_eq "$(ps_count)" 0 "containers"
    expect_eq "$(n_containers)" 0 "container folders"
    expect_eq "$(curl -s --unix-socket "$SOCK" http://berth/v1/networks)" "[]" "networks"
    local ip_links
    ip_links=$(ip -o link show | grep -v ' lo:' || true)
    expect_eq "$ip_links" "" "links in the test's network namespace"
}

t "a volume driver berth does not have"
project volumed <<'YAML'
services:
  web:
    image: busybox:latest
    command: ["sleep", "1000"]
    volumes: ["data:/data"]
  ok:
    image: busybox:latest
    command: ["sleep", "1000"]
volumes:
  data:
    driver: convoy
YAML
b up -d
expect_fail
expect_contains "$(progress)" 'driver "convoy" is not available' "the message names the driver"
expect_nothing_made
expect_eq "$(berth volume ls -q)" "" "no volume"

t "a network driver berth does not run"
project overlaid <<'YAML'
services:
  web:
    image: busybox:latest
    command: ["sleep", "1000"]
    networks: [back]
networks:
  back:
    driver: overlay
YAML
b up -d
expect_fail
expect_contains "$(progress)" 'driver "overlay" is not supported' "the message names the driver"
expect_nothing_made

t "a compose syntax error"
project broken <<'YAML'
services:
  web:
    image: busybox:latest
    command: ["sleep", "1000"
    network_mode: none
YAML
b up -d
expect_fail
expect_match "$(progress)" "compose\.yaml:[0-9]+:[0-9]+" "the message points at file:line:col"
# Before anything else asks the daemon about it (ps would name the project in a request).
if grep -q "broken" "$DAEMON_LOG"; then
    fail "the daemon's log mentions the project: $(grep broken "$DAEMON_LOG" | head -n 3)"
fi
b_ok ls -a
expect_lacks "$OUT" "broken" "the daemon knows no such project"
expect_eq "$(n_containers)" 0 "container folders"

t "an unknown service"
project known <<'YAML'
services:
  web:
    image: busybox:latest
    network_mode: none
    command: ["sleep", "1000"]
YAML
b up -d nosuchservice
expect_fail
expect_contains "$(progress)" "nosuchservice" "the message names the service"
ps_json -a
expect_eq "$(ps_count)" 0 "containers"
expect_eq "$(n_containers)" 0 "container folders"

t "the daemon still serves"
b_ok up -d web
ps_json
expect_eq "$(ps_field web State)" running "web's State"
b_ok down
expect_eq "$(n_containers)" 0 "container folders after down"

finish
