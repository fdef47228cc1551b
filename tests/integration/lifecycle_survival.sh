#!/usr/bin/env bash
# The monitor outlives whatever started the container: after a SIGKILL of the starting process and
# its whole process group, the container runs on, its log keeps growing, and its exit is recorded.
source "$(dirname "$0")/ctr.bash"

# log_ticks ID: the highest "tick N" in the container's log files (0 when none).
log_ticks() {
    local n
    n=$(cat "$CTR_ROOT/$1"/ctr.log* 2>/dev/null | sed -n 's/.*"tick \([0-9][0-9]*\)\\n".*/\1/p' | sort -n | tail -n 1 || true)
    echo "${n:-0}"
}

# wait_ticks_above ID N [SECONDS]
wait_ticks_above() {
    local deadline=$((SECONDS + ${3:-10})) n
    while :; do
        n=$(log_ticks "$1")
        ((n > $2)) && return 0
        if ((SECONDS >= deadline)); then
            fail "the log of $1 did not get past tick $2 within ${3:-10}s (it is at $n)"
            return 1
        fi
        sleep 0.05
    done
}

t "kill -9 of the starting process group leaves the container running and logging"
id=$(cid survive)
s=$(shared_dir survive)
ctr create "$id" --rootfs "$ROOTFS" --log-max-size 0 --bind "$s:/s" -- /bin/sh -c '
    i=0
    while [ ! -e /s/end ]; do
        i=$((i + 1)); echo "tick $i"; usleep 50000
    done
    exit 23'
expect_rc 0
# Its own process group (setsid): the SIGKILL below goes to every process of its group, as a killed daemon's
# unit would. The monitor, started detached, is not one of them. The starting shell is not this
# script's child (the subshell around it exits at once), so its death is not reported here.
LAST_CMD="berth-ctr start $id (from a parent shell)"
(setsid bash -c 'echo $$ >"$4.pid"
    "$1" --root "$2" start "$3" >"$4.out" 2>"$4.err" </dev/null; echo $? >"$4.tmp"; mv "$4.tmp" "$4"
    exec sleep 1000' starter "$BERTH_CTR" "$CTR_ROOT" "$id" "$T/start.rc" </dev/null >/dev/null 2>&1 &)
if wait_for_file "$T/start.rc" "$CTR_TIMEOUT"; then
    starter=$(<"$T/start.rc.pid")
    LIVE[$starter]=1
    RC=$(<"$T/start.rc") OUT=$(<"$T/start.rc.out") ERR=$(<"$T/start.rc.err")
    expect_rc 0
    remember_monitor "$id"
    pid1=$(inspect_field "$id" pid)
    monitor=${MONITOR[$id]:-}
    expect_match "$monitor" '^[1-9][0-9]*$' "the monitor (parent of PID 1 $pid1)"
    if wait_ticks_above "$id" 2; then
        kill -KILL -- "-$starter" 2>/dev/null || fail "no process group $starter to kill"
        deadline=$((SECONDS + 10))
        while alive "$starter" && ((SECONDS < deadline)); do
            sleep 0.02
        done
        alive "$starter" && fail "the starting shell ($starter) survived SIGKILL"
        before=$(log_ticks "$id")
        wait_ticks_above "$id" $((before + 5)) || true
        expect_eq "$(inspect_field "$id" status)" running "inspect status after the kill"
        alive "$pid1" || fail "the container's PID 1 ($pid1) died with the starting process group"
        [[ -n $monitor ]] && { alive "$monitor" || fail "the monitor ($monitor) died with the starting process group"; }
        size1=$(cat "$CTR_ROOT/$id"/ctr.log* 2>/dev/null | wc -c || true)
        wait_ticks_above "$id" $(($(log_ticks "$id") + 5)) || true
        size2=$(cat "$CTR_ROOT/$id"/ctr.log* 2>/dev/null | wc -c || true)
        ((size2 > size1)) || fail "the log did not grow ($size1 then $size2 bytes)"

        t "the exit after the kill is recorded"
        touch "$s/end"
        if wait_status "$id" exited 20; then
            expect_eq "$(inspect_field "$id" exit_code)" 23 "inspect exit_code"
            expect_match "$(inspect_field "$id" finished_at)" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T' "inspect finished_at"
            ctr wait "$id"
            expect_rc 0
            expect_eq "$OUT" 23 "wait: exit code"
            last=$(log_ticks "$id")
            expect_eq "$(cat "$CTR_ROOT/$id"/ctr.log* | grep -c '"tick ' || true)" "$last" "ticks in the log (none lost)"
        fi
    fi
fi
ctr rm "$id" -f
expect_rc 0
expect_nothing_left "$id" "after rm -f"

finish
