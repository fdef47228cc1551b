# What fails, fails clearly and leaves nothing: a bridge network (not supported yet), a compose
# syntax error (file:line:col, nothing sent to the daemon), an unknown service.
source "$(dirname "$0")/lib.bash"


t "a bridge network is not supported yet"
project bridged <<'YAML'
services:
  web:
    image: busybox:latest
    command: ["sleep", "1000"]
YAML
b up -d
expect_fail
expect_contains "$(progress)" "not supported yet" "the message for the default bridge network"
ps_json -a
expect_eq "$(ps_count)" 0 "containers"
expect_eq "$(n_containers)" 0 "container folders"
ip_links=$(ip -o link show | grep -v ' lo:' || true)
expect_eq "$ip_links" "" "links in the test's network namespace"

project bridged2 <<'YAML'
services:
  web:
    image: busybox:latest
    command: ["sleep", "1000"]
    networks: [back]
  ok:
    image: busybox:latest
    network_mode: none
    command: ["sleep", "1000"]
networks:
  back:
    driver: bridge
YAML
b up -d
expect_fail
expect_contains "$(progress)" "not supported yet" "the message for a declared bridge network"
ps_json -a
expect_eq "$(ps_count)" 0 "containers (the supported service is not started either)"
expect_eq "$(n_containers)" 0 "container folders"

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
