#!/usr/bin/env bash
# Builds a minimal busybox root filesystem in DIR from the host's static busybox (Debian's
# busybox-static, installed by scripts/setup):
#
#   /bin/busybox and one relative symlink per applet (`busybox --list`)
#   /etc/passwd   root 0, app 1000:1000 (home /home/app), nobody 65534
#   /etc/group    root 0, audio 29 (member: app), app 1000, nogroup 65534
#   /etc/hosts, /etc/hostname, /etc/resolv.conf
#   empty /proc /sys /dev /tmp (1777) /mnt /run, /root, /home/app owned by app
#
# Usage: make-rootfs.sh DIR [BUSYBOX]
# Idempotent, and fast enough to call once per test script: it only runs three processes.
set -euo pipefail

if (($# < 1 || $# > 2)); then
    echo "usage: $0 DIR [BUSYBOX]" >&2
    exit 2
fi
dir=$1
busybox=${2:-/bin/busybox}

if [[ ! -x $busybox ]]; then
    echo "make-rootfs: $busybox not found; install busybox-static (scripts/setup)" >&2
    exit 1
fi
mkdir -p "$dir"/{bin,etc,proc,sys,dev,tmp,mnt,run,root,home/app}
# Anything that must be a real directory: the engine mounts over these, and a copy of an old
# rootfs could have been turned into a symlink by a test.
for d in bin etc proc sys dev tmp mnt run root home/app; do
    if [[ -L $dir/$d || ! -d $dir/$d ]]; then
        echo "make-rootfs: $dir/$d is not a directory" >&2
        exit 1
    fi
done
chmod 1777 "$dir/tmp"
chmod 0700 "$dir/root"
chown 1000:1000 "$dir/home/app"

if ! cmp -s "$busybox" "$dir/bin/busybox"; then
    cp "$busybox" "$dir/bin/busybox.new"
    chmod 0755 "$dir/bin/busybox.new"
    mv -f "$dir/bin/busybox.new" "$dir/bin/busybox"
fi

# One process for all 270 links: a fork per `ln` costs seconds on a small VM.
# shellcheck disable=SC2046
perl -e '
    chdir(shift) or die "chdir: $!\n";
    for my $a (@ARGV) {
        next if $a eq "busybox";
        my $t = readlink($a);
        next if defined($t) && $t eq "busybox";
        unlink($a) if defined($t) || -e $a;
        symlink("busybox", $a) or die "symlink $a: $!\n";
    }' "$dir/bin" $("$dir/bin/busybox" --list)

write() {  # write FILE MODE CONTENT: only when it differs, so a second run touches nothing
    local file=$1 mode=$2 content=$3
    if [[ ! -f $file || -L $file || "$(<"$file")"$'\n' != "$content" ]]; then
        rm -f "$file"
        printf '%s' "$content" >"$file"
    fi
    chmod "$mode" "$file"
}

write "$dir/etc/passwd" 0644 'root:x:0:0:root:/root:/bin/sh
app:x:1000:1000:app:/home/app:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
'
write "$dir/etc/group" 0644 'root:x:0:
audio:x:29:app
app:x:1000:
nogroup:x:65534:
'
write "$dir/etc/hosts" 0644 '127.0.0.1	localhost
::1	localhost ip6-localhost ip6-loopback
'
write "$dir/etc/hostname" 0644 'rootfs
'
write "$dir/etc/resolv.conf" 0644 'nameserver 127.0.0.1
'
