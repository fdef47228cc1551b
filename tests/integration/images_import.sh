#!/usr/bin/env bash
# Import: the busybox image from make-busybox-image runs `sh -c 'echo ok'` and its own CMD;
# --change, stdin and compressed input, tag/inspect/rm/prune, and the vfs (plain-copy) driver.
source "$(dirname "$0")/lib.bash"
source "$HERE/images_lib.bash"

t "make-busybox-image imports busybox:latest"
make_busybox
b images
expect_rc 0
expect_match "$OUT" $'REPOSITORY +TAG +IMAGE ID +CREATED +SIZE\nbusybox +latest +[0-9a-f]{12} ' "berth images"

t "a container from the image runs sh -c 'echo ok'"
run_image busybox c1 -- sh -c 'echo ok; cat /etc/passwd | head -1; echo hi > /new'
expect_rc 0
expect_eq "$OUT" $'ok\nroot:x:0:0:root:/root:/bin/sh' "output"
expect_eq "$(cat "$C/upper/new")" hi "the write landed in the container's upper dir"
b image inspect busybox
lower=$(grep -o '"/[^"]*/diff"' <<<"$OUT" | tr -d '"')
expect_eq "$(find "$lower" -name new | wc -l)" 0 "the layer is untouched"

t "--with-cmd runs the image's CMD"
container_dir c2
b image mount --with-cmd busybox "$C"
expect_contains "$OUT" "-- sh" "mount --with-cmd"
# shellcheck disable=SC2086
run_raw $OUT
expect_rc 0

t "import from stdin, gzip, with --change"
(cd "$ROOTFS" && tar --numeric-owner -cf - . | gzip -1) >"$T/rootfs.tgz"
b image import -c 'ENTRYPOINT ["/bin/echo"]' -c 'CMD ["from", "cmd"]' -c 'ENV GREETING=hello' \
    -c 'WORKDIR /tmp' -c 'USER app' -c 'EXPOSE 8080/tcp' -c 'LABEL team=images' - mine:1 <"$T/rootfs.tgz"
expect_rc 0
b image inspect mine:1
expect_contains "$OUT" '"GREETING=hello"' "inspect Env"
expect_contains "$OUT" '"8080/tcp"' "inspect ExposedPorts"
expect_contains "$OUT" '"team": "images"' "inspect Labels"
container_dir c3
b image mount --with-cmd mine:1 "$C"
# shellcheck disable=SC2086
run_raw $OUT
expect_eq "$OUT" "from cmd" "entrypoint + cmd"

t "zstd input"
(cd "$ROOTFS" && tar --numeric-owner -cf - . | zstd -q -c) >"$T/rootfs.tar.zst"
b image import "$T/rootfs.tar.zst" zbox
expect_rc 0
run_image zbox z1 -- echo zstd-ok
expect_eq "$OUT" zstd-ok "a container from the zstd import"

t "tag, rm, prune"
b image tag busybox localhost:5000/tools/bb:v1
expect_rc 0
b images
expect_contains "$OUT" "localhost:5000/tools/bb" "tagged name"
b image rm localhost:5000/tools/bb:v1
expect_eq "$OUT" "Untagged: localhost:5000/tools/bb:v1" "rm of one of two names"
before=$(blob_count)
b image rm mine:1
expect_rc 0
expect_contains "$OUT" "Deleted: sha256:" "rm of the last name deletes"
b image rm mine:1
expect_rc 1
expect_contains "$ERR" "No such image: mine:1" "rm again"
b image prune
expect_rc 0
expect_consistent_store

t "the vfs driver copies the layers into a private rootfs"
container_dir v1
"$BERTH" --data-root "$DATA" --storage-driver vfs image mount busybox "$C" >"$T/.opts"
expect_eq "$(<"$T/.opts")" "--rootfs $C/rootfs" "vfs mount options"
run_raw --rootfs "$C/rootfs" -- sh -c 'echo vfs-ok'
expect_eq "$OUT" vfs-ok "vfs container"

finish
