#!/usr/bin/env bash
# exec into a running container: exit codes, env, user, workdir, detach, the container's
# namespaces and cgroup; top; exec refused while paused.
source "$(dirname "$0")/ctr.bash"

id=$(cid exec)
run_ctr "$id" --hostname exec-host -- /bin/sleep 1000
expect_rc 0
if ! wait_status "$id" running; then
    finish
fi

t "exit codes propagate"
ctr exec "$id" -- /bin/sh -c 'exit 7'
expect_rc 7
ctr exec "$id" -- /bin/true
expect_rc 0
ctr exec "$id" -- /bin/sh -c 'kill -KILL $$'
expect_rc 137

t "stdout and stderr are the command's, kept apart"
ctr exec "$id" -- /bin/sh -c 'echo to-out; echo to-err >&2'
expect_rc 0
expect_eq "$OUT" to-out "exec stdout"
expect_eq "$ERR" to-err "exec stderr"

t "-e sets the environment"
ctr exec "$id" -e FOO=bar -e "SPACED=a b" -- /bin/sh -c 'echo "$FOO|$SPACED"'
expect_rc 0
expect_eq "$OUT" "bar|a b" "FOO and SPACED inside"

t "-u 1000 runs as uid 1000"
ctr exec "$id" -u 1000 -- /bin/id -u
expect_rc 0
expect_eq "$OUT" 1000 "id -u"
ctr exec "$id" -- /bin/id -u
expect_rc 0
expect_eq "$OUT" 0 "id -u without -u"

t "-w /tmp sets the working folder"
ctr exec "$id" -w /tmp -- /bin/pwd
expect_rc 0
expect_eq "$OUT" /tmp "pwd"

t "the command is in the container's namespaces"
ctr exec "$id" -- /bin/hostname
expect_eq "$OUT" exec-host "hostname"
ctr exec "$id" -- /bin/sh -c 'tr "\0" " " < /proc/1/cmdline'
expect_eq "$OUT" "/bin/sleep 1000 " "PID 1 seen from exec"
pid1=$(inspect_field "$id" pid)
for ns in mnt uts ipc pid net; do
    ctr exec "$id" -- /bin/readlink "/proc/self/ns/$ns"
    expect_eq "$OUT" "$(readlink "/proc/$pid1/ns/$ns" 2>&1)" "$ns namespace of the exec'd command"
done

t "-d detaches: the command runs on in the container's cgroup and shows in top"
ctr exec "$id" -d -- /bin/sleep 300
expect_rc 0
# The detached command's host pid, found among the members of the container's memory cgroup.
deadline=$((SECONDS + 10)) execpid=
while [[ -z $execpid ]]; do
    for p in $(cat "$CG/memory/berth/$id/cgroup.procs" 2>/dev/null || true); do
        [[ $(tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline") == "/bin/sleep 300 " ]] && execpid=$p
    done
    [[ -n $execpid ]] && break
    if ((SECONDS >= deadline)); then
        fail "no /bin/sleep 300 joined memory berth/$id within 10s"
        break
    fi
    sleep 0.05
done
if [[ -n $execpid ]]; then
    for c in cpu cpuacct cpuset memory blkio pids freezer; do
        expect_contains " $(tr '\n' ' ' 2>&1 <"$CG/$c/berth/$id/cgroup.procs") " " $execpid " \
            "$c berth/$id/cgroup.procs holds the detached command ($execpid)"
    done
    expect_eq "$(readlink "/proc/$execpid/ns/pid" 2>&1)" "$(readlink "/proc/$pid1/ns/pid" 2>&1)" \
        "pid namespace of the detached command"
fi
ctr top "$id"
expect_rc 0
expect_match "${OUT%%$NL*}" '^ *PID +CPID +CMD *$' "top's header"
expect_match "$OUT" "$NL *$pid1 +1 +/bin/sleep 1000( |$NL|\$)" "top's line for PID 1"
expect_match "$OUT" "$NL *${execpid:-[0-9]+} +[0-9]+ +/bin/sleep 300( |$NL|\$)" "top's line for the detached exec"

t "exec into a paused container is refused"
ctr pause "$id"
expect_rc 0
ctr exec "$id" -- /bin/true
expect_rc 1
expect_contains "$ERR" "container $id is paused" "exec into a paused container"
ctr unpause "$id"
expect_rc 0
ctr exec "$id" -- /bin/true
expect_rc 0

ctr rm "$id" -f
expect_rc 0
expect_nothing_left "$id" "after rm -f"

finish
