#!/usr/bin/env bash
# Namespaces: pid, uts, ipc, mount and net are new by default and isolate the container from the
# host; the user namespace is not created unless asked for; --net host and --join-ns share.
source "$(dirname "$0")/lib.bash"

t "pid namespace: PID 1 with PPid 0"
run_in -- /bin/sh -c 'echo $$; exec cat /proc/self/status'
expect_rc 0
expect_eq "${OUT%%$'\n'*}" 1 "\$\$ of the container's shell"
expect_eq "$(status_field "$OUT" Pid)" 1 "Pid of the exec'd command"
expect_eq "$(status_field "$OUT" PPid)" 0 "PPid of PID 1"

t "pid namespace: ps lists only the container's processes"
# `; true` keeps sh from exec'ing ps, so exactly two processes exist: sh (1) and ps.
run_in -- /bin/sh -c 'ps -o pid,comm; true'
expect_rc 0
procs=$(tail -n +2 <<<"$OUT" | awk '{print $1 ":" $2}' | sort -n | tr '\n' ' ')
expect_match "$procs" '^1:sh [0-9]+:ps $' "processes seen by ps inside"
# A glob, not find: find fails on a process that exits between its readdir and its stat.
host_pids=(/proc/[0-9]*)
host_procs=${#host_pids[@]}
((host_procs > 3)) || fail "the host shows only $host_procs processes; the check above proves nothing"

t "uts namespace: hostname and domainname inside, the host's unchanged"
host_hostname=$(hostname)
host_domainname=$(</proc/sys/kernel/domainname)
run_in --hostname web-1 --domainname berth.test -- /bin/sh -c 'hostname; cat /proc/sys/kernel/domainname; uname -n'
expect_rc 0
expect_eq "$OUT" $'web-1\nberth.test\nweb-1' "hostname, domainname, uname -n inside"
expect_eq "$(hostname)" "$host_hostname" "host hostname after the run"
expect_eq "$(</proc/sys/kernel/domainname)" "$host_domainname" "host domainname after the run"
[[ $host_hostname != web-1 ]] || fail "the host is already called web-1; the check above proves nothing"

t "ipc namespace: a host SysV message queue is invisible inside"
qid=$(ipcmk -Q | awk '/id/ {print $NF}' || true)
[[ $qid =~ ^[0-9]+$ ]] || fail "ipcmk -Q did not print a queue id"
CLEANUP_IPC+=("$qid")
# ipcs reads /proc/sysvipc/msg, which shows the reader's ipc namespace. Debian's busybox has no ipcs.
host_queues=$(awk 'NR > 1 {print $2}' /proc/sysvipc/msg)
expect_contains " ${host_queues//$'\n'/ } " " $qid " "the host's queues (control)"
run_in -- /bin/cat /proc/sysvipc/msg
expect_rc 0
expect_match "${OUT%%$'\n'*}" '^ *key +msqid ' "header of /proc/sysvipc/msg inside"
inside=$(awk 'NR > 1 {print $2}' <<<"$OUT")
expect_eq "$inside" "" "message queues visible inside a new ipc namespace"
# The control for the reading method: joining the host's ipc namespace shows the queue.
run_in --join-ns "ipc:/proc/$$/ns/ipc" -- /bin/cat /proc/sysvipc/msg
expect_rc 0
inside=$(awk 'NR > 1 {print $2}' <<<"$OUT")
expect_contains " ${inside//$'\n'/ } " " $qid " "queues seen after --join-ns ipc:<host>"
ipcrm -q "$qid"

t "mount namespace: a mount made inside is not in the host's mount table"
tag=berth-probe-$$-$RANDOM
rm -f "$T/shared"/*
start_bg --rootfs "$ROOTFS" --cap-add SYS_ADMIN --bind "$T/shared:/shared" -- /bin/sh -c "
    mkdir -p /mnt/$tag && mount -t tmpfs $tag /mnt/$tag || exit 10
    grep -q ' /mnt/$tag ' /proc/self/mountinfo || exit 11
    touch /shared/mounted
    i=0
    while [ ! -e /shared/release ]; do
        i=\$((i + 1)); [ \$i -lt 1000 ] || exit 12
        sleep 0.02
    done"
if wait_for_file "$T/shared/mounted"; then
    expect_no_host_mount "$tag" "while the container holds its tmpfs"
    touch "$T/shared/release"
    wait_bg
    expect_rc 0
fi
expect_no_host_mount "$tag" "after the container exited"

t "net namespace: a new one holds only lo by default; --net host shares the host's"
ifaces='awk -F: "NR > 2 {gsub(/ /, \"\", \$1); print \$1}" /proc/net/dev | sort | tr "\n" " "'
run_in -- /bin/sh -c "$ifaces; echo; readlink /proc/self/ns/net"
expect_rc 0
expect_eq "${OUT%%$'\n'*}" "lo " "interfaces inside"
expect_ne "${OUT##*$'\n'}" "$(readlink /proc/self/ns/net)" "net namespace inside"
host_ifaces=$(awk -F: 'NR > 2 {gsub(/ /, "", $1); print $1}' /proc/net/dev | sort | tr '\n' ' ')
run_in --net host -- /bin/sh -c "$ifaces; echo; readlink /proc/self/ns/net"
expect_rc 0
expect_eq "${OUT%%$'\n'*}" "$host_ifaces" "interfaces inside with --net host"
expect_eq "${OUT##*$'\n'}" "$(readlink /proc/self/ns/net)" "net namespace with --net host"

t "user namespace: not created unless asked for"
run_in -- /bin/sh -c 'readlink /proc/self/ns/user; cat /proc/self/uid_map'
expect_rc 0
expect_eq "${OUT%%$'\n'*}" "$(readlink /proc/self/ns/user)" "user namespace inside"
expect_eq "$(awk 'NR == 2 {print $1 ":" $2 ":" $3}' <<<"$OUT")" "0:0:4294967295" "uid_map inside"

t "--join-ns: a second container shares the first one's net, ipc and uts namespaces"
rm -f "$T/shared"/*
start_bg --rootfs "$ROOTFS" --hostname first --bind "$T/shared:/shared" -- /bin/sh -c '
    for k in net ipc uts pid; do readlink /proc/self/ns/$k; done > /shared/ns.tmp
    mv /shared/ns.tmp /shared/ns
    i=0
    while [ ! -e /shared/release ]; do
        i=$((i + 1)); [ $i -lt 1000 ] || exit 12
        sleep 0.02
    done'
if wait_for_file "$T/shared/ns"; then
    first=$(<"$T/shared/ns")
    if pid1=$(container_pid1 "$BG"); then
        run_in --join-ns "net:/proc/$pid1/ns/net" --join-ns "ipc:/proc/$pid1/ns/ipc" \
            --join-ns "uts:/proc/$pid1/ns/uts" -- /bin/sh -c 'for k in net ipc uts pid; do readlink /proc/self/ns/$k; done; hostname'
        expect_rc 0
        expect_eq "$(sed -n 1,3p <<<"$OUT")" "$(sed -n 1,3p <<<"$first")" "net, ipc, uts namespaces of the second container"
        expect_ne "$(sed -n 4p <<<"$OUT")" "$(sed -n 4p <<<"$first")" "pid namespace of the second container (not joined)"
        expect_eq "$(sed -n 5p <<<"$OUT")" first "hostname seen through the joined uts namespace"
    else
        fail "no PID 1 of a new pid namespace appeared below berth-run ($BG)"
    fi
    touch "$T/shared/release"
    wait_bg
    expect_rc 0
fi

finish
