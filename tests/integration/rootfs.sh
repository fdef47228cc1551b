#!/usr/bin/env bash
# The root filesystem: overlay layers (writes land in the upper dir, lower dirs never change, the
# topmost lower wins), a read-only rootfs that still lets tmpfs mounts be written, bind mounts (ro
# too), and /etc/hosts, /etc/hostname, /etc/resolv.conf from the state folder.
source "$(dirname "$0")/lib.bash"

# A second layer above the busybox one.
L=$T/layer
mkdir -p "$L/data" "$L/etc"
echo from-lower >"$L/data/lower.txt"
echo doomed >"$L/data/gone.txt"
echo top >"$L/etc/layer"
echo bottom >"$ROOTFS/etc/layer"

overlay() {  # overlay NAME: fresh upper, work and merged dirs; sets OVL to the berth-run options
    local n=$1
    rm -rf "$T/$n"
    mkdir -p "$T/$n/upper" "$T/$n/work" "$T/$n/merged"
    OVL=(--lower "$L" --lower "$ROOTFS" --upper "$T/$n/upper" --work "$T/$n/work" --merged "$T/$n/merged")
}

t "overlay: writes land in the upper dir and the lower dirs are untouched"
before_layer=$(snapshot "$L")
before_base=$(snapshot "$ROOTFS")
overlay c1
run_raw "${OVL[@]}" -- /bin/sh -c '
    cat /etc/layer /data/lower.txt
    echo upper > /newfile
    echo changed >> /data/lower.txt
    rm /data/gone.txt
    mkdir -p /var/made/here'
expect_rc 0
expect_eq "$OUT" $'top\nfrom-lower' "/etc/layer and /data/lower.txt inside (the first --lower is the topmost)"
U=$T/c1/upper
expect_eq "$(cat "$U/newfile" 2>&1)" upper "upper/newfile"
expect_eq "$(cat "$U/data/lower.txt" 2>&1)" $'from-lower\nchanged' "upper/data/lower.txt (copied up)"
expect_eq "$(stat -c '%F %t:%T' "$U/data/gone.txt" 2>&1)" "character special file 0:0" "upper/data/gone.txt (a whiteout)"
[[ -d $U/var/made/here ]] || fail "upper/var/made/here was not created"
expect_eq "$(snapshot "$L")" "$before_layer" "the upper lower dir after the run"
expect_eq "$(snapshot "$ROOTFS")" "$before_base" "the bottom lower dir after the run"
expect_eq "$(ls -A "$T/c1/merged")" "" "the merged dir after the run (unmounted, empty)"

t "overlay: a second container on the same layers does not see the first one's writes"
overlay c2
run_raw "${OVL[@]}" -- /bin/sh -c 'ls /newfile 2>&1; cat /data/lower.txt /data/gone.txt'
expect_rc 0
expect_contains "$OUT" "/newfile: No such file or directory" "/newfile in a second container"
expect_eq "${OUT#*$NL}" $'from-lower\ndoomed' "/data files in a second container"

t "read-only rootfs: writes fail outside tmpfs mounts"
before_base=$(snapshot "$ROOTFS")
run_in --read-only --tmpfs /scratch -- /bin/sh -c '
    touch /probe; mkdir /etc/probe; echo x >> /etc/passwd
    echo ok > /scratch/file && cat /scratch/file
    echo ok > /dev/shm/file && cat /dev/shm/file
    echo x > /dev/null && echo null-ok
    awk "\$5 == \"/\" {print \"root \" \$6} \$5 == \"/scratch\" {split(\$0, a, \" - \"); split(a[2], b, \" \"); print \"scratch \" b[1]}" /proc/self/mountinfo'
expect_rc 0
expect_match "$ERR" "/probe[^$NL]*: Read-only file system" "touch /probe"
expect_match "$ERR" "/etc/probe[^$NL]*: Read-only file system" "mkdir /etc/probe"
expect_match "$ERR" "/etc/passwd[^$NL]*: Read-only file system" "appending to /etc/passwd"
expect_eq "$(sed -n 1,3p <<<"$OUT")" $'ok\nok\nnull-ok' "writes to /scratch (tmpfs), /dev/shm and /dev/null"
expect_match ",$(line_of "$OUT" root)," ',ro,' "mount options of / inside"
expect_eq "$(line_of "$OUT" scratch)" tmpfs "type of /scratch"
# Creating the /scratch mount point may change the root folder's mtime; nothing else may change.
expect_eq "$(snapshot "$ROOTFS" | grep -v -e '^\. ' -e '^\./scratch ')" \
    "$(grep -v -e '^\. ' -e '^\./scratch ' <<<"$before_base")" \
    "the rootfs after a --read-only run (apart from the /scratch mount point)"

t "read-only rootfs on overlay: nothing reaches the upper dir"
overlay c3
run_raw --read-only "${OVL[@]}" -- /bin/sh -c 'touch /probe'
expect_rc 1
expect_match "$ERR" "/probe[^$NL]*: Read-only file system" "touch /probe"
expect_eq "$(find "$T/c3/upper" -mindepth 1)" "" "the upper dir after a --read-only run"

t "tmpfs mounts take their options"
run_in --tmpfs /scratch:size=1m,mode=0700 -- /bin/sh -c 'stat -c %a /scratch; awk "\$5 == \"/scratch\" {print \$NF}" /proc/self/mountinfo'
expect_rc 0
expect_eq "${OUT%%$NL*}" 700 "mode of /scratch"
expect_match ",${OUT#*$NL}," ',size=1024k,' "options of /scratch"

t "bind mounts: read-write, and :ro refuses writes"
mkdir -p "$T/vol" "$T/rovol"
echo host >"$T/rovol/file"
run_in --bind "$T/vol:/data" --bind "$T/rovol:/etc/config:ro" -- /bin/sh -c '
    echo from-container > /data/out && cat /etc/config/file && echo x > /etc/config/file'
expect_rc 1
expect_eq "$(cat "$T/vol/out" 2>&1)" from-container "a file written into a bind mount, seen on the host"
expect_eq "$OUT" host "the ro bind mount's content"
expect_match "$ERR" "/etc/config/file[^$NL]*: Read-only file system" "writing into a :ro bind mount"
expect_eq "$(<"$T/rovol/file")" host "the host file behind the :ro bind mount"

t "state folder: /etc/hosts, /etc/hostname and /etc/resolv.conf are bind-mounted from it"
S=$T/state
mkdir -p "$S"
printf '127.0.0.1\tlocalhost\n10.1.2.3\tweb-1\n' >"$S/hosts"
echo web-1 >"$S/hostname"
printf 'nameserver 10.1.2.1\noptions ndots:0\n' >"$S/resolv.conf"
image_hosts=$(<"$ROOTFS/etc/hosts")
run_in --state-dir "$S" --hostname web-1 -- /bin/sh -c '
    cat /etc/hosts; echo ---; cat /etc/hostname; echo ---; cat /etc/resolv.conf; echo ---
    for f in hosts hostname resolv.conf; do grep -c " /etc/$f " /proc/self/mountinfo; done'
expect_rc 0
expect_eq "$OUT" "$(<"$S/hosts")"$'\n---\n'"$(<"$S/hostname")"$'\n---\n'"$(<"$S/resolv.conf")"$'\n---\n1\n1\n1' \
    "the three files inside, each a mount"
expect_eq "$(<"$ROOTFS/etc/hosts")" "$image_hosts" "the image's /etc/hosts after the run"

finish
