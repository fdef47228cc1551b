#!/usr/bin/env bash
# Loading archives: a legacy docker-save archive and an OCI layout (gzip and zstd layers), each with
# a whiteout, an opaque directory and a hard link; a shared base layer stored once; save -> load
# keeps the digests.
source "$(dirname "$0")/lib.bash"
source "$HERE/images_lib.bash"

check_deleted() {  # check_deleted IMAGE: the upper layer's deletions are gone in a container
    run_image "$1" "ck-${1//[:\/]/-}" -- sh -c '
        test -e /data/gone.txt && echo gone.txt-still-there
        cat /data/kept.txt; ls /cache; cat /data/hard'
    expect_rc 0
    expect_eq "$OUT" $'kept\nnew\nkept' "$1: /data/gone.txt deleted, /cache opaque, hard link"
    b image mount --with-cmd "$1" "$T/containers/env-${1//[:\/]/-}"
    expect_contains "$OUT" "--env FROM_IMAGE=1 --cwd / -- sh" "$1: the image's env and cmd"
}

t "docker-save archive (legacy layout) with 3 layers"
python3 "$ARCHIVES" docker "$T/docker.tar" "$ROOTFS" dockerimg:v1
b image load -i "$T/docker.tar"
expect_rc 0
expect_eq "$OUT" "Loaded image: dockerimg:v1" "load output"
check_deleted dockerimg:v1
top=$(find "$DATA/overlay" -name .wh..wh..opq | wc -l)
expect_eq "$top" 0 "no .wh. names are left in the layers"
opq=$(python3 -c '
import os, sys
n = 0
for root, dirs, _ in os.walk(sys.argv[1]):
    for d in dirs:
        try:
            n += os.getxattr(os.path.join(root, d), "trusted.overlay.opaque", follow_symlinks=False) == b"y"
        except OSError:
            pass
print(n)' "$DATA/overlay")
expect_eq "$opq" 1 "one directory carries trusted.overlay.opaque=y"
wh=$(find "$DATA/overlay" -type c -name gone.txt -printf '%y %D\n' | wc -l)
expect_eq "$wh" 1 "/data/gone.txt is a 0:0 char device in the top layer"

t "OCI layout archive with gzip and zstd layers, sharing the base layer"
blobs_before=$(blob_count)
du_before=$(du -sk "$DATA/overlay" | cut -f1)
manifest=$(python3 "$ARCHIVES" oci "$T/oci.tar" "$ROOTFS" example.com/team/ociimg:2)
b image load -i "$T/oci.tar"
expect_rc 0
expect_eq "$OUT" "Loaded image: example.com/team/ociimg:2" "load output"
check_deleted example.com/team/ociimg:2

t "the shared base layer is stored once"
# The OCI image adds a manifest and three compressed layer blobs (its layers are not the docker
# archive's plain tars; its config is byte for byte the docker image's), but the base layer's unpacked dir is the same chain id: the overlay
# dir grows only by the two small upper layers, never by another busybox.
expect_eq "$(($(blob_count) - blobs_before))" 4 "new blobs"
expect_eq "$(layer_count)" 3 "unpacked layers (both images have the same three chain ids)"
du_after=$(du -sk "$DATA/overlay" | cut -f1)
((du_after - du_before < 200)) || fail "overlay grew by $((du_after - du_before)) kB for an image that shares every layer"
python3 "$ARCHIVES" docker "$T/docker2.tar" "$ROOTFS" second:v1
b image load -i "$T/docker2.tar"
expect_eq "$(blob_count)" "$((blobs_before + 4))" "a second docker archive with the same layers and config adds no blob"
b images
expect_contains "$OUT" "second" "second image listed"

t "save -> load keeps the digests"
b image inspect example.com/team/ociimg:2
expect_contains "$OUT" "$manifest" "the manifest digest from the archive is kept on load"
id1=$(grep -o '"Id": "[^"]*"' <<<"$OUT")
b image save -o "$T/saved.tar" example.com/team/ociimg:2 dockerimg:v1
expect_rc 0
tar -tf "$T/saved.tar" >"$T/saved.list"
for f in index.json manifest.json oci-layout "blobs/sha256/${manifest#sha256:}"; do
    grep -qx "$f" "$T/saved.list" || fail "saved archive lacks $f"
done
b image rm example.com/team/ociimg:2
b image rm dockerimg:v1
b image rm second:v1
expect_eq "$(blob_count)" 0 "rm of every image leaves no blob"
expect_eq "$(layer_count)" 0 "rm of every image leaves no layer"
b image load -i "$T/saved.tar"
expect_rc 0
expect_contains "$OUT" "Loaded image: example.com/team/ociimg:2" "reload"
expect_contains "$OUT" "Loaded image: dockerimg:v1" "reload"
b image inspect example.com/team/ociimg:2
expect_contains "$OUT" "\"Digest\": \"$manifest\"" "manifest digest after the round trip"
expect_eq "$(grep -o '"Id": "[^"]*"' <<<"$OUT")" "$id1" "image id after the round trip"
check_deleted dockerimg:v1
expect_consistent_store

finish
