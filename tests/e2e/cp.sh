# berth cp both ways (a file, a folder; content, mode and owner), a symlink inside the container
# that points at / never reaching the host's files, a missing path, a stopped container.
source "$(dirname "$0")/lib.bash"

project cp <<'YAML'
services:
  box:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sh", "-c", "echo ready; while :; do sleep 1000 & wait $$!; done"]
YAML

# mode_of PATH: the octal permission bits of a host path.
mode_of() { stat -c %a "$1"; }

t "up"
b_ok up -d
wait_until 20 eval 'berth logs box | grep -q ready' || fail "box never started"
track_monitors

H=$T/host
mkdir -p "$H/tree/sub"
printf 'hello from the host\n' >"$H/file.txt"
chmod 0640 "$H/file.txt"
printf 'one\n' >"$H/tree/a"
printf 'two\n' >"$H/tree/sub/b"
chmod 0755 "$H/tree/a"
chmod 0700 "$H/tree/sub"
ln -s a "$H/tree/link"

t "host -> container: a file"
b_ok cp "$H/file.txt" box:/tmp/
b_ok exec -T box cat /tmp/file.txt
expect_eq "$OUT" "hello from the host" "the file's content in the container"
b_ok exec -T box stat -c '%a %u:%g' /tmp/file.txt
expect_eq "$OUT" "640 $(stat -c %u:%g "$H/file.txt")" "the file's mode and owner in the container"

t "host -> container: a file under a new name"
b_ok cp "$H/file.txt" box:/tmp/renamed.txt
b_ok exec -T box cat /tmp/renamed.txt
expect_eq "$OUT" "hello from the host" "the renamed file's content"

t "host -> container: a folder"
chown 1234:2345 "$H/tree/sub/b"
b_ok cp "$H/tree" box:/tmp
b_ok exec -T box sh -c 'cat /tmp/tree/a /tmp/tree/sub/b; readlink /tmp/tree/link'
expect_eq "$OUT" "one${NL}two${NL}a" "the folder's files and symlink in the container"
b_ok exec -T box stat -c '%n %a' /tmp/tree/a /tmp/tree/sub
expect_eq "$OUT" "/tmp/tree/a 755${NL}/tmp/tree/sub 700" "the folder's modes in the container"
b_ok exec -T box stat -c '%u:%g' /tmp/tree/sub/b
expect_eq "$OUT" "1234:2345" "the numeric owner from the archive"

# A destination that does not exist yet is the folder's new name (docker cp's rule).
b_ok cp "$H/tree" box:/srv
b_ok exec -T box cat /srv/a /srv/sub/b
expect_eq "$OUT" "one${NL}two" "a folder copied under a new name"

t "container -> host: a file"
b_ok exec -T box sh -c 'echo made inside > /tmp/inside.txt; chmod 0604 /tmp/inside.txt'
b_ok cp box:/tmp/inside.txt "$H/out.txt"
expect_eq "$(cat "$H/out.txt" 2>&1)" "made inside" "the copied file's content"
expect_eq "$(mode_of "$H/out.txt")" 604 "the copied file's mode"

t "container -> host: a folder"
b_ok exec -T box sh -c 'mkdir -p /data/deep && echo x > /data/deep/x && chmod 0711 /data/deep && chmod 0600 /data/deep/x'
b_ok cp box:/data "$H/data-copy"
expect_eq "$(cat "$H/data-copy/deep/x" 2>&1)" x "the copied folder's file"
expect_eq "$(mode_of "$H/data-copy/deep")" 711 "the copied subfolder's mode"
expect_eq "$(mode_of "$H/data-copy/deep/x")" 600 "the copied file's mode"
mkdir -p "$H/into"
b_ok cp box:/data "$H/into"
expect_eq "$(cat "$H/into/data/deep/x" 2>&1)" x "a folder copied into an existing folder"

t "a symlink to / inside the container"
evil=berth-cp-evil-$$
rm -f "/tmp/$evil"
b_ok exec -T box sh -c "ln -s / /evil && echo container-secret > /etc/berth-cp-marker && echo container-tmp > /tmp/$evil.seed"
# Reading through it gives the container's file, never the host's.
b cp box:/evil/etc/berth-cp-marker "$H/marker"
if ((RC == 0)); then
    expect_eq "$(cat "$H/marker")" container-secret "evil/etc/... read through the symlink"
fi
b cp box:evil/etc/hostname "$H/hostname"
if ((RC == 0)); then
    b_ok exec -T box cat /etc/hostname
    expect_eq "$(cat "$H/hostname")" "$OUT" "evil/etc/hostname is the container's"
fi
[[ -e /etc/berth-cp-marker ]] && fail "the host has the container's marker file"
# Writing through it lands in the container's /tmp, never the host's.
b cp "$H/file.txt" "box:/evil/tmp/$evil"
[[ -e /tmp/$evil ]] && fail "cp through a symlink to / wrote the host's /tmp/$evil"
rm -f "/tmp/$evil"
if ((RC == 0)); then
    b_ok exec -T box cat "/tmp/$evil"
    expect_eq "$OUT" "hello from the host" "the file written through the symlink, in the container"
fi
# An archive whose folder is a symlink to / in the container: extraction never follows it.
b_ok exec -T box sh -c 'mkdir -p /drop && ln -s / /drop/tree'
b cp "$H/tree" box:/drop
[[ -e /sub/b || -e /a ]] && fail "extraction followed a symlink to the host's /"
b_ok exec -T box sh -c 'test ! -e /a && test ! -e /sub'
b_ok exec -T box sh -c 'ln -s /tmp /evil-tmp'
mkdir -p "$H/$evil-dir" && echo one >"$H/$evil-dir/a"
b cp "$H/$evil-dir" "box:/evil-tmp"
[[ -e /tmp/$evil-dir ]] && fail "cp into a symlinked folder wrote the host's /tmp/$evil-dir"
b_ok exec -T box cat "/tmp/$evil-dir/a"
expect_eq "$OUT" one "a folder copied into a symlink to /tmp lands in the container's /tmp"

t "a missing path"
b cp box:/no/such/file "$H/nothing"
expect_rc 1
expect_contains "$ERR" "/no/such/file" "the error names the missing path"
expect_contains "$ERR" "No such file or directory" "the error says it is missing"
[[ -e $H/nothing ]] && fail "a missing source still made $H/nothing"
b cp "$H/no-such-local-file" box:/tmp/
expect_rc 1
b cp "$H/file.txt" box:/no/such/dir/x
expect_rc 1
expect_contains "$ERR" "/no/such/dir" "the error names the missing folder"

t "past the request body limit"
head -c 65M /dev/urandom >"$H/big"  # past max_body_bytes, 64 MiB by default (not sparse: tar keeps holes small)
b cp "$H/big" box:/tmp/
expect_rc 1
expect_contains "$ERR" "max_body_bytes" "the error names the body limit"
b_ok exec -T box sh -c 'test ! -e /tmp/big'

t "a stopped container"
b_ok stop box
b cp box:/tmp/inside.txt "$H/after-stop"
expect_rc 1
expect_contains "$ERR" "is not running: cp needs a running container" "cp into a stopped container"

b_ok down
finish
