#!/usr/bin/env bash
# User namespaces: the requested uid/gid maps (0:100000:65536 by default with --userns), root
# inside, and files made inside owned on the host by the mapped ids.
source "$(dirname "$0")/lib.bash"

# The container's root (host uid 100000) must be able to reach the rootfs and the bind sources.
p=$T
while [[ $p != / ]]; do
    [[ $(stat -c %A "$p") == *[xt] ]] || fail "$p is not searchable by others; the mapped root cannot reach $ROOTFS"
    p=$(dirname "$p")
done

# Mount points made in advance: a host-root-owned image is not writable by the mapped root, and
# what these tests are about is the mapping, not mount point creation.
mkdir -p "$ROOTFS/data"
touch "$ROOTFS/hostfile"

maps='for f in uid_map gid_map; do awk "{print \$1 \":\" \$2 \":\" \$3}" /proc/self/$f | tr "\n" " "; echo; done'

t "--userns alone maps 0:100000:65536"
run_in --userns -- /bin/sh -c "$maps; id -u; id -g; readlink /proc/self/ns/user"
expect_rc 0
expect_eq "$(sed -n 1,4p <<<"$OUT")" $'0:100000:65536 \n0:100000:65536 \n0\n0' "uid_map, gid_map, id -u, id -g"
expect_ne "$(sed -n 5p <<<"$OUT")" "$(readlink /proc/self/ns/user)" "user namespace inside"

t "explicit --uidmap and --gidmap"
run_in --userns --uidmap 0:200000:1000 --gidmap 0:300000:2000 -- /bin/sh -c "$maps; id -u; id -g"
expect_rc 0
expect_eq "$OUT" $'0:200000:1000 \n0:300000:2000 \n0\n0' "uid_map, gid_map, id -u, id -g"

t "files made inside are owned on the host by the mapped ids"
D=$T/owned
mkdir -p "$D"
chown 100000:100000 "$D"  # the container's root owns it, as a volume made for it would be
run_in --userns --bind "$D:/data" -- /bin/sh -c 'stat -c "%u:%g" /data; touch /data/by-root; mkdir /data/dir; echo ok'
expect_rc 0
expect_eq "$OUT" $'0:0\nok' "owner of /data inside, then the writes"
expect_eq "$(stat -c '%u:%g' "$D/by-root" 2>&1)" 100000:100000 "host owner of a file made by root inside"
expect_eq "$(stat -c '%u:%g' "$D/dir" 2>&1)" 100000:100000 "host owner of a folder made by root inside"
chmod 0777 "$D"
run_in --userns --user 1000:1000 --bind "$D:/data" -- /bin/sh -c 'touch /data/by-app && id -u'
expect_rc 0
expect_eq "$OUT" 1000 "id -u of --user 1000:1000 in the user namespace"
expect_eq "$(stat -c '%u:%g' "$D/by-app" 2>&1)" 101000:101000 "host owner of a file made by uid 1000 inside"

t "host files owned by unmapped ids appear as nobody and stay unwritable"
echo secret >"$T/hostfile"
chmod 0644 "$T/hostfile"
run_in --userns --bind "$T/hostfile:/hostfile" -- /bin/sh -c 'stat -c "%u:%g" /hostfile; echo x >> /hostfile'
expect_rc 1
expect_eq "$OUT" 65534:65534 "owner of a host-root file inside"
expect_match "$ERR" "/hostfile[^$NL]*: Permission denied" "appending to a host-root file"
expect_eq "$(<"$T/hostfile")" secret "the host file after the attempt"

t "the capability set is the same inside a user namespace"
run_in --userns -- /bin/cat /proc/self/status
expect_rc 0
expect_eq "$(status_field "$OUT" CapEff)" 00000000a80425fb "CapEff in a user namespace"

finish
