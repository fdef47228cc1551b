# One service through its life: logs (-f, --tail, -t, --no-log-prefix), exec and its flags, run
# (--rm, -d --name), stop/start/restart, kill -s, pause/unpause, top, wait, rm.
source "$(dirname "$0")/lib.bash"

project lc <<'YAML'
services:
  app:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sh", "-c", "trap 'echo got USR1' USR1; echo app started; while :; do sleep 1000 & wait $$!; done"]
  ticker:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sh", "-c", "i=0; while :; do i=$$((i+1)); echo tick $$i; sleep 0.2; done"]
  quick:
    image: busybox:latest
    network_mode: none
    command: ["sh", "-c", "echo quick ran; sleep 1; exit 7"]
YAML

# The state file's PID 1 and its start time, as "pid:start".
pid1_of() {
    local id pid
    id=$(container_id "$1")
    pid=$(container_pid "$id")
    echo "$pid:$(start_time "${pid:-0}")"
}
cgroup_of() { json_file_field "$(container_dir "$(container_id "$1")")/state.json" cgroup; }

t "up"
b_ok up -d
wait_until 20 eval 'berth logs app | grep -q "app started"' || fail "app's first line never showed in logs"
app_id=$(container_id app)
track_monitors

t "logs"
wait_until 20 eval '[[ $(berth logs --no-log-prefix ticker | grep -c tick) -ge 3 ]]' ||
    fail "the ticker did not log three lines"
b_ok logs --tail 1 --no-log-prefix ticker
expect_match "$OUT" '^tick [0-9]+$' "logs --tail 1 gives exactly one line"
b_ok logs -t ticker
expect_match "$(head -n 1 <<<"$OUT")" '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}.* tick 1$' \
    "logs -t puts an RFC 3339 time before the line"
b_ok logs app
expect_lacks "$OUT" "tick" "logs app shows only app's lines"

t "logs -f"
bg_start follow logs -f --no-log-prefix ticker
follow=$BG
wait_until 20 eval '[[ -n $(last_tick "$(<"$T/follow.out")") ]]' || fail "logs -f printed no tick"
seen=$(last_tick "$(<"$T/follow.out")")
wait_until 20 eval '(( $(last_tick "$(<"$T/follow.out")") >= ${seen:-0} + 3 ))' ||
    fail "logs -f did not show lines written after it started (last seen: tick $seen)"
alive "$follow" || fail "logs -f ended while its container runs"
bg_stop "$follow"

t "exec"
b exec -T app sh -c 'exit 3'
expect_rc 3
b_ok exec -T app sh -c 'echo out; echo err >&2'
expect_eq "$OUT" out "exec's stdout"
expect_eq "$ERR" err "exec's stderr"
b_ok exec -T -e GREETING=bonjour app sh -c 'echo $GREETING'
expect_eq "$OUT" bonjour "exec -e"
b_ok exec -T -u 1000 app id -u
expect_eq "$OUT" 1000 "exec -u 1000"
b_ok exec -T -u app app id -un
expect_eq "$OUT" app "exec -u app"
b_ok exec -T -w /tmp app pwd
expect_eq "$OUT" /tmp "exec -w"
b exec -T app no-such-command
expect_fail
b exec -T nosuchservice true
expect_fail
expect_contains "$ERR" "nosuchservice" "exec into an unknown service names it"

t "top"
b_ok top app
expect_contains "$OUT" "sleep 1000" "top lists the service's processes"

t "run --rm"
before=$(n_containers)
b_ok run --rm app echo hi
expect_eq "$(tail -n 1 <<<"$OUT")" hi "run --rm's output"
expect_eq "$(n_containers)" "$before" "container folders after run --rm"
b run --rm app sh -c 'exit 5'
expect_rc 5

t "run -d --name"
b_ok run -d --name lc-oneoff app sleep 1000
expect_eq "$(n_containers)" $((before + 1)) "container folders after run -d"
expect_contains "$OUT" "lc-oneoff" "run -d prints the container's name"
ps_json -a
oneoff=$(jq -r 'select(.Name == "lc-oneoff") | .ID' <<<"$PS")
if [[ -n $oneoff ]]; then
    expect_eq "$(jq -r 'select(.Name == "lc-oneoff") | .State' <<<"$PS")" running "the one-off's State"
fi
track_monitors

t "stop, start"
b_ok stop app
expect_match "$(progress)" "Container lc-app-1 +Stopped" "stop's progress"
ps_json -a
expect_eq "$(ps_field app State)" exited "State after stop"
b_ok start app
expect_match "$(progress)" "Container lc-app-1 +Started" "start's progress"
ps_json
expect_eq "$(ps_field app State)" running "State after start"
expect_eq "$(ps_field app ID)" "$app_id" "start keeps the container"

t "restart"
wait_until 20 eval '[[ $(pid1_of app) == *:[0-9]* ]]' || fail "app's PID 1 is unknown"
p1=$(pid1_of app)
b_ok restart app
ps_json
expect_eq "$(ps_field app State)" running "State after restart"
p2=$(pid1_of app)
expect_ne "$p2" "$p1" "PID 1 (pid:start time) after restart"
expect_match "$p2" '^[0-9]+:[0-9]+$' "PID 1 after restart runs"
track_monitors

t "kill -s SIGUSR1"
wait_until 20 eval '[[ $(berth logs app | grep -c "app started") -ge 3 ]]' ||
    fail "app did not log its start after the restart"
b_ok kill -s SIGUSR1 app
wait_until 20 eval 'berth logs app | grep -q "got USR1"' || fail "the signal did not reach the process"
ps_json
expect_eq "$(ps_field app State)" running "State after kill -s SIGUSR1"

t "pause, unpause"
b_ok pause ticker
ps_json
expect_eq "$(ps_field ticker State)" paused "State after pause"
cg=$(cgroup_of ticker)
frozen=
if [[ -n $cg && -e /sys/fs/cgroup/freezer/${cg#/}/freezer.state ]]; then
    frozen=$(<"/sys/fs/cgroup/freezer/${cg#/}/freezer.state")
elif [[ -n $cg && -e /sys/fs/cgroup/${cg#/}/cgroup.freeze ]]; then
    [[ $(<"/sys/fs/cgroup/${cg#/}/cgroup.freeze") == 1 ]] && frozen=FROZEN
fi
expect_eq "$frozen" FROZEN "the ticker's freezer state (cgroup $cg)"
b_ok logs --no-log-prefix ticker
paused_tick=$(last_tick "$OUT")
b_ok unpause ticker
ps_json
expect_eq "$(ps_field ticker State)" running "State after unpause"
if [[ -n $cg && -e /sys/fs/cgroup/freezer/${cg#/}/freezer.state ]]; then
    expect_eq "$(<"/sys/fs/cgroup/freezer/${cg#/}/freezer.state")" THAWED "the freezer state after unpause"
fi
wait_until 20 eval '(( $(last_tick "$(berth logs --no-log-prefix ticker)") > ${paused_tick:-0} + 1 ))' ||
    fail "the ticker did not tick again after unpause"

t "wait, exited state, rm"
b wait quick
expect_rc 7  # docker compose wait exits with the container's status
ps_json -a
expect_eq "$(ps_field quick State)" exited "quick's State"
expect_eq "$(ps_field quick ExitCode)" 7 "quick's ExitCode"
quick_id=$(ps_field quick ID)
b_ok rm -f quick
ps_json -a
expect_eq "$(ps_field quick ID)" "" "quick after rm"
expect_no_trace "$quick_id" "quick after rm"

t "down removes the one-off"
b_ok down
expect_eq "$(n_containers)" 0 "container folders after down"
expect_no_trace "$app_id" "app after down"
expect_no_trace "$oneoff" "the one-off after down"

finish
