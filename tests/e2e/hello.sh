# One service: up -d, ps, logs, down, and afterwards nothing of it remains on the host.
source "$(dirname "$0")/lib.bash"

project hello <<'YAML'
services:
  web:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sh", "-c", "echo hello from web; exec sleep 1000"]
YAML

t "up -d"
b_ok up -d
expect_contains "$(progress)" "Container hello-web-1" "up's progress names the container"
expect_match "$(progress)" "Container hello-web-1 +Started" "up's progress says Started"

t "ps"
ps_json
expect_eq "$(ps_count)" 1 "containers listed"
expect_eq "$(ps_field web State)" running "State"
expect_eq "$(ps_field web Service)" web "Service"
expect_eq "$(ps_field web Project)" hello "Project"
expect_eq "$(ps_field web Name)" hello-web-1 "Name"
expect_eq "$(ps_field web Image)" busybox:latest "Image"
expect_match "$(ps_field web ID)" '^[0-9a-f]{64}$' "ID"
id=$(ps_field web ID)
track_monitors
pid1=$(container_pid "$id")
[[ -n $pid1 ]] && alive "$pid1" || fail "the container's PID 1 ($pid1, from its state file) does not run"
b_ok ps -q
expect_eq "$OUT" "$id" "ps -q (the full id, as docker compose prints it)"

t "ls"
b_ok ls
expect_match "$OUT" "hello +running\(1\)" "ls"

t "logs"
wait_until 20 eval 'berth logs | grep -q "hello from web"' || true
b_ok logs
expect_contains "$OUT" "hello from web" "logs"
expect_match "$OUT" "web-1 +\| hello from web" "the prefix of each log line"
b_ok logs --no-log-prefix
expect_eq "$OUT" "hello from web" "logs --no-log-prefix"

t "down"
b_ok down
expect_match "$(progress)" "Container hello-web-1 +Removed" "down's progress says Removed"
ps_json -a
expect_eq "$(ps_count)" 0 "containers after down"
b_ok ls -a
expect_lacks "$OUT" "hello" "ls -a after down"
expect_no_trace "$id" "after down"
monitors=$(pgrep -a berth-monitor | grep -F -- "$T" || true)
[[ -z $monitors ]] || fail "berth-monitor processes remain: $monitors"
[[ -n $pid1 ]] && alive "$pid1" && fail "the container's PID 1 ($pid1) still runs"
left=$(find "$DATA_ROOT/containers" -mindepth 1 -maxdepth 1 2>/dev/null || true)
expect_eq "$left" "" "folders under data-root/containers"

t "down again"
b down
expect_rc 0

finish
