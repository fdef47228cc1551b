#!/usr/bin/env bash
# The deadline watchdog of lib.bash's spawn/reap, with stand-ins for berth-run: a run that ends at
# once is never reported as hung, and a run that outlives its deadline is, and is killed with its
# children.
source "$(dirname "$0")/lib.bash"

STUBS=$T/stubs
mkdir -p "$STUBS"
printf '#!/bin/sh\nexit 3\n' >"$STUBS/quick"
cat >"$STUBS/stuck" <<'EOF'
#!/bin/sh
echo $$ >"$1"
sleep 1000 &
echo $! >"$1.child"
wait
EOF
chmod 0755 "$STUBS"/*

t "runs that end at once: each watchdog ends with its run"
# reap used to stop the watchdog with SIGTERM. bash drops a trapped signal that lands before a new
# subshell has reset the traps it inherited, so a watchdog still starting when its run had already
# ended slept to the deadline, and the run was reported as hung (status 124). Short runs back to
# back, the more so under load, open that window again and again.
BERTH_RUN=$STUBS/quick
RUN_TIMEOUT=10
for ((i = 0; i < 50; i++)); do
    run_raw
    if [[ $RC != 3 ]]; then
        fail "run $i: expected exit status 3, got $RC"
        break
    fi
done

t "a run that outlives its deadline is reported, and killed with its children"
BERTH_RUN=$STUBS/stuck
RUN_TIMEOUT=1
before=$FAILURES
run_raw "$T/stuck.pid" 2>"$T/stuck.report"
report=$(<"$T/stuck.report")
FAILURES=$before
expect_rc 124
expect_contains "$report" "did not finish within 1s" "the failure reported for the run"
expect_contains "$report" "pid $(<"$T/stuck.pid") " "where the run waited"
for pid in "$(<"$T/stuck.pid")" "$(<"$T/stuck.pid.child")"; do
    ! alive "$pid" || fail "process $pid of the run survived its deadline"
done

finish
