#!/usr/bin/env bash
# Escape regressions: an image whose /proc, /dev or /sys, a mount target, or /etc/hosts is a symlink
# to a host path (CVE-2019-19921, runc's 2024-2026 path races) may be refused or handled, but berth
# never creates, writes or mounts anything outside the rootfs. Also: cwd cannot point outside.
source "$(dirname "$0")/lib.bash"

# A host folder the image's symlinks point at. It must stay empty and never become a mount point.
new_target() {
    TARGET=$(mktemp -d /tmp/berth-escape-target-XXXXXX)
    CLEANUP_PATHS+=("$TARGET")
}

# A copy of the image; each case gets its own.
new_image() {
    IMG=$T/img-$1
    rm -rf "$IMG"
    cp -a "$ROOTFS" "$IMG"
}

# The container either refused to start (a berth-run error, status 125) or ran normally.
expect_refused_or_ran() {
    if [[ $RC == 125 ]]; then
        expect_contains "$ERR" "berth-run: " "the refusal"
    else
        expect_rc 0
    fi
}

expect_untouched() {  # expect_untouched DIR WHAT
    local left
    left=$(find "$1" -mindepth 1 2>&1 || true)
    expect_eq "$left" "" "$2: what appeared in $1 on the host"
    expect_no_host_mount "$1" "$2"
    expect_eq "$(stat -c %m "$1")" "$(stat -c %m "$(dirname "$1")")" "$2: the mount holding $1"
}

# What must work inside when berth handled the symlink instead of refusing it.
declare -A WORKS=(
    [proc]='grep -q "^Pid:" /proc/self/status && echo proc-ok'
    [dev]='echo x > /dev/null && head -c 1 /dev/zero | wc -c | grep -q 1 && echo dev-ok'
    [sys]='test -d /sys/kernel && echo sys-ok'
)
escape_case() {  # escape_case KIND WHAT: runs the image $IMG, then checks $TARGET
    run_raw --rootfs "$IMG" -- /bin/sh -c "${WORKS[$1]}"
    expect_refused_or_ran
    [[ $RC != 0 ]] || expect_eq "$OUT" "$1-ok" "/$1 inside the container"
}

for kind in proc dev sys; do
    t "an image whose /$kind is an absolute symlink to a host folder"
    new_target
    new_image "$kind"
    rm -rf "${IMG:?}/$kind"
    ln -s "$TARGET" "$IMG/$kind"
    escape_case "$kind"
    expect_untouched "$TARGET" "/$kind -> $TARGET"

    t "an image whose /$kind is a relative symlink climbing out of the rootfs"
    new_target
    new_image "$kind-rel"
    rm -rf "${IMG:?}/$kind"
    ln -s "../../../../../../../../../../../..$TARGET" "$IMG/$kind"
    escape_case "$kind"
    expect_untouched "$TARGET" "/$kind -> ../..$TARGET"

    t "an image whose /$kind is a symlink to a host path that does not exist"
    new_target
    rmdir "$TARGET"
    new_image "$kind-missing"
    rm -rf "${IMG:?}/$kind"
    ln -s "$TARGET" "$IMG/$kind"
    escape_case "$kind"
    [[ ! -e $TARGET ]] || fail "$TARGET was created on the host"
done

t "an overlay layer whose /dev is a symlink to a host folder"
new_target
mkdir -p "$T/ovl/layer" "$T/ovl/upper" "$T/ovl/work" "$T/ovl/merged"
ln -s "$TARGET" "$T/ovl/layer/dev"
run_raw --lower "$T/ovl/layer" --lower "$ROOTFS" --upper "$T/ovl/upper" --work "$T/ovl/work" \
    --merged "$T/ovl/merged" -- /bin/sh -c "${WORKS[dev]}"
expect_refused_or_ran
[[ $RC != 0 ]] || expect_eq "$OUT" "dev-ok" "/dev inside the container"
expect_untouched "$TARGET" "overlay layer with /dev -> $TARGET"

t "mount targets that are symlinks to host folders (--tmpfs, --bind, --state-dir)"
new_target
new_image targets
mkdir -p "$T/src"
echo from-src >"$T/src/file"
ln -s "$TARGET" "$IMG/scratch"
ln -s "$TARGET" "$IMG/data"
mkdir -p "$IMG/nested"
ln -s "$TARGET" "$IMG/nested/link"
mkdir -p "$T/state"
echo 127.0.0.1 localhost >"$T/state/hosts"
echo box >"$T/state/hostname"
echo nameserver 127.0.0.1 >"$T/state/resolv.conf"
rm -f "$IMG/etc/hosts" "$IMG/etc/hostname"
ln -s "$TARGET/hosts" "$IMG/etc/hosts"
ln -s "$TARGET/hostname" "$IMG/etc/hostname"
run_raw --rootfs "$IMG" --tmpfs /scratch --bind "$T/src:/data" --bind "$T/src:/nested/link/deeper" \
    --state-dir "$T/state" -- /bin/sh -c 'echo x > /scratch/written; echo x > /data/written; true'
expect_refused_or_ran
expect_untouched "$TARGET" "symlinked mount targets"

t "cwd through a symlink to a host folder stays inside the rootfs"
new_target
new_image cwd
ln -s "$TARGET" "$IMG/escape"
run_raw --rootfs "$IMG" --cwd /escape/made -- /bin/sh -c 'pwd; touch here'
expect_refused_or_ran
expect_untouched "$TARGET" "--cwd /escape/made with /escape -> $TARGET"

t "cwd naming an inherited fd is refused or harmless (CVE-2024-21626)"
new_image cwdfd
exec 7<"$T"
for n in 3 4 5 6 7 8 9; do
    # A leaked fd 7 would make the cwd $T, whose listing holds img-cwdfd.
    run_raw --rootfs "$IMG" --cwd "/proc/self/fd/$n" -- /bin/sh -c 'ls -A . ..; true'
    expect_refused_or_ran
    expect_lacks "$OUT" "img-cwdfd" "a listing from --cwd /proc/self/fd/$n"
done
exec 7<&-

finish
