# berthd killed with SIGKILL, even in the middle of an `up`: containers go on running and logging,
# a restarted daemon re-adopts them, and a second `up` completes without duplicates.
source "$(dirname "$0")/lib.bash"

project small <<'YAML'
services:
  one:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sh", "-c", "i=0; while :; do i=$$((i+1)); echo tick $$i; sleep 0.2; done"]
  two:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sleep", "1000"]
YAML

{
    echo "services:"
    for i in $(seq 1 10); do
        printf '  s%s:\n    image: busybox:latest\n    network_mode: none\n    init: true\n' "$i"
        printf '    command: ["sleep", "1000"]\n'
        # A chain: containers start one after another, so the daemon dies with some made and
        # some not.
        ((i == 1)) || printf '    depends_on: [s%s]\n' $((i - 1))
    done
} | project big


t "up of the small project"
use_project small
b_ok up -d
ps_json
expect_eq "$(ps_count)" 2 "containers"
one_id=$(ps_field one ID)
two_id=$(ps_field two ID)
one_pid=$(container_pid "$one_id")
two_pid=$(container_pid "$two_id")
wait_until 20 eval '[[ -n $(berth logs --no-log-prefix one | last_tick) ]]' || fail "one logs no tick"
track_monitors

t "SIGKILL to berthd in the middle of up"
use_project big
bg_start bigup up -d
bigup=$BG
if ! wait_until 60 eval '(( $(n_containers) > 2 ))'; then
    fail "no container of the big project appeared within 60s"
fi
crash_daemon
made=$(($(n_containers) - 2))
echo "berthd killed with $made of 10 big containers made"
if ! wait_until 30 eval '! alive $bigup'; then
    fail "berth up did not end after its daemon died"
fi
bg_wait "$bigup"
if ((made < 10)); then
    expect_fail  # the client must not report success for an up that did not finish
fi

t "containers go on while berthd is down"
[[ -n $one_pid ]] && alive "$one_pid" || fail "one's PID 1 ($one_pid) died with the daemon"
[[ -n $two_pid ]] && alive "$two_pid" || fail "two's PID 1 ($two_pid) died with the daemon"
log_file=$(container_dir "$one_id" || true)/ctr.log
# The last tick in one's log file, read without the daemon.
log_ticks() { last_tick "$(cat "$log_file" 2>/dev/null || true)"; }
before=$(log_ticks)
if [[ -z $before ]]; then
    fail "one's log file $log_file holds no tick"
    before=0
fi
wait_until 20 eval '(( $(log_ticks) >= before + 5 ))' ||
    fail "one's log did not grow while the daemon was down (last tick $before)"
down_tick=$(log_ticks)

t "restart berthd"
start_daemon
use_project small
ps_json
expect_eq "$(ps_count)" 2 "small's running containers after the restart"
expect_eq "$(ps_field one ID)" "$one_id" "one's ID"
expect_eq "$(ps_field two ID)" "$two_id" "two's ID"
expect_eq "$(ps_field one State)" running "one's State"
expect_eq "$(ps_field two State)" running "two's State"
b_ok logs --no-log-prefix one
expect_contains "$OUT$NL" "tick $down_tick$NL" "logs include lines written while the daemon was down"
wait_until 20 eval '(( $(berth logs --no-log-prefix one | last_tick) > down_tick ))' ||
    fail "logs do not go on after the restart"
b_ok up -d
expect_lacks "$(progress)" "Recreate" "up after the restart recreates nothing"
ps_json -a
expect_eq "$(ps_field one ID)" "$one_id" "one's ID after up"
expect_eq "$(ps_count)" 2 "small's containers after up"

t "second up of the big project"
use_project big
ps_json -a
expect_eq "$(jq -r .Service <<<"$PS" | sort | uniq -d)" "" "services with more than one container after the restart"
b_ok up -d
ps_json -a
expect_eq "$(ps_count)" 10 "big's containers"
expect_eq "$(jq -r .Service <<<"$PS" | sort | uniq -d)" "" "services with more than one container"
expect_eq "$(jq -r 'select(.State == "running") | .Service' <<<"$PS" | sort -V | tr '\n' ' ')" \
    "s1 s2 s3 s4 s5 s6 s7 s8 s9 s10 " "running services"
expect_eq "$(n_containers)" 12 "container folders in the data root"

t "down"
b_ok down
use_project small
b_ok down
expect_eq "$(n_containers)" 0 "container folders after down"
expect_no_trace "$one_id" "one after down"

finish
