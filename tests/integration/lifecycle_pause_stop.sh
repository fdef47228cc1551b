#!/usr/bin/env bash
# pause/unpause with the freezer, stop with its grace period and escalation to SIGKILL, --init
# forwarding the stop signal, and kill's unknown-signal error.
source "$(dirname "$0")/ctr.bash"

# elapsed_ms START_US: milliseconds since START_US.
elapsed_ms() { echo $((($(now_us) - $1) / 1000)); }

count_of() { cat "$1/count" 2>/dev/null || echo "<no count>"; }

# wait_count_above DIR N [SECONDS]: polls until DIR/count holds a number above N.
wait_count_above() {
    local deadline=$((SECONDS + ${3:-10})) c
    while :; do
        c=$(count_of "$1")
        [[ $c =~ ^[0-9]+$ ]] && ((c > $2)) && return 0
        if ((SECONDS >= deadline)); then
            fail "the counter did not get above $2 within ${3:-10}s (it is [$c])"
            return 1
        fi
        sleep 0.02
    done
}

t "pause: a counter stops while paused, the state is \"paused\", and it advances after unpause"
id=$(cid pause)
s=$(shared_dir pause)
run_ctr "$id" --bind "$s:/s" -- /bin/sh -c '
    i=0
    while :; do
        i=$((i + 1))
        echo $i > /s/count.tmp
        mv /s/count.tmp /s/count
        usleep 10000
    done'
expect_rc 0
if wait_count_above "$s" 0 && wait_count_above "$s" "$(count_of "$s")"; then
    ctr pause "$id"
    expect_rc 0
    a=$(count_of "$s")
    expect_eq "$(inspect_field "$id" status)" paused "inspect status after pause"
    expect_eq "$(cat "$CG/freezer/berth/$id/freezer.state" 2>&1)" FROZEN "freezer.state of berth/$id"
    ctr ps
    expect_match "$OUT" "(^|$NL)$id +paused( |$)" "ps lists it as paused"
    start=$(now_us)
    while (($(now_us) - start < 600000)); do
        sleep 0.1
    done
    b=$(count_of "$s")
    expect_eq "$b" "$a" "the counter over $(elapsed_ms "$start") ms of pause"
    ctr unpause "$id"
    expect_rc 0
    expect_eq "$(inspect_field "$id" status)" running "inspect status after unpause"
    expect_eq "$(cat "$CG/freezer/berth/$id/freezer.state" 2>&1)" THAWED "freezer.state of berth/$id"
    wait_count_above "$s" "$b" 5 || true
fi
ctr rm "$id" -f
expect_rc 0

t "stop: a shell trapping SIGTERM stops in under 1 s with its own exit code"
id=$(cid stop-term)
s=$(shared_dir stop-term)
# The trap is set before "ready": PID 1 ignores signals it has no handler for.
run_ctr "$id" --bind "$s:/s" -- /bin/sh -c "trap 'exit 42' TERM; touch /s/ready; while :; do sleep 0.1; done"
expect_rc 0
if wait_for_file "$s/ready"; then
    start=$(now_us)
    ctr stop "$id"
    took=$(elapsed_ms "$start")
    expect_rc 0
    echo "stop: a SIGTERM-trapping container stopped in $took ms"
    ((took < 1000)) || fail "stopping a SIGTERM-trapping container took $took ms"
    expect_lacks "$OUT" "killed after timeout" "stop's output"
    ctr wait "$id"
    expect_rc 0
    expect_eq "$OUT" 42 "wait: exit code"
    expect_eq "$(inspect_field "$id" status)" exited "inspect status"
    expect_eq "$(inspect_field "$id" exit_code)" 42 "inspect exit_code"
    expect_eq "$(inspect_field "$id" killed_after_timeout)" false "inspect killed_after_timeout"
fi
ctr rm "$id"
expect_rc 0

t "stop: a bare sleep as PID 1 (no init) with --stop-timeout 1 is SIGKILLed after ~1 s"
id=$(cid stop-sleep)
run_ctr "$id" --stop-timeout 1 -- /bin/sleep 1000
expect_rc 0
if wait_status "$id" running; then
    start=$(now_us)
    ctr stop "$id"
    took=$(elapsed_ms "$start")
    expect_rc 0
    ((took >= 900 && took < 3000)) || fail "stop of an unresponsive PID 1 with a 1 s grace took $took ms"
    expect_contains "$OUT" "$id: killed after timeout" "stop's output"
    ctr wait "$id"
    expect_eq "$OUT" 137 "wait: exit code"
    expect_eq "$(inspect_field "$id" exit_code)" 137 "inspect exit_code"
    expect_eq "$(inspect_field "$id" killed_after_timeout)" true "inspect killed_after_timeout"
fi
ctr rm "$id"
expect_rc 0

t "stop -t 1 overrides the default 10 s grace"
id=$(cid stop-t)
run_ctr "$id" -- /bin/sleep 1000
expect_rc 0
if wait_status "$id" running; then
    start=$(now_us)
    ctr stop "$id" -t 1
    took=$(elapsed_ms "$start")
    expect_rc 0
    ((took >= 900 && took < 3000)) || fail "stop -t 1 of an unresponsive PID 1 took $took ms"
    expect_contains "$OUT" "$id: killed after timeout" "stop's output"
    expect_eq "$(inspect_field "$id" exit_code)" 137 "inspect exit_code"
fi
ctr rm "$id"
expect_rc 0

t "stop: with --init the same sleep stops at once"
id=$(cid stop-init)
# The default 10 s grace: an init that does not forward SIGTERM would show as a 10 s stop.
run_ctr "$id" --init -- /bin/sleep 1000
expect_rc 0
if wait_status "$id" running; then
    start=$(now_us)
    ctr stop "$id"
    took=$(elapsed_ms "$start")
    expect_rc 0
    echo "stop: sleep under --init stopped in $took ms"
    ((took < 1000)) || fail "stop of sleep under --init took $took ms"
    expect_lacks "$OUT" "killed after timeout" "stop's output"
    ctr wait "$id"
    expect_eq "$OUT" 143 "wait: exit code (128 + SIGTERM)"
    expect_eq "$(inspect_field "$id" killed_after_timeout)" false "inspect killed_after_timeout"
fi
ctr rm "$id"
expect_rc 0

t "kill: an unknown signal is refused with the valid forms; a known one is delivered"
id=$(cid kill)
run_ctr "$id" -- /bin/sleep 1000
expect_rc 0
if wait_status "$id" running; then
    ctr kill "$id" -s FOO
    expect_rc 1
    expect_contains "$ERR" 'unknown signal "FOO": use a name such as TERM or KILL, or a number from 1 to 64' "kill -s FOO"
    ctr kill "$id" -s 65
    expect_rc 1
    expect_eq "$(inspect_field "$id" status)" running "status after the refused kills"
    ctr kill "$id" -s KILL
    expect_rc 0
    ctr wait "$id"
    expect_eq "$OUT" 137 "wait: exit code after kill -s KILL"
    expect_eq "$(inspect_field "$id" status)" exited "inspect status"
fi
ctr rm "$id"
expect_rc 0

finish
