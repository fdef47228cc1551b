# The image commands through berthd (no --data-root): image ls, import --change, inspect, tag, rm
# refused while a container holds the image, save/rm/load round trip, prune once the container is
# gone; `images` in a project lists its containers' images as docker compose does, and outside
# one the store's. Names with '/' and ':' travel percent-encoded in the path.
source "$(dirname "$0")/lib.bash"

project imgs <<'YAML'
services:
  app:
    image: busybox:latest
    network_mode: none
    command: ["sleep", "1000"]
YAML

t "image ls lists busybox"
b_ok image ls
expect_match "$OUT" $'(^|\n)busybox +latest +[0-9a-f]{12} ' "berth image ls"
b_ok image ls -q
expect_match "$OUT" '^[0-9a-f]{12}$' "berth image ls -q"
b_ok images
expect_match "$OUT" '^CONTAINER +REPOSITORY +TAG +PLATFORM +IMAGE ID +SIZE +CREATED$' \
    "images in a project with no containers yet"
PROJECT_DIR='' b_ok images
expect_match "$OUT" $'(^|\n)busybox +latest +[0-9a-f]{12} ' "images outside a project: the store's"

t "import with --change, then inspect"
mkdir -p "$T/tiny/etc"
echo tiny >"$T/tiny/etc/hostname"
tar -C "$T/tiny" -cf "$T/tiny.tar" .
b_ok image import --change 'CMD ["sh"]' "$T/tiny.tar" tiny:1
expect_match "$OUT" '^sha256:[0-9a-f]{64}$' "import prints the image id"
tiny_id=$OUT
b_ok image inspect tiny:1
expect_eq "$(jq -c '.[0].Config.Cmd' <<<"$OUT")" '["sh"]' "the imported image's Cmd"
expect_eq "$(jq -r '.[0].Id' <<<"$OUT")" "$tiny_id" "inspect's Id"

t "import from stdin"
LAST_CMD="berth image import - tiny:stdin"
RC=0
berth image import - tiny:stdin <"$T/tiny.tar" >"$T/.out" 2>"$T/.err" || RC=$?
expect_rc 0
expect_match "$(<"$T/.out")" '^sha256:[0-9a-f]{64}$' "import from stdin prints the image id"

t "tag"
b_ok image tag tiny:1 example.com/team/tiny:2
b_ok image ls
expect_match "$OUT" $'(^|\n)tiny +1 +'"${tiny_id:7:12}" "image ls lists tiny:1"
expect_match "$OUT" $'(^|\n)example.com/team/tiny +2 +'"${tiny_id:7:12}" "image ls lists the new name"
b_ok image inspect example.com/team/tiny:2
expect_eq "$(jq -r '.[0].Id' <<<"$OUT")" "$tiny_id" "inspect by a name with / and :"

t "unknown image"
b image inspect nosuch:9
expect_rc 1
expect_eq "$ERR" "Error: No such image: nosuch:9" "inspect of an unknown image"

t "rm of an image a container uses"
b_ok up -d
wait_until 30 state_is app running || fail "app never ran"
app_id=$(container_id app)
track_monitors
b_ok image inspect busybox
busybox_full=$(jq -r '.[0].Id' <<<"$OUT")
busybox_short=${busybox_full:7:12}
b_ok images
expect_match "$OUT" $'\nimgs-app-1 +busybox +latest +linux/amd64 +'"$busybox_short"' +[0-9.]+[kM]?B +[^ ].* ago$' \
    "images lists the project's container and its image"
b_ok images -q
expect_eq "$OUT" "${busybox_full:7}" "images -q: the full id, once"
b_ok images --format json
expect_eq "$(jq -r '.[0].ContainerName + " " + .[0].ID + " " + .[0].Repository + ":" + .[0].Tag' <<<"$OUT")" \
    "imgs-app-1 $busybox_full busybox:latest" "images --format json"
b images nosuch
expect_rc 1
expect_eq "$ERR" "berth: no such service: nosuch" "images of an unknown service"
b image rm busybox
expect_rc 1
expect_eq "$ERR" "Error: conflict: unable to remove repository reference \"busybox\" (must force) - container ${app_id:0:12} is using its referenced image $busybox_short" \
    "the lease conflict, verbatim"
b_ok image ls
expect_match "$OUT" $'(^|\n)busybox +latest ' "busybox is still listed"

t "save, rm, load"
b_ok image save -o "$T/tiny-save.tar" tiny:1 example.com/team/tiny:2
tar -tf "$T/tiny-save.tar" >"$T/tiny-save.list" || fail "the saved archive is not a tar"
grep -qE '^(\./)?manifest.json$' "$T/tiny-save.list" || fail "the saved archive has no manifest.json"
grep -qE '^(\./)?index.json$' "$T/tiny-save.list" || fail "the saved archive has no index.json"
LAST_CMD="berth image save tiny:1 > FILE"
RC=0
berth image save tiny:1 >"$T/tiny-stdout.tar" 2>"$T/.err" || RC=$?
expect_rc 0
tar -tf "$T/tiny-stdout.tar" | grep -qE '^(\./)?manifest.json$' || fail "save to stdout is not the archive"
b_ok image rm tiny:1 tiny:stdin example.com/team/tiny:2
expect_contains "$OUT" "Untagged: tiny:1" "rm untags"
expect_contains "$OUT" "Deleted: $tiny_id" "rm deletes the image once its last name goes"
b image inspect tiny:1
expect_rc 1
b_ok image load -i "$T/tiny-save.tar"
expect_contains "$OUT" "Loaded image: tiny:1" "load names tiny:1"
expect_contains "$OUT" "Loaded image: example.com/team/tiny:2" "load names the tag"
b_ok image inspect tiny:1
expect_eq "$(jq -r '.[0].Id' <<<"$OUT")" "$tiny_id" "the image id survives save and load"
expect_eq "$(jq -c '.[0].Config.Cmd' <<<"$OUT")" '["sh"]' "so does its Cmd"
b_ok image load -q -i "$T/tiny-stdout.tar"
expect_eq "$OUT" "" "load -q prints nothing"

t "prune after the container is gone"
b_ok image rm -f busybox
expect_contains "$OUT" "Untagged: busybox:latest" "rm -f untags a leased image"
b_ok image prune
expect_lacks "$OUT" "Deleted: sha256:$busybox_short" "prune keeps the leased image's config"
b_ok down
b_ok image prune
expect_contains "$OUT" "Deleted: sha256:$busybox_short" "prune deletes busybox's config blob"
b_ok image ls
expect_lacks "$OUT" "busybox" "busybox is gone"

t "--storage-driver needs --data-root"
b --storage-driver vfs images
expect_rc 1
expect_contains "$ERR" "--storage-driver needs --data-root" "the refusal"

finish
