#!/usr/bin/env bash
# Bad input: entries escaping the layer root (../, absolute, through a symlink or a hard link),
# digest mismatches, missing blobs, unknown media types and bad names are refused with an error
# naming the culprit, and the store is exactly as before.
source "$(dirname "$0")/lib.bash"
source "$HERE/images_lib.bash"

make_busybox
CLEANUP_PATHS+=(/tmp/berth-escape)
rm -f /tmp/berth-escape
passwd_before=$(sha256sum /etc/passwd)
state=$(store_state)

refused() {  # refused KIND NEEDLE...: loading bad-KIND fails, says each NEEDLE, changes nothing
    local kind=$1
    shift
    t "refuses $kind"
    python3 "$ARCHIVES" "bad-$kind" "$T/bad-$kind.tar" "$ROOTFS" "bad-$kind:latest"
    b image load -i "$T/bad-$kind.tar"
    expect_rc 1
    local n
    for n in "$@"; do expect_contains "$ERR" "$n" "error message"; done
    expect_eq "$(store_state)" "$state" "the store after the refused load"
    b images
    expect_lacks "$OUT" "bad-$kind" "berth images"
}

refused dotdot 'entry "../evil"' "escapes the layer root"
refused absolute 'entry "/abs-evil"' "absolute path"
refused symlink 'entry "link/berth-escape"' "symlink"
refused symlink-rel 'entry "link/berth-escape"' "symlink"
refused hardlink 'entry "hl"' "../../../../etc/passwd"
refused hardlink-symlink 'entry "hl"' "hard link to symlink s"
refused digest 'archive entry "blobs/sha256/' "digest mismatch"
refused missing "is missing from the archive"
refused mediatype 'unknown media type "application/x-unknown-layer"'

t "nothing was written outside the store"
[[ ! -e /tmp/berth-escape ]] || fail "/tmp/berth-escape was created through a symlink"
expect_eq "$(sha256sum /etc/passwd)" "$passwd_before" "/etc/passwd"

t "import refuses a rootfs tar with a ../ entry"
python3 - "$T/evil-rootfs.tar" <<'PY'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w") as tf:
    for name in ("ok.txt", "../../outside.txt"):
        ti = tarfile.TarInfo(name)
        ti.size = 2
        tf.addfile(ti, io.BytesIO(b"x\n"))
PY
b image import "$T/evil-rootfs.tar" evil:1
expect_rc 1
expect_contains "$ERR" 'entry "../../outside.txt": path escapes the layer root (..)' "import error"
expect_eq "$(store_state)" "$state" "the store after the refused import"

t "bad names get the reference grammar error"
b image import "$T/evil-rootfs.tar" busybox/Name
expect_rc 1
expect_eq "$ERR" "Error: invalid reference format: repository name (busybox/Name) must be lowercase" "uppercase"
b image tag busybox 'busybox:bad tag'
expect_rc 1
expect_eq "$ERR" "Error: invalid reference format" "tag with a space"
b image inspect "docker.io/docker///docker"
expect_eq "$ERR" "Error: invalid reference format" "empty path component"
b image inspect nosuch
expect_eq "$ERR" "Error: No such image: nosuch" "unknown image"
expect_eq "$(store_state)" "$state" "the store after refused names"
expect_consistent_store

finish
