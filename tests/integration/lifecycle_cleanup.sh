#!/usr/bin/env bash
# Nothing is left behind: after rm (of an exited, a created, a running with -f, a paused with -f
# and a container whose cgroup has sub-cgroups), and after a start that failed, there is no cgroup
# berth/ID in any hierarchy, no mount under the container's folder, no monitor and no state folder.
source "$(dirname "$0")/ctr.bash"

# ctr_pid_gone PID WHAT: the container process PID ends within a few seconds.
ctr_pid_gone() {
    local deadline=$((SECONDS + 5))
    [[ $1 =~ ^[1-9][0-9]*$ ]] || return 0
    while alive "$1"; do
        if ((SECONDS >= deadline)); then
            fail "$2: the container's process $1 still runs"
            return 1
        fi
        sleep 0.02
    done
}

t "rm of an exited container"
id=$(cid exited)
run_ctr "$id" -- /bin/sh -c 'exit 3'
expect_rc 0
ctr wait "$id"
expect_eq "$OUT" 3 "wait: exit code"
ctr rm "$id"
expect_rc 0
expect_nothing_left "$id" "after rm of an exited container"

t "rm of a created, never started container"
id=$(cid created)
ctr create "$id" --rootfs "$ROOTFS" -- /bin/true
expect_rc 0
expect_eq "$(inspect_field "$id" status)" created "inspect status"
ctr rm "$id"
expect_rc 0
expect_nothing_left "$id" "after rm of a created container"

t "rm of a running container needs -f; rm -f removes it"
id=$(cid running)
run_ctr "$id" --init -- /bin/sleep 1000
expect_rc 0
if wait_status "$id" running; then
    pid=$(inspect_field "$id" pid)
    ctr rm "$id"
    expect_rc 1
    expect_contains "$ERR" "$id" "the refusal names the container"
    expect_eq "$(inspect_field "$id" status)" running "status after the refused rm"
    alive "$pid" || fail "the refused rm stopped the container's PID 1 ($pid)"
    ctr rm "$id" -f
    expect_rc 0
    ctr_pid_gone "$pid" "after rm -f of a running container" || true
    expect_nothing_left "$id" "after rm -f of a running container"
fi

t "rm -f of a paused container"
id=$(cid paused)
run_ctr "$id" -- /bin/sh -c 'sleep 1000 & sleep 1000 & wait'
expect_rc 0
if wait_status "$id" running; then
    pid=$(inspect_field "$id" pid)
    ctr pause "$id"
    expect_rc 0
    expect_eq "$(inspect_field "$id" status)" paused "inspect status"
    ctr rm "$id" -f
    expect_rc 0
    ctr_pid_gone "$pid" "after rm -f of a paused container" || true
    expect_nothing_left "$id" "after rm -f of a paused container"
fi

t "rm -f of a container whose cgroups have sub-cgroups"
id=$(cid nested)
run_ctr "$id" -- /bin/sleep 1000
expect_rc 0
if wait_status "$id" running; then
    pid=$(inspect_field "$id" pid)
    for d in $(cgroups_of "$id"); do
        mkdir -p "$d/sub/leaf" || fail "cannot make $d/sub/leaf"
    done
    ctr rm "$id" -f
    expect_rc 0
    ctr_pid_gone "$pid" "after rm -f" || true
    expect_nothing_left "$id" "after rm -f of a container with sub-cgroups"
fi

t "a start that fails (missing binary) leaves no cgroup and no mount"
id=$(cid missing)
run_ctr "$id" -- /no/such/binary
expect_rc 1
expect_contains "$ERR" /no/such/binary "the error names the missing binary"
expect_ne "$(inspect_field "$id" status)" running "status after the failed start"
expect_eq "$(cgroups_of "$id")" "" "cgroups left by the failed start"
expect_eq "$(ctr_mounts "$id")" "" "mounts left by the failed start"
for p in $(procs_naming "$id"); do
    alive "$p" && fail "process $p still runs after the failed start: $(tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline")"
done
ctr rm "$id" -f
expect_rc 0
expect_nothing_left "$id" "after rm -f of the container that failed to start"

t "a start that fails on a created container leaves no cgroup and no mount"
id=$(cid missing-start)
ctr create "$id" --rootfs "$ROOTFS" -- /no/such/binary
expect_rc 0
ctr start "$id"
expect_rc 1
expect_contains "$ERR" /no/such/binary "the error names the missing binary"
expect_eq "$(cgroups_of "$id")" "" "cgroups left by the failed start"
expect_eq "$(ctr_mounts "$id")" "" "mounts left by the failed start"
ctr rm "$id"
expect_rc 0
expect_nothing_left "$id" "after rm of the container that failed to start"

finish
