#!/usr/bin/env bash
# Security defaults: Docker's capability set (and cap-add, cap-drop, privileged), no_new_privs,
# masked and read-only paths, a read-only /sys, and /dev holding exactly the default nodes.
source "$(dirname "$0")/lib.bash"

DOCKER_CAPS=00000000a80425fb  # the 14 capabilities of moby's caps/defaults.go

caps_of() {  # the five capability sets and NoNewPrivs of the last run's /proc/self/status
    local f
    for f in CapInh CapPrm CapEff CapBnd CapAmb NoNewPrivs; do
        printf '%s=%s ' "$f" "$(status_field "$OUT" "$f")"
    done
}

t "capabilities: Docker's default set, nothing inheritable or ambient, NoNewPrivs 0"
run_in -- /bin/cat /proc/self/status
expect_rc 0
expect_eq "$(caps_of)" "CapInh=0000000000000000 CapPrm=$DOCKER_CAPS CapEff=$DOCKER_CAPS CapBnd=$DOCKER_CAPS CapAmb=0000000000000000 NoNewPrivs=0 " "default capabilities"

t "capabilities: --cap-drop ALL clears every set"
run_in --cap-drop ALL -- /bin/cat /proc/self/status
expect_rc 0
zero=0000000000000000
expect_eq "$(caps_of)" "CapInh=$zero CapPrm=$zero CapEff=$zero CapBnd=$zero CapAmb=$zero NoNewPrivs=0 " "capabilities after --cap-drop ALL"

t "capabilities: --cap-add and --cap-drop adjust the default set, with or without the CAP_ prefix"
# NET_ADMIN is bit 12 (0x1000), CHOWN bit 0, CAP_KILL bit 5 (0x20).
run_in --cap-add NET_ADMIN --cap-drop CHOWN --cap-drop CAP_KILL -- /bin/cat /proc/self/status
expect_rc 0
expect_eq "$(status_field "$OUT" CapEff)" 00000000a80435da "CapEff after +NET_ADMIN -CHOWN -CAP_KILL"
expect_eq "$(status_field "$OUT" CapBnd)" 00000000a80435da "CapBnd after +NET_ADMIN -CHOWN -CAP_KILL"
run_in --cap-drop ALL --cap-add NET_BIND_SERVICE -- /bin/cat /proc/self/status
expect_rc 0
expect_eq "$(status_field "$OUT" CapEff)" 0000000000000400 "CapEff of --cap-drop ALL --cap-add NET_BIND_SERVICE"

t "capabilities: --privileged keeps every capability the host has"
run_in --privileged -- /bin/cat /proc/self/status
expect_rc 0
host_bnd=$(status_field "$(</proc/self/status)" CapBnd)
expect_eq "$(status_field "$OUT" CapEff)" "$host_bnd" "CapEff with --privileged"
expect_eq "$(status_field "$OUT" CapBnd)" "$host_bnd" "CapBnd with --privileged"

t "capabilities: a non-root user gets no effective capabilities but the same bounding set"
run_in --user 1000:1000 -- /bin/cat /proc/self/status
expect_rc 0
expect_eq "$(status_field "$OUT" CapEff)" "$zero" "CapEff of uid 1000"
expect_eq "$(status_field "$OUT" CapPrm)" "$zero" "CapPrm of uid 1000"
expect_eq "$(status_field "$OUT" CapBnd)" "$DOCKER_CAPS" "CapBnd of uid 1000"

t "no_new_privs: set by --security-opt no-new-privileges:true"
run_in --security-opt no-new-privileges:true -- /bin/cat /proc/self/status
expect_rc 0
expect_eq "$(status_field "$OUT" NoNewPrivs)" 1 "NoNewPrivs with no-new-privileges:true"
expect_eq "$(status_field "$OUT" CapEff)" "$DOCKER_CAPS" "CapEff with no-new-privileges:true"

t "masked paths read empty"
# Docker's list (moby daemon/pkg/oci/defaults.go). Paths this kernel does not have must stay absent.
masked=(/proc/acpi /proc/asound /proc/interrupts /proc/kcore /proc/keys /proc/latency_stats
    /proc/sched_debug /proc/scsi /proc/timer_list /proc/timer_stats /sys/devices/virtual/powercap
    /sys/firmware)
for d in /sys/devices/system/cpu/cpu[0-9]*/thermal_throttle; do
    [[ -e $d ]] && masked+=("$d")
done
# For each path: "dir N" (N entries), "file N" (N bytes read, at most 4096: an unmasked /proc/kcore
# is huge), "unreadable" or "absent".
probe='for p in "$@"; do
    if [ -d "$p" ]; then echo "$p dir $(ls -A "$p" | wc -l)"
    elif [ -e "$p" ]; then if head -c 1 "$p" >/dev/null; then echo "$p file $(head -c 4096 "$p" | wc -c)"; else echo "$p unreadable"; fi
    else echo "$p absent"; fi
done'
run_in -- /bin/sh -c "$probe" sh "${masked[@]}"
expect_rc 0
for p in "${masked[@]}"; do
    if [[ -d $p ]]; then
        want="dir 0"
    elif [[ -e $p ]]; then
        want="file 0"
    else
        want="absent"
    fi
    expect_eq "$(line_of "$OUT" "$p")" "$want" "masked path $p"
done
# The control: unmasked, the same probe sees content (on the host, /proc/interrupts is never empty).
expect_ne "$(cd / && bash -c "$probe" sh /proc/interrupts)" "/proc/interrupts file 0" "/proc/interrupts on the host"

t "read-only paths and /sys refuse writes"
run_in -- /bin/sh -c '
    echo x > /proc/sys/kernel/domainname || true
    touch /sys/berth-probe || true
    mkdir /sys/fs/berth-probe || true
    cat /proc/self/mountinfo'
expect_rc 0
# One error line each, e.g. "mkdir: can't create directory '/sys/fs/berth-probe': Read-only file system".
expect_match "$ERR" "/proc/sys/kernel/domainname[^$NL]*: Read-only file system" "writing /proc/sys"
expect_match "$ERR" "/sys/berth-probe[^$NL]*: Read-only file system" "creating a file in /sys"
expect_match "$ERR" "/sys/fs/berth-probe[^$NL]*: Read-only file system" "creating a folder in /sys"
mount_opts() {  # per-mount options of the topmost mount at $1 in the last run's mountinfo
    awk -v mp="$1" '$5 == mp {o = $6} END {print o}' <<<"$OUT"
}
for p in /sys /proc/bus /proc/fs /proc/irq /proc/sys /proc/sysrq-trigger; do
    [[ -e $p ]] || continue
    expect_match ",$(mount_opts "$p")," ',ro,' "mount options of $p inside"
done
expect_match ",$(mount_opts /proc)," ',rw,' "mount options of /proc itself"

t "/dev holds exactly the default nodes"
# name type major:minor mode, then symlink targets, then the mounts under /dev.
devprobe='cd /dev
ls -A
for f in *; do
    if [ -L "$f" ]; then echo "$f -> $(readlink "$f")"
    else stat -c "%n %F %t:%T %a" "$f"; fi
done
stat -c "pts/ptmx %a" pts/ptmx
echo "pts: $(ls -A pts | tr "\n" " ")"
awk "\$5 ~ \"^/dev\" {split(\$0, a, \" - \"); split(a[2], b, \" \"); print \"mount \" \$5 \" \" b[1] \" \" b[3]}" /proc/self/mountinfo
stat -c "shm-mode %a" shm'
check_dev() {  # check_dev WHAT: asserts on the output of $devprobe
    local what=$1 names f
    names=$(awk 'NF == 1 && $1 != "core"' <<<"$OUT" | sort | tr '\n' ' ')
    expect_eq "$names" "fd full mqueue null ptmx pts random shm stderr stdin stdout tty urandom zero " "$what: entries of /dev"
    for f in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
        expect_eq "$(line_of "$OUT" "${f%%:*}")" "character special file ${f#*:} 666" "$what: /dev/${f%%:*}"
    done
    expect_eq "$(line_of "$OUT" fd)" "-> /proc/self/fd" "$what: /dev/fd"
    expect_eq "$(line_of "$OUT" stdin)" "-> /proc/self/fd/0" "$what: /dev/stdin"
    expect_eq "$(line_of "$OUT" stdout)" "-> /proc/self/fd/1" "$what: /dev/stdout"
    expect_eq "$(line_of "$OUT" stderr)" "-> /proc/self/fd/2" "$what: /dev/stderr"
    expect_eq "$(line_of "$OUT" ptmx)" "-> pts/ptmx" "$what: /dev/ptmx"
    if grep -qx core <<<"$OUT"; then  # runc and crun add it when /proc/kcore exists
        expect_eq "$(line_of "$OUT" core)" "-> /proc/kcore" "$what: /dev/core"
    fi
    expect_eq "$(line_of "$OUT" pts/ptmx)" 666 "$what: mode of /dev/pts/ptmx (ptmxmode=0666)"
    expect_eq "$(line_of "$OUT" pts:)" "ptmx " "$what: entries of the private devpts instance"
    expect_match "$(line_of "$OUT" "mount /dev")" '^tmpfs ' "$what: /dev"
    expect_match "$(line_of "$OUT" "mount /dev/pts")" '^devpts .*ptmxmode=0?666' "$what: /dev/pts"
    expect_match "$(line_of "$OUT" "mount /dev/mqueue")" '^mqueue ' "$what: /dev/mqueue"
    expect_match "$(line_of "$OUT" "mount /dev/shm")" '^tmpfs .*size=65536k' "$what: /dev/shm"
    expect_eq "$(line_of "$OUT" shm-mode)" 1777 "$what: mode of /dev/shm"
}
run_in -- /bin/sh -c "$devprobe"
expect_rc 0
check_dev "default"
# In a user namespace the nodes cannot be made with mknod: they are bind mounts of the host's.
run_in --userns -- /bin/sh -c "$devprobe"
expect_rc 0
check_dev "--userns"
# The nodes work.
run_in -- /bin/sh -c 'echo x > /dev/null && head -c 4 /dev/zero | wc -c && head -c 4 /dev/urandom | wc -c'
expect_rc 0
expect_eq "$OUT" $'4\n4' "reading /dev/zero and /dev/urandom"

t "--shm-size sizes /dev/shm"
run_in --shm-size 1048576 -- /bin/awk '$5 == "/dev/shm" {print $NF}' /proc/self/mountinfo
expect_rc 0
expect_match ",$OUT," ',size=1024k,' "options of /dev/shm with --shm-size 1048576"

t "--device makes a host device available"
run_in --device /dev/zero:/dev/berth-zero -- /bin/sh -c 'stat -c "%F %t:%T" /dev/berth-zero && head -c 3 /dev/berth-zero | wc -c'
expect_rc 0
expect_eq "$OUT" $'character special file 1:5\n3' "/dev/berth-zero"

finish
