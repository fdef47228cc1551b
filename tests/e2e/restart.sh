# Restart policies as dockerd carries them out: on-failure:N restarts exactly N times, `no` never,
# `always` comes back after its process dies while berthd is down, unless-stopped stays stopped
# after a `stop` across a berthd restart; `die` arrives promptly; a stop that needs SIGKILL says
# so.
source "$(dirname "$0")/lib.bash"

project rp <<'YAML'
services:
  flaky:
    image: busybox:latest
    network_mode: none
    restart: on-failure:3
    command: ["sh", "-c", "exit 1"]
  never:
    image: busybox:latest
    network_mode: none
    restart: "no"
    command: ["sh", "-c", "exit 1"]
  keeper:
    image: busybox:latest
    network_mode: none
    init: true
    restart: always
    command: ["sleep", "1000"]
  tenant:
    image: busybox:latest
    network_mode: none
    init: true
    restart: unless-stopped
    command: ["sleep", "1000"]
  looper:
    image: busybox:latest
    network_mode: none
    restart: always
    command: ["sh", "-c", "exit 1"]
  deployed:
    image: busybox:latest
    network_mode: none
    restart: always
    deploy:
      restart_policy:
        condition: on-failure
        max_attempts: 1
        delay: 5s
    command: ["sh", "-c", "exit 3"]
YAML

# Every event berthd has recorded so far, one JSON object a line.
all_events() {
    curl -s --max-time 10 --unix-socket "$SOCK" \
        "http://berthd/v1/events?since=1&until=$(date +%s.%N)" 2>/dev/null || true
}
# count ACTION ID: how many ACTION events container ID has had.
count() { all_events | jq -r --arg id "$2" --arg a "$1" 'select(.id == $id and .action == $a) | .id' | wc -l; }
# starts_are N ID (for wait_until)
starts_are() { (($(count start "$2") == $1)); }
running_pid() { container_pid "$1"; }

t "up"
bg_start events events --json
events=$BG
b_ok up -d
flaky=$(container_id flaky)
never=$(container_id never)
keeper=$(container_id keeper)
tenant=$(container_id tenant)
[[ -n $flaky && -n $never && -n $keeper && -n $tenant ]] || fail "a service has no container"

t "on-failure:3 restarts exactly three times"
# 1 + 3 starts take 100 + 200 + 400 ms of backoff.
wait_until 20 starts_are 4 "$flaky" || fail "flaky: $(count start "$flaky") starts, want 4"
wait_until 10 state_is flaky exited || fail "flaky did not settle exited"
# A fourth restart would come 800 ms after the fourth exit: look for twice as long.
deadline=$((SECONDS + 2))
while ((SECONDS < deadline)); do
    (($(count start "$flaky") == 4)) || break
    sleep 0.2
done
expect_eq "$(count start "$flaky")" 4 "flaky's starts after it settled"
expect_eq "$(count die "$flaky")" 4 "flaky's dies"
ps_json -a
expect_eq "$(ps_field flaky RestartCount)" 3 "flaky's RestartCount"
expect_eq "$(ps_field never RestartCount)" 0 "never's RestartCount"

t "deploy.restart_policy wins over restart"
deployed=$(container_id deployed)
wait_until 10 starts_are 2 "$deployed" || fail "deployed: $(count start "$deployed") starts, want 2"
wait_until 10 state_is deployed exited || fail "deployed did not settle exited"

t "restart: no stays exited"
expect_eq "$(count start "$never")" 1 "never's starts"
wait_until 10 state_is never exited || fail "never is not exited"

t "die arrives promptly and always restarts"
pid=$(running_pid "$keeper")
[[ -n $pid ]] || fail "keeper has no PID 1"
# The stream is live: it has shown flaky's restarts.
expect_contains "$(cat "$T/events.out")" "$flaky" "the events stream"
streamed_dies() { jq -r --arg id "$keeper" 'select(.id == $id and .action == "die") | .id' "$T/events.out" | wc -l; }
before=$(streamed_dies)
t0=$(date +%s%N)
kill -KILL "$pid"
until (($(streamed_dies) > before)) || (($(date +%s%N) - t0 > 5000000000)); do sleep 0.01; done
ms=$((($(date +%s%N) - t0) / 1000000))
(($(streamed_dies) > before)) || fail "no die for keeper in the events stream after kill"
die_time=$(jq -r --arg id "$keeper" 'select(.id == $id and .action == "die") | .time' "$T/events.out" | tail -n 1)
[[ -n $die_time ]] && echo "die published $(((${die_time:+$(date -d "$die_time" +%s%N)} - t0) / 1000000)) ms after the kill"
echo "die seen ${ms} ms after the kill"
((ms < 1000)) || fail "die came ${ms} ms after the kill (want < 1000)"
wait_until 10 eval '[[ -n $(running_pid "$keeper") && $(running_pid "$keeper") != "$pid" ]]' ||
    fail "keeper was not restarted"
wait_until 10 state_is keeper running || fail "keeper is not running after its restart"

t "unless-stopped after a stop"
b_ok stop tenant
wait_until 10 state_is tenant exited || fail "tenant did not stop"

t "always comes back after dying while berthd is down"
pid=$(running_pid "$keeper")
crash_daemon
kill -KILL "$pid"
d=$(container_dir "$keeper")
wait_until 10 test -e "$d/exit.json" || fail "keeper's monitor wrote no exit record"
start_daemon
wait_until 10 state_is keeper running || fail "keeper is not running after berthd's restart"

t "unless-stopped stays stopped across a berthd restart"
stop_daemon
start_daemon
tenant_starts=$(count start "$tenant")
deadline=$((SECONDS + 1))
while ((SECONDS < deadline)); do sleep 0.2; done
expect_eq "$(count start "$tenant")" "$tenant_starts" "tenant's starts after the restart"
wait_until 5 state_is tenant exited || fail "tenant is not exited after berthd's restart"
expect_eq "$(count start "$flaky")" 4 "flaky's starts after berthd's restart (count used up)"
expect_eq "$(count start "$never")" 1 "never's starts after berthd's restart"

t "a user start resets, a user stop cancels"
b_ok stop keeper
keeper_starts=$(count start "$keeper")
deadline=$((SECONDS + 1))
while ((SECONDS < deadline)); do sleep 0.2; done
wait_until 5 state_is keeper exited || fail "keeper came back after a stop"
expect_eq "$(count start "$keeper")" "$keeper_starts" "keeper's starts after a stop"
b_ok start keeper
wait_until 10 state_is keeper running || fail "keeper did not start"

t "kill by the user cancels always (dockerd's rule for SIGKILL)"
b_ok kill keeper
wait_until 10 state_is keeper exited || fail "keeper did not die of kill"
keeper_starts=$(count start "$keeper")
deadline=$((SECONDS + 1))
while ((SECONDS < deadline)); do sleep 0.2; done
expect_eq "$(count start "$keeper")" "$keeper_starts" "keeper's starts after kill"
state_is keeper exited || fail "keeper came back after kill"

t "down ends a crash loop"
looper=$(container_id looper)
(($(count start "$looper") > 1)) || fail "looper was not restarted"
b_ok down -t 0
expect_eq "$(n_containers)" 0 "container folders after down"
expect_no_trace "$looper" "looper after down"
bg_stop "$events"

t "a bad policy stops up before anything is made"
project bad <<'YAML'
services:
  a:
    image: busybox:latest
    network_mode: none
    command: ["sleep", "1000"]
  b:
    image: busybox:latest
    network_mode: none
    restart: always:3
    command: ["sleep", "1000"]
YAML
b up -d
expect_fail
expect_contains "$ERR" "maximum retry count can only be used with 'on-failure'" "up's error"
ps_json -a
expect_eq "$(ps_count)" 0 "containers after the refused up"
finish
