# Named, external and anonymous volumes: data that outlives `down` and a daemon restart and goes
# with `down -v`; a missing external volume stopping `up` before anything is made; `berth volume`
# ls, create, inspect, rm (refused while in use, naming the container) and prune; bad names.
source "$(dirname "$0")/lib.bash"
LOOP=
loop_teardown() {
    local status=$?
    # Off for the rest of the exit, so lib.bash's cleanup always runs after this.
    set +e
    # Detached lazily: it goes when cleanup unmounts the volume on it.
    [[ -n $LOOP ]] && losetup -d "$LOOP" 2>/dev/null
    return "$status"
}
trap 'loop_teardown; cleanup' EXIT

project vols <<'YAML'
services:
  db:
    image: busybox:latest
    init: true
    command: ["sleep", "1000"]
    volumes:
      - data:/var/lib/db
      - /scratch
      - shared:/shared
volumes:
  data:
  shared:
    external: true
    name: ext-vol
YAML

vol_names() { berth volume ls -q 2>/dev/null | sort | paste -sd' ' -; }

t "a missing external volume stops up before anything is made"
b up -d
expect_fail
expect_contains "$ERR$OUT" 'external volume "ext-vol" not found' "the error names the volume"
expect_eq "$(n_containers)" 0 "no container was made"
expect_eq "$(vol_names)" "" "no volume was made"
api GET /v1/networks
expect_eq "$(jq length <<<"$OUT")" 0 "no network was made"

t "volume create, ls, inspect"
b_ok volume create ext-vol --label team=a
expect_eq "$OUT" "ext-vol" "create prints the name"
b_ok volume inspect ext-vol
expect_eq "$(jq -r '.[0].Mountpoint' <<<"$OUT")" "$DATA_ROOT/volumes/ext-vol/_data" "its mountpoint"
expect_eq "$(jq -r '.[0].Labels.team' <<<"$OUT")" "a" "its label"
b volume create ../escape
expect_fail
expect_contains "$ERR" 'invalid volume name "../escape"' "a bad name is refused"
b volume create x --driver nfs-plugin
expect_fail
expect_contains "$ERR" 'driver "nfs-plugin" is not available' "an unknown driver is named"

t "up: the data survives down and up"
b_ok up -d
wait_until 20 state_is db running || fail "db is not running"
expect_match "$(vol_names)" "ext-vol .*vols_data" "the project's volume exists: $(vol_names)"
b_ok exec -T db sh -c 'echo kept > /var/lib/db/file && echo shared > /shared/file && echo tmp > /scratch/file'
expect_eq "$(cat "$DATA_ROOT/volumes/vols_data/_data/file")" "kept" "the file is in the volume's folder"
b volume rm vols_data
expect_fail
expect_contains "$ERR" "volume is in use - [vols-db-1]" "a volume in use is not removed"
b_ok down
expect_match "$(vol_names)" "vols_data" "down keeps the named volume"
b_ok up -d
wait_until 20 state_is db running || fail "db is not running again"
b_ok exec -T db cat /var/lib/db/file
expect_eq "$OUT" "kept" "the data after down and up"

t "the data survives a daemon restart"
stop_daemon
start_daemon
b_ok exec -T db cat /var/lib/db/file
expect_eq "$OUT" "kept" "the data after berthd restarted"

t "a recreated container keeps its anonymous volumes"
b_ok exec -T db sh -c 'echo anon-kept > /scratch/file2'
scratch_before=$(berth volume ls -q | grep -vc -e ext-vol -e vols_data)
sed -i 's/    init: true/    init: true\n    environment: [CHANGED=1]/' "$T/projects/vols/compose.yaml"
b_ok up -d
expect_contains "$(progress)" "Recreate" "the changed service was recreated"
wait_until 20 state_is db running || fail "db is not running after recreation"
b_ok exec -T db cat /scratch/file2
expect_eq "$OUT" "anon-kept" "the anonymous volume's data after recreation"
expect_eq "$(berth volume ls -q | grep -vc -e ext-vol -e vols_data)" "$scratch_before" \
    "no new anonymous volume"

t "down -v: the project's volumes go, the external one stays"
b_ok down -v
expect_eq "$(vol_names)" "ext-vol" "only the external volume is left"
[[ ! -e $DATA_ROOT/volumes/vols_data ]] || fail "vols_data's folder remains"
expect_eq "$(cat "$DATA_ROOT/volumes/ext-vol/_data/file")" "shared" "the external volume's data is kept"

t "run --rm takes its anonymous volume with it; prune takes unused anonymous ones"
b_ok run --rm db true
expect_eq "$(vol_names)" "ext-vol vols_data" "run --rm left no anonymous volume: $(vol_names)"
b_ok volume create
anon=$OUT
expect_match "$anon" '^[0-9a-f]{64}$' "a volume without a name gets a random one"
b_ok volume prune -f
expect_contains "$OUT" "$anon" "prune removed the unused anonymous volume"
expect_eq "$(vol_names)" "ext-vol vols_data" "prune keeps named volumes"
b_ok volume prune -f -a
expect_eq "$(vol_names)" "" "prune -a removes every unused volume"

t "a new volume is filled from the image at its first mount, unless nocopy"
project copy <<'YAML'
services:
  c:
    image: busybox:latest
    init: true
    command: ["sleep", "1000"]
    volumes:
      - bins:/bin
      - type: volume
        source: noetc
        target: /etc
        volume:
          nocopy: true
volumes:
  bins:
  noetc:
YAML
b_ok up -d
wait_until 20 state_is c running || fail "c is not running"
[[ -f $DATA_ROOT/volumes/copy_bins/_data/busybox ]] || fail "the image's /bin/busybox was not copied"
[[ -L $DATA_ROOT/volumes/copy_bins/_data/sh ]] || fail "the image's /bin/sh symlink was not copied as one"
b_ok exec -T c sh -c 'echo mine > /bin/mark'
[[ ! -e $DATA_ROOT/volumes/copy_noetc/_data/passwd ]] || fail "nocopy: /etc/passwd was copied"
b exec -T c test -e /etc/passwd
expect_fail
b_ok down
b_ok up -d
wait_until 20 state_is c running || fail "c is not running again"
b_ok exec -T c cat /bin/mark
expect_eq "$OUT" "mine" "a volume that is not empty is not filled again"
b_ok down -v

t "local driver options: tmpfs with a size, ext4 on a loop device"
b_ok volume create small --opt type=tmpfs --opt device=tmpfs --opt o=size=2m
truncate -s 16M "$T/disk.img"
mkfs.ext4 -q -F "$T/disk.img" || fail "mkfs.ext4 failed"
LOOP=$(losetup -f --show "$T/disk.img") || fail "no loop device"
b_ok volume create disk --opt type=ext4 --opt "device=$LOOP"
b volume create bad --opt type=ext4
expect_fail
expect_contains "$ERR" '"device" is missing' "a type without a device is refused"
project localdrv <<'YAML'
services:
  c:
    image: busybox:latest
    init: true
    command: ["sleep", "1000"]
    volumes: [small:/small, disk:/disk]
volumes:
  small: {external: true}
  disk: {external: true}
YAML
b_ok up -d
wait_until 20 state_is c running || fail "c is not running"
b exec -T c dd if=/dev/zero of=/small/fill bs=1024 count=3072
expect_fail
expect_contains "$ERR$OUT" "No space left on device" "the tmpfs volume's size"
b_ok exec -T c sh -c 'echo on-ext4 > /disk/f && grep " /disk " /proc/mounts'
expect_contains "$OUT" "ext4" "the ext4 volume is mounted in the container"
b_ok down
b_ok volume rm small disk
mkdir -p "$T/check"
mount "$LOOP" "$T/check" && {
    expect_eq "$(cat "$T/check/f")" "on-ext4" "the data is on the device"
    umount "$T/check"
}
losetup -d "$LOOP"
LOOP=

t "configs, secrets, volumes_from and subpath"
project share <<'YAML'
services:
  a:
    image: busybox:latest
    init: true
    command: ["sh", "-c", "echo from-a > /data/file && exec sleep 1000"]
    volumes: [data:/data, ./conf:/conf]
    configs:
      - app_conf
      - source: inline
        target: /etc/inline.conf
    secrets: [token, envtok]
  b:
    image: busybox:latest
    init: true
    command: ["sleep", "1000"]
    volumes_from: ["a:ro"]
    volumes:
      - type: volume
        source: data
        target: /sub
        volume:
          subpath: inner
configs:
  app_conf:
    file: ./app.conf
  inline:
    content: "x=1"
secrets:
  token:
    file: ./token.txt
  envtok:
    environment: TOKEN
volumes:
  data:
YAML
echo "TOKEN=from-env" >"$T/projects/share/.env"
mkdir -p "$T/projects/share/conf"
echo "hello-config" >"$T/projects/share/app.conf"
echo "s3cret" >"$T/projects/share/token.txt"
echo "c" >"$T/projects/share/conf/c"
b_ok volume create share_data
mkdir -p "$DATA_ROOT/volumes/share_data/_data/inner"
echo "sub" >"$DATA_ROOT/volumes/share_data/_data/inner/f"
b_ok up -d
wait_until 20 state_is a running || fail "a is not running"
wait_until 20 state_is b running || fail "b is not running"
b_ok exec -T a cat /app_conf /run/secrets/token
expect_eq "$OUT" "hello-config${NL}s3cret" "a config from a file and a secret"
b_ok exec -T a cat /etc/inline.conf
expect_eq "$OUT" "x=1" "a config from its content, at its target"
b_ok exec -T a cat /run/secrets/envtok
expect_eq "$OUT" "from-env" "a secret from the project's environment"
b exec -T a sh -c 'echo no > /run/secrets/token'
expect_fail
wait_until 10 eval '[[ $(berth exec -T b cat /data/file 2>/dev/null) == from-a ]]' ||
    fail "b does not see a's volume through volumes_from"
b_ok exec -T b cat /conf/c
expect_eq "$OUT" "c" "b gets a's bind too"
b exec -T b sh -c 'echo no > /data/other'
expect_fail
expect_contains "$ERR$OUT" "Read-only file system" "volumes_from a:ro is read-only"
b_ok exec -T b cat /sub/f
expect_eq "$OUT" "sub" "subpath mounts a folder of the volume"
b volume rm share_data
expect_fail
expect_contains "$ERR" "volume is in use" "a volume used through volumes_from is in use"
b_ok down
b_ok volume rm share_data

t "bad input: a relative bind target; symlinks on the host and in the image"
project reltarget <<'YAML'
services:
  s:
    image: busybox:latest
    command: ["sleep", "1000"]
    volumes: ["./a:rel/target"]
YAML
b up -d
expect_fail
expect_contains "$(progress)" 'target "rel/target" is not an absolute path' "a relative target is refused"
expect_eq "$(berth ps -a -q)" "" "nothing was made"
# The image links /escape to a folder of the host's; a mount under it stays in the container.
"$HERE/../integration/make-rootfs.sh" "$T/trap-rootfs" >/dev/null 2>&1 || fail "make-rootfs failed"
ln -s "$T/host-escape" "$T/trap-rootfs/escape"
tar --numeric-owner -C "$T/trap-rootfs" -cf "$T/trap.tar" .
b_ok image import --change 'CMD ["sh"]' "$T/trap.tar" trap:latest
mkdir -p "$T/projects/symlinks/real"
echo "pointed-at" >"$T/projects/symlinks/real/f"
project symlinks <<'YAML'
services:
  s:
    image: trap:latest
    init: true
    command: ["sleep", "1000"]
    volumes:
      - ./link:/from-link
      - data:/escape/inside
volumes:
  data:
YAML
ln -s real "$T/projects/symlinks/link"
b_ok up -d
wait_until 20 state_is s running || fail "s is not running"
b_ok exec -T s cat /from-link/f
expect_eq "$OUT" "pointed-at" "a bind source that is a symlink is what it points at"
b_ok exec -T s sh -c 'echo in-volume > /escape/inside/f'
expect_eq "$(cat "$DATA_ROOT/volumes/symlinks_data/_data/f")" "in-volume" "the volume is mounted in the container"
[[ ! -e $T/host-escape ]] || fail "the image's symlink made berth create $T/host-escape on the host"
b_ok down -v

t "binds: relative paths, a missing folder made, read_only, propagation; tmpfs size and mode"
project binds <<'YAML'
services:
  app:
    image: busybox:latest
    init: true
    command: ["sleep", "1000"]
    volumes:
      - ./conf/app.cnf:/etc/app.cnf:ro
      - ./not/yet:/data
      - type: bind
        source: ./slave
        target: /slave
        bind:
          propagation: rslave
      - type: bind
        source: ./private
        target: /private
      - type: tmpfs
        target: /small
        tmpfs:
          size: 1m
          mode: 0750
YAML
mkdir -p "$T/projects/binds/conf" "$T/projects/binds/slave" "$T/projects/binds/private"
echo "setting=1" >"$T/projects/binds/conf/app.cnf"
# Both sources are mount points of their own, shared, so a mount made under them afterwards has
# somewhere to propagate from.
for d in slave private; do
    mount --bind "$T/projects/binds/$d" "$T/projects/binds/$d"
    mount --make-shared "$T/projects/binds/$d"
done
b_ok up -d
wait_until 20 state_is app running || fail "app is not running"
b_ok exec -T app cat /etc/app.cnf
expect_eq "$OUT" "setting=1" "the relative bind of a file"
[[ -d $T/projects/binds/not/yet ]] || fail "the missing bind source was not made"
b_ok exec -T app sh -c 'echo x > /data/f'
expect_eq "$(cat "$T/projects/binds/not/yet/f")" "x" "the made folder is the bind"
b exec -T app sh -c 'echo y > /etc/app.cnf'
expect_fail
expect_contains "$ERR$OUT" "Read-only file system" "read_only refuses writes"
for d in slave private; do
    mkdir -p "$T/projects/binds/$d/sub"
    mount -t tmpfs -o size=1m tmpfs "$T/projects/binds/$d/sub"
    echo "from-host" >"$T/projects/binds/$d/sub/mark"
done
b exec -T app cat /slave/sub/mark
expect_eq "$OUT" "from-host" "rslave: a mount made on the host after start is seen"
b exec -T app cat /private/sub/mark
expect_ne "$OUT" "from-host" "rprivate: it is not"
b_ok exec -T app stat -c %a /small
expect_eq "$OUT" "750" "the tmpfs mode"
b exec -T app dd if=/dev/zero of=/small/fill bs=1024 count=2048
expect_fail
expect_contains "$ERR$OUT" "No space left on device" "the tmpfs size limit"
b_ok down
for d in slave private; do
    umount "$T/projects/binds/$d/sub" 2>/dev/null || true
done
finish
