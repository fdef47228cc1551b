#!/usr/bin/env bash
# cgroup limits through berth-ctr: memory (OOM kill reported), cpu quota measured from the cgroup's
# usage, cpuset, pids, blkio weight and throttles, and the errors for out-of-range values.
source "$(dirname "$0")/ctr.bash"

# cgroup_file ID CONTROLLER FILE: the content of berth/ID's FILE in CONTROLLER's v1 hierarchy.
cgroup_file() {
    local f=$CG/$2/berth/$1/$3
    if [[ -r $f ]]; then
        tr -s '\n' ' ' <"$f" | sed 's/ $//'
    else
        echo "<no $f>"
    fi
}

t "the container's PID 1 is in berth/ID in every hierarchy, and a 32 MiB limit lets 8 MiB through"
id=$(cid mem-ok)
s=$(shared_dir mem-ok)
run_ctr "$id" --memory 33554432 --bind "$s:/s" -- /bin/sh -c '
    dd if=/dev/zero of=/dev/null bs=8M count=1 2>/dev/null && touch /s/allocated
    i=0
    while [ ! -e /s/go ]; do
        i=$((i + 1)); [ $i -lt 1500 ] || exit 12
        usleep 20000
    done
    exit 0'
expect_rc 0
if wait_for_file "$s/allocated"; then
    expect_eq "$(cgroup_file "$id" memory memory.limit_in_bytes)" 33554432 "memory.limit_in_bytes"
    pid=$(inspect_field "$id" pid)
    expect_match "$pid" '^[1-9][0-9]*$' "inspect pid of a running container"
    cgs=$(cat "/proc/$pid/cgroup" 2>&1 || true)
    for c in cpu cpuacct cpuset memory blkio pids freezer; do
        found=
        while IFS=: read -r _ ctrls path; do
            [[ ,$ctrls, == *",$c,"* ]] && found=$path
        done <<<"$cgs"
        expect_eq "$found" "/berth/$id" "PID 1's $c cgroup (from /proc/$pid/cgroup)"
        expect_contains " $(tr '\n' ' ' <"$CG/$c/berth/$id/cgroup.procs" 2>&1) " " $pid " "$c berth/$id/cgroup.procs"
    done
    touch "$s/go"
    ctr wait "$id"
    expect_rc 0
    expect_eq "$OUT" 0 "wait: exit code after an allocation below the limit"
    expect_eq "$(inspect_field "$id" oom_killed)" false "inspect oom_killed below the limit"
fi
ctr rm "$id"
expect_rc 0

t "memory: --memory 32m and 64 MiB allocated: OOM-killed, exit 137, oom_killed true"
# dd's 64 MiB buffer is anonymous memory, every page of it written by read(2) from /dev/zero.
id=$(cid oom)
run_ctr "$id" --memory 33554432 -- /bin/dd if=/dev/zero of=/dev/null bs=64M count=1
expect_rc 0
ctr wait "$id"
expect_rc 0
expect_eq "$OUT" 137 "wait: exit code of the OOM-killed dd"
expect_eq "$(inspect_field "$id" status)" exited "inspect status"
expect_eq "$(inspect_field "$id" exit_code)" 137 "inspect exit_code"
expect_eq "$(inspect_field "$id" oom_killed)" true "inspect oom_killed"
ctr rm "$id"
expect_rc 0

t "cpu: --cpus 0.5 holds a busy loop to 35-65% of one CPU over >= 2 s of wall time"
id=$(cid cpu)
run_ctr "$id" --cpus 0.5 -- /bin/sh -c 'while :; do :; done'
expect_rc 0
if wait_status "$id" running; then
    expect_eq "$(cgroup_file "$id" cpu cpu.cfs_period_us)" 100000 "cpu.cfs_period_us"
    expect_eq "$(cgroup_file "$id" cpu cpu.cfs_quota_us)" 50000 "cpu.cfs_quota_us"
    # Each reading is placed at the middle of the stats call that made it.
    before=$(now_us)
    ctr stats "$id"
    t0=$(((before + $(now_us)) / 2))
    expect_rc 0
    u0=$(json_field "$OUT" cpu_usage_ns)
    # The measurement window: at least 2 s of wall time, measured, not assumed.
    while (($(now_us) - t0 < 2000000)); do
        sleep 0.1
    done
    before=$(now_us)
    ctr stats "$id"
    t1=$(((before + $(now_us)) / 2))
    expect_rc 0
    u1=$(json_field "$OUT" cpu_usage_ns)
    direct=$(cat "$CG/cpuacct/berth/$id/cpuacct.usage" 2>&1 || true)
    if [[ $u0 =~ ^[0-9]+$ && $u1 =~ ^[0-9]+$ ]]; then
        pct=$(((u1 - u0) / 10 / (t1 - t0)))  # ns / (us * 1000) * 100
        echo "cpu: ${pct}% of one CPU over $(((t1 - t0) / 1000)) ms"
        ((pct >= 35 && pct <= 65)) || fail "cpu usage under --cpus 0.5 was ${pct}% of one CPU, expected 35-65%"
        # stats reads the same counter the kernel keeps for the cgroup.
        if [[ $direct =~ ^[0-9]+$ ]]; then
            ((direct >= u1 && direct - u1 < 1000000000)) ||
                fail "stats cpu_usage_ns [$u1] is not the cgroup's cpuacct.usage [$direct] read right after"
        else
            fail "cpuacct.usage of berth/$id: [$direct]"
        fi
    else
        fail "stats cpu_usage_ns is not a number: [$u0] then [$u1]"
    fi
fi
ctr rm "$id" -f
expect_rc 0

t "cpuset: --cpuset-cpus 0 --cpuset-mems 0 gives Cpus_allowed_list 0 and Mems_allowed_list 0"
id=$(cid cpuset)
s=$(shared_dir cpuset)
# The cgroup goes away when the container ends, so its files are read while it waits for /s/go.
run_ctr "$id" --cpuset-cpus 0 --cpuset-mems 0 --bind "$s:/s" -- /bin/sh -c '
    cat /proc/self/status > /s/status.tmp && mv /s/status.tmp /s/status
    while [ ! -e /s/go ]; do :; done'
expect_rc 0
if wait_for_file "$s/status"; then
    st=$(<"$s/status")
    expect_eq "$(status_field "$st" Cpus_allowed_list)" 0 "Cpus_allowed_list inside"
    expect_eq "$(status_field "$st" Mems_allowed_list)" 0 "Mems_allowed_list inside"
fi
expect_eq "$(cgroup_file "$id" cpuset cpuset.cpus)" 0 "cpuset.cpus of berth/$id"
touch "$s/go"
ctr wait "$id"
expect_eq "$OUT" 0 "wait: exit code"
ctr rm "$id"
expect_rc 0

t "pids: --pids-limit 10: forking past 10 fails inside, fewer succeed"
# PID 1 (sh) and a second sh that starts up to 20 sleeps: with 10 pids allowed, 8 sleeps fit and
# the next fork fails, which ends that sh with "can't fork: Resource temporarily unavailable".
id=$(cid pids)
s=$(shared_dir pids)
run_ctr "$id" --pids-limit 10 --bind "$s:/s" -- /bin/sh -c '
    sh -c "i=0; while [ \$i -lt 20 ]; do sleep 100 & i=\$((i + 1)); echo \$i > /s/started; done" 2>/s/err
    echo $? > /s/status
    while [ ! -e /s/go ]; do :; done'
expect_rc 0
if wait_for_file "$s/status"; then
    # Read while the container runs: its cgroup goes away when it ends. The wait loop is a shell
    # builtin, since every pid is taken.
    expect_eq "$(cgroup_file "$id" pids pids.max)" 10 "pids.max of berth/$id"
    started=$(cat "$s/started" 2>/dev/null || echo 0)
    echo "pids: $started sleeps started under --pids-limit 10"
    ((started >= 5)) || fail "only $started processes could be started under --pids-limit 10 (expected 5-8)"
    ((started <= 8)) || fail "$started processes started next to 2 shells under --pids-limit 10"
    expect_ne "$(<"$s/status")" 0 "status of the forking shell"
    expect_contains "$(<"$s/err")" "Resource temporarily unavailable" "the failed fork's error"
fi
touch "$s/go"
ctr wait "$id"
expect_eq "$OUT" 0 "wait: exit code of PID 1"
ctr rm "$id"
expect_rc 0

t "blkio: weight and read/write bps and iops land in the cgroup files"
# The weight file depends on the kernel: blkio.weight (CFQ) or blkio.bfq.weight (BFQ). The root
# cgroup does not show it, so a probe cgroup tells which one exists.
probe=$CG/blkio/$ID_PREFIX-probe
weight_file=
if mkdir "$probe" 2>/dev/null; then
    for f in blkio.weight blkio.bfq.weight; do
        if [[ -e $probe/$f ]]; then
            weight_file=$f
            break
        fi
    done
    rmdir "$probe"
fi
[[ -n $weight_file ]] || echo "blkio: neither blkio.weight nor blkio.bfq.weight exists on this kernel; the weight is not checked"
dev= majmin=
for b in /sys/block/*; do
    name=${b##*/}
    [[ $name == loop* || $name == ram* || $name == zram* ]] && continue
    if [[ -b /dev/$name && -r $b/dev ]]; then
        dev=/dev/$name
        majmin=$(<"$b/dev")
        break
    fi
done
if [[ -z $dev ]]; then
    fail "no real block device found in /sys/block to throttle"
else
    id=$(cid blkio)
    opts=()
    [[ -n $weight_file ]] && opts+=(--blkio-weight 300)
    run_ctr "$id" "${opts[@]}" --device-read-bps "$dev:1048576" --device-write-bps "$dev:2097152" \
        --device-read-iops "$dev:100" --device-write-iops "$dev:200" -- /bin/sleep 1000
    expect_rc 0
    if wait_status "$id" running; then
        if [[ -n $weight_file ]]; then
            w=$(cgroup_file "$id" blkio "$weight_file")
            expect_eq "${w#default }" 300 "$weight_file of berth/$id"
        fi
        expect_contains " $(cgroup_file "$id" blkio blkio.throttle.read_bps_device) " " $majmin 1048576 " \
            "blkio.throttle.read_bps_device ($dev is $majmin)"
        expect_contains " $(cgroup_file "$id" blkio blkio.throttle.write_bps_device) " " $majmin 2097152 " \
            "blkio.throttle.write_bps_device ($dev is $majmin)"
        expect_contains " $(cgroup_file "$id" blkio blkio.throttle.read_iops_device) " " $majmin 100 " \
            "blkio.throttle.read_iops_device ($dev is $majmin)"
        expect_contains " $(cgroup_file "$id" blkio blkio.throttle.write_iops_device) " " $majmin 200 " \
            "blkio.throttle.write_iops_device ($dev is $majmin)"
    fi
    ctr rm "$id" -f
    expect_rc 0
fi

t "--memory 1000 is refused with the minimum, and leaves no cgroup or mount"
id=$(cid mem-tiny)
run_ctr "$id" --memory 1000 -- /bin/true
expect_rc 1
expect_match "${ERR,,}" '(minimum|at least)[^0-9]*[0-9]' "the error names the minimum memory limit"
expect_ne "$(inspect_field "$id" status)" running "status after the refused run"
expect_eq "$(cgroups_of "$id")" "" "cgroups left by the refused run"
expect_eq "$(ctr_mounts "$id")" "" "mounts left by the refused run"

t "--cpuset-cpus 7 is refused with the CPUs that exist, and leaves no cgroup or mount"
online=$(</sys/devices/system/cpu/online)
if ((${online##*[-,]} >= 7)); then
    echo "cpuset: this machine has CPU 7 (online: $online); the out-of-range cpuset is not checked"
else
    id=$(cid cpuset-bad)
    run_ctr "$id" --cpuset-cpus 7 -- /bin/true
    expect_rc 1
    expect_contains "$ERR" 7 "the error names the CPU asked for"
    # The kernel's list form ("0-1") or every CPU spelled out ("0,1").
    spelled=$(perl -e 'print join(",", map { /^(\d+)-(\d+)$/ ? ($1 .. $2) : $_ } split(/,/, shift))' "$online")
    [[ $ERR == *"$online"* || $ERR == *"$spelled"* ]] ||
        fail "the error does not name the CPUs that exist ($online): [$ERR]"
    expect_ne "$(inspect_field "$id" status)" running "status after the refused run"
    expect_eq "$(cgroups_of "$id")" "" "cgroups left by the refused run"
    expect_eq "$(ctr_mounts "$id")" "" "mounts left by the refused run"
fi

finish
