#!/usr/bin/env bash
# cgroup limits through berth-run's docker-run style options, on the machine's real hierarchy
# (v1 here, v2 elsewhere): values in the right files, the process in its cgroup before it runs,
# the OOM kill reported, pids and cpuset enforced, errors naming the valid range, nothing left.
source "$(dirname "$0")/lib.bash"

CG=/sys/fs/cgroup
NAME=it-$$
SHARED=$T/shared
mkdir -p "$SHARED"

# cg_file CONTROLLER FILE: the container's file in that controller (v1) or the unified dir (v2).
cg_file() {
    if [[ -e $CG/cgroup.controllers ]]; then echo "$CG/berth/$NAME/$2"; else echo "$CG/$1/berth/$NAME/$2"; fi
}
cg_left() {
    ls -d "$CG"/berth/"$NAME" "$CG"/*/berth/"$NAME" 2>/dev/null || true
}

t "limits land in the cgroup files while the container runs"
start_bg --rootfs "$ROOTFS" --bind "$SHARED:/shared" --cgroup "$NAME" --memory 33554432 \
    --memory-reservation 16777216 --cpus 0.5 --cpu-shares 512 --cpuset-cpus 0 --pids-limit 20 \
    -- /bin/sh -c 'cat /proc/self/cgroup > /shared/cgroup; touch /shared/up
                   while [ ! -e /shared/stop ]; do sleep 0.1; done'
if wait_for_file "$SHARED/up"; then
    if [[ -e $CG/cgroup.controllers ]]; then
        expect_eq "$(<"$(cg_file memory memory.max)")" 33554432 "memory.max"
        expect_eq "$(<"$(cg_file cpu cpu.max)")" "50000 100000" "cpu.max"
        expect_eq "$(<"$(cg_file cpu cpu.weight)")" 59 "cpu.weight"
    else
        expect_eq "$(<"$(cg_file memory memory.limit_in_bytes)")" 33554432 "memory.limit_in_bytes"
        expect_eq "$(<"$(cg_file memory memory.soft_limit_in_bytes)")" 16777216 "memory.soft_limit_in_bytes"
        expect_eq "$(<"$(cg_file cpu cpu.cfs_quota_us)")" 50000 "cpu.cfs_quota_us"
        expect_eq "$(<"$(cg_file cpu cpu.cfs_period_us)")" 100000 "cpu.cfs_period_us"
        expect_eq "$(<"$(cg_file cpu cpu.shares)")" 512 "cpu.shares"
        expect_contains "$(<"$SHARED/cgroup")" "memory:/berth/$NAME" "/proc/self/cgroup of PID 1"
    fi
    expect_eq "$(<"$(cg_file cpuset cpuset.cpus)")" 0 "cpuset.cpus"
    expect_eq "$(<"$(cg_file pids pids.max)")" 20 "pids.max"
fi
touch "$SHARED/stop"
wait_bg
expect_rc 0
expect_eq "$(cg_left)" "" "cgroup folders left after exit"

t "memory: allocating past the limit is an OOM kill, reported"
run_in --memory 33554432 --memory-swap 33554432 -- /bin/sh -c \
    'x=$(head -c 67108864 /dev/zero | tr "\0" a); echo survived'
expect_rc 137
expect_contains "$ERR" "the container was OOM-killed" "stderr"

t "pids: forking past the limit fails inside"
run_in --pids-limit 10 -- /bin/sh -c 'for i in 1 2 3 4 5 6 7 8 9 10 11 12; do sleep 2 & done; wait'
expect_contains "$ERR" "can't fork" "stderr"

t "cpuset: the process may only run where it is told"
run_in --cpuset-cpus 0 -- /bin/grep Cpus_allowed_list /proc/self/status
expect_rc 0
expect_match "$OUT" $'^Cpus_allowed_list:\t0$' "Cpus_allowed_list"

t "errors name the valid range and leave nothing"
run_in --cgroup "$NAME" --memory 4194304 -- /bin/true
expect_rc 125
expect_contains "$ERR" "the minimum is 6291456 bytes (6 MiB)" "stderr"
run_in --cgroup "$NAME" --cpuset-cpus 4095 -- /bin/true
expect_rc 125
expect_match "$ERR" 'cpuset "4095": this machine has CPUs [0-9]' "stderr"
run_in --cgroup "$NAME" --cpu-shares 1 -- /bin/true
expect_contains "$ERR" "want a whole number from 2 to 262144" "stderr"
expect_eq "$(cg_left)" "" "cgroup folders left after the failures"

finish
