#!/usr/bin/env bash
# --init: PID 1 is a reaper, the command runs as pid 2, signals sent to PID 1 reach the command,
# orphans are reaped, and the command's exit status (or 128+signal) is the container's.
source "$(dirname "$0")/lib.bash"

t "the command runs as pid 2, below PID 1"
run_in --init -- /bin/sh -c 'echo $$; exec cat /proc/self/status'
expect_rc 0
expect_eq "${OUT%%$NL*}" 2 "\$\$ of the command"
expect_eq "$(status_field "$OUT" Pid)" 2 "Pid of the command"
expect_eq "$(status_field "$OUT" PPid)" 1 "PPid of the command"

t "PID 1 is not the command, and ps shows exactly init, the command and ps"
run_in --init -- /bin/sh -c 'ps -o pid,comm; true'
expect_rc 0
procs=$(tail -n +2 <<<"$OUT" | awk '{print $1 ":" $2}' | sort -n | tr '\n' ' ')
expect_match "$procs" '^1:[^ ]+ 2:sh [0-9]+:ps $' "processes seen by ps under --init"
expect_lacks "${procs%% *}" ":sh" "PID 1"

t "the reaper does not expose berth-run's binary to the container (CVE-2019-5736)"
# Unsafe is: PID 1 runs the host's berth-run file itself (not a copy such as a sealed memfd) and the
# container can open it through /proc/1/exe. Only read it: writing could overwrite berth-run.
rm -f "$T/shared"/*
start_bg --rootfs "$ROOTFS" --init --bind "$T/shared:/shared" -- /bin/sh -c '
    if head -c 1 /proc/1/exe >/dev/null 2>&1; then echo readable; else echo unreadable; fi > /shared/exe.tmp
    mv /shared/exe.tmp /shared/exe
    i=0
    while [ ! -e /shared/release ]; do
        i=$((i + 1)); [ $i -lt 1000 ] || exit 12
        sleep 0.02
    done'
if wait_for_file "$T/shared/exe"; then
    if pid1=$(container_pid1 "$BG"); then
        init_file=$(stat -L -c %d:%i "/proc/$pid1/exe" 2>&1 || true)
        if [[ $init_file == "$(stat -L -c %d:%i "$BERTH_RUN")" ]]; then
            expect_eq "$(<"$T/shared/exe")" unreadable "/proc/1/exe (the host's berth-run) seen from inside"
        fi
    else
        fail "no PID 1 of a new pid namespace appeared below berth-run ($BG)"
    fi
    touch "$T/shared/release"
    wait_bg
    expect_rc 0
fi

t "exit status: the command's, or 128+signal"
run_in --init -- /bin/sh -c 'exit 3'
expect_rc 3
# The command is not PID 1, so it can kill itself.
run_in --init -- /bin/sh -c 'kill -KILL $$'
expect_rc 137
run_in --init -- /bin/sh -c 'kill -TERM $$'
expect_rc 143

t "SIGTERM sent from the host to PID 1 reaches the command"
rm -f "$T/shared"/*
start_bg --rootfs "$ROOTFS" --init --bind "$T/shared:/shared" -- /bin/sh -c '
    trap "echo got-term > /shared/term; exit 42" TERM
    echo $$ > /shared/pid
    touch /shared/ready
    sleep 20 &
    wait
    exit 5'
if wait_for_file "$T/shared/ready"; then
    if pid1=$(container_pid1 "$BG"); then
        kill -TERM "$pid1"
    else
        fail "no PID 1 of a new pid namespace appeared below berth-run ($BG)"
    fi
    wait_bg
    expect_rc 42
    expect_eq "$(cat "$T/shared/pid" 2>&1)" 2 "pid of the command"
    expect_eq "$(cat "$T/shared/term" 2>&1)" got-term "the command's trap"
fi

t "other catchable signals are forwarded too (SIGUSR1, SIGHUP)"
for sig in USR1 HUP; do
    rm -f "$T/shared"/*
    start_bg --rootfs "$ROOTFS" --init --bind "$T/shared:/shared" -- /bin/sh -c "
        trap 'exit 43' $sig
        touch /shared/ready
        sleep 20 &
        wait
        exit 5"
    if wait_for_file "$T/shared/ready"; then
        if pid1=$(container_pid1 "$BG"); then
            kill "-$sig" "$pid1"
        else
            fail "no PID 1 of a new pid namespace appeared below berth-run ($BG)"
        fi
        wait_bg
        expect_rc 43
    fi
done

t "orphans are reaped"
# The subshell exits at once, so its background sleep is re-parented to PID 1. Once the sleep ends
# it must disappear from /proc entirely, not linger as a zombie.
run_in --init -- /bin/sh -c '
    ( sleep 0.2 & echo $! > /tmp/orphan )
    orphan=$(cat /tmp/orphan)
    grep "^PPid:" /proc/$orphan/status 2>/dev/null | tr -d " \t"
    i=0
    while [ -e /proc/$orphan ] && [ $i -lt 250 ]; do sleep 0.02; i=$((i + 1)); done
    if [ -e /proc/$orphan ]; then echo "left: $(grep ^State: /proc/$orphan/status)"; else echo reaped; fi
    zombies=0
    for s in /proc/[0-9]*/stat; do
        read -r line < "$s" 2>/dev/null || continue
        case "${line##*) }" in Z*) zombies=$((zombies + 1));; esac
    done
    echo "zombies: $zombies"'
expect_rc 0
expect_eq "$OUT" $'PPid:1\nreaped\nzombies: 0' "the orphan's parent, its fate, and zombies left"

finish
