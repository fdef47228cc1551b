#!/usr/bin/env bash
# The process: user and groups resolved from the image, environment, cwd, umask, only fds 0-2,
# exit statuses, a missing executable, rlimits (clamped to the hard limit with a warning),
# oom_score_adj and sysctls.
source "$(dirname "$0")/lib.bash"

DEFAULT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

t "user: root by default, with HOME from /etc/passwd and the default PATH"
run_in -- /bin/sh -c 'id -u; id -g; echo "$HOME"; echo "$PATH"'
expect_rc 0
expect_eq "$OUT" $'0\n0\n/root\n'"$DEFAULT_PATH" "uid, gid, HOME, PATH"

t "user: --user 1000:1000 shows in id"
run_in --user 1000:1000 -- /bin/sh -c 'id; id -u; id -g'
expect_rc 0
expect_contains "${OUT%%$NL*}" "uid=1000(app) gid=1000(app)" "id"
expect_eq "${OUT#*$NL}" $'1000\n1000' "id -u, id -g"

t "user: a name resolves from the image's /etc/passwd and /etc/group"
run_in --user app -- /bin/sh -c 'id -u; id -g; id -G; echo "$HOME"; whoami'
expect_rc 0
expect_eq "$(sed -n 1,2p <<<"$OUT")" $'1000\n1000' "uid and gid of app"
expect_eq "$(sed -n 3p <<<"$OUT" | tr ' ' '\n' | sort -nu | tr '\n' ' ')" "29 1000 " "groups of app (audio through /etc/group)"
expect_eq "$(sed -n 4,5p <<<"$OUT")" $'/home/app\napp' "HOME and whoami of app"

t "user: name:group, --group-add by name and by number"
run_in --user app:audio --group-add root --group-add 4242 -- /bin/sh -c 'id -u; id -g; id -G'
expect_rc 0
expect_eq "$(sed -n 1,2p <<<"$OUT")" $'1000\n29' "uid and gid of app:audio"
# As in Docker (moby/sys user.GetExecUser): an explicit group replaces the passwd one (1000) and
# turns off /etc/group membership lookup; --group-add groups are added (root by name, 4242 as is).
expect_eq "$(sed -n 3p <<<"$OUT" | tr ' ' '\n' | sort -nu | tr '\n' ' ')" "0 29 4242 " "groups with --group-add root --group-add 4242"

t "user: a uid missing from /etc/passwd runs as is, with HOME=/"
run_in --user 4321:4321 -- /bin/sh -c 'id -u; id -g; echo "$HOME"'
expect_rc 0
expect_eq "$OUT" $'4321\n4321\n/' "uid, gid and HOME of 4321:4321"

t "user: HOME given with --env is kept"
run_in --user app --env HOME=/elsewhere --env GREETING='hello world' -- /bin/sh -c 'echo "$HOME"; echo "$GREETING"; echo "$PATH"'
expect_rc 0
expect_eq "$OUT" $'/elsewhere\nhello world\n'"$DEFAULT_PATH" "HOME, GREETING and PATH"

t "user: an unknown name is an error naming it"
run_in --user berth-nobody-here -- /bin/true
expect_rc 125
expect_contains "$ERR" "berth-nobody-here" "the error"
expect_contains "$ERR" "berth-run: " "the error's prefix"

t "only fds 0-2 are open in the container"
# berth-run gets extra fds of its own; none may reach the container. ls's own dirfd is 3.
exec 7<"$ROOTFS/etc/passwd" 9>"$T/fd9"
run_in -- /bin/ls /proc/self/fd
expect_rc 0
expect_eq "$(tr '\n' ' ' <<<"$OUT")" "0 1 2 3 " "fds of the container's PID 1 (ls, whose dirfd is 3)"
run_in -- /bin/sh -c 'ls /proc/self/fd; true'
expect_rc 0
expect_eq "$(tr '\n' ' ' <<<"$OUT")" "0 1 2 3 " "fds inherited by a child of PID 1"
run_in --init -- /bin/ls /proc/self/fd
expect_rc 0
expect_eq "$(tr '\n' ' ' <<<"$OUT")" "0 1 2 3 " "fds of the command under --init"
exec 7<&- 9>&-

t "exit status: the container's, 128+signal when killed"
run_in -- /bin/sh -c 'exit 7'
expect_rc 7
rm -f "$T/shared"/*
start_bg --rootfs "$ROOTFS" --bind "$T/shared:/shared" -- /bin/sh -c 'touch /shared/ready; sleep 30; exit 3'
if wait_for_file "$T/shared/ready"; then
    if pid1=$(container_pid1 "$BG"); then
        kill -KILL "$pid1"
    else
        fail "no PID 1 of a new pid namespace appeared below berth-run ($BG)"
    fi
    wait_bg
    expect_rc 137
fi

t "a missing executable: an error naming it, status 127"
run_in -- /bin/berth-no-such-binary arg
expect_rc 127
expect_contains "$ERR" "/bin/berth-no-such-binary" "the error for an absolute path"
run_in -- berth-no-such-command
expect_rc 127
expect_contains "$ERR" "berth-no-such-command" "the error for a PATH lookup"
run_in --env PATH=/nowhere -- sh -c true
expect_rc 127
expect_contains "$ERR" "sh" "the error when PATH has no sh"

t "cwd: taken, and created when missing"
run_in --cwd /etc -- /bin/pwd
expect_rc 0
expect_eq "$OUT" /etc "pwd with --cwd /etc"
[[ ! -e $ROOTFS/srv ]] || fail "the image already has /srv"
run_in --cwd /srv/app/data -- /bin/sh -c 'pwd; touch here'
expect_rc 0
expect_eq "$OUT" /srv/app/data "pwd with a missing --cwd"
[[ -f $ROOTFS/srv/app/data/here ]] || fail "a file made in the new cwd is not in the rootfs"
run_in --user app --cwd /home/app -- /bin/pwd
expect_rc 0
expect_eq "$OUT" /home/app "pwd as app"

t "umask: 0022 by default, --umask sets it"
run_in -- /bin/sh -c 'umask; touch /tmp/f; stat -c %a /tmp/f'
expect_rc 0
expect_eq "$OUT" $'0022\n644' "default umask"
run_in --umask 0077 -- /bin/sh -c 'umask; touch /tmp/g; stat -c %a /tmp/g'
expect_rc 0
expect_eq "$OUT" $'0077\n600' "umask with --umask 0077"

t "rlimits: set when within the hard limit"
# berth-run without CAP_SYS_RESOURCE and with a known hard limit, as on the CI machines.
RUN_PREFIX=(setpriv --bounding-set -sys_resource --inh-caps -sys_resource -- bash -c 'ulimit -Sn 1024 && ulimit -Hn 4096 && exec "$@"' rlimit)
run_in --ulimit nofile=2000:3000 -- /bin/sh -c 'ulimit -n; ulimit -Hn'
expect_rc 0
expect_eq "$OUT" $'2000\n3000' "ulimit -n and -Hn with --ulimit nofile=2000:3000"
expect_lacks "$ERR" "nofile" "stderr (no clamping warning)"

t "rlimits: above the hard limit they are clamped, with a warning"
run_in --ulimit nofile=5096 -- /bin/sh -c 'ulimit -n; ulimit -Hn'
expect_rc 0
expect_eq "$OUT" $'4096\n4096' "ulimit -n and -Hn with --ulimit nofile=5096 under a hard limit of 4096"
expect_match "$ERR" "berth-run: warning: [^$NL]*nofile" "the warning"
run_in --ulimit nofile=1000:5096 -- /bin/sh -c 'ulimit -n; ulimit -Hn'
expect_rc 0
expect_eq "$OUT" $'1000\n4096' "ulimit -n and -Hn with --ulimit nofile=1000:5096"
expect_match "$ERR" "berth-run: warning: [^$NL]*nofile" "the warning"
RUN_PREFIX=()

t "oom_score_adj and sysctls"
host_ttl=$(</proc/sys/net/ipv4/ip_default_ttl)
run_in --oom-score-adj 500 --sysctl net.ipv4.ip_default_ttl=77 -- /bin/sh -c 'cat /proc/self/oom_score_adj /proc/sys/net/ipv4/ip_default_ttl'
expect_rc 0
expect_eq "$OUT" $'500\n77' "oom_score_adj and net.ipv4.ip_default_ttl inside"
expect_eq "$(</proc/sys/net/ipv4/ip_default_ttl)" "$host_ttl" "the host's net.ipv4.ip_default_ttl"
[[ $host_ttl != 77 ]] || fail "the host's ttl is already 77; the check above proves nothing"

finish
