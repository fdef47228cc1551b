# Shared by the engine integration tests (tests/integration/*.sh). Each test script is run as
#
#   bash SCRIPT BERTH_RUN WORK_DIR
#
# and sources this file, which checks for root (exit 77 = skipped otherwise), builds a busybox rootfs
# once into a private temporary folder under WORK_DIR, and installs a trap that removes everything the
# script made (containers still running, mounts, SysV IPC objects, folders), whether it passes or not.
#
# Assertions do not stop the script: each failure is printed with the command, its status, stdout and
# stderr, and the script exits 1 at the end if any failed. Waiting is always by polling against a
# deadline, never a fixed sleep.
set -euo pipefail

if ((EUID != 0)); then
    echo "SKIP: the engine integration tests need root (namespaces, mounts)"
    exit 77
fi
if (($# != 2)); then
    echo "usage: bash $0 BERTH_RUN WORK_DIR" >&2
    exit 2
fi

BERTH_RUN=$(realpath -e "$1")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TEST_NAME=$(basename "$0" .sh)
mkdir -p "$2"
T=$(mktemp -d "$(realpath -e "$2")/berth-it-$TEST_NAME-XXXXXX")
# The container's root in a user namespace (host uid 100000) must be able to walk down to its rootfs.
chmod 0755 "$T"
ROOTFS=$T/rootfs
RUN_TIMEOUT=${BERTH_IT_TIMEOUT:-60}  # seconds for one container; the deadline of every run
FAILURES=0
NL=$'\n'
CURRENT="setup"
MAIN_PID=$BASHPID

declare -A LIVE=() # berth-run processes and their deadline watchdogs not reaped yet
CLEANUP_IPC=()    # SysV message queue ids made on the host
CLEANUP_PATHS=()  # folders outside $T (escape targets in /tmp)
CLEANUP_HOOKS=()  # functions run first by the exit trap (e.g. removing containers a script created)

# Unmounts, leaf first, every mount in our mount namespace whose mount point is under $1.
unmount_under() {
    local prefix=$1 mp
    local -a mps=()
    while read -r _ _ _ _ mp _; do
        printf -v mp '%b' "$mp"  # mountinfo escapes spaces as \040
        [[ $mp == "$prefix" || $mp == "$prefix"/* ]] && mps+=("$mp")
    done </proc/self/mountinfo
    local i
    for ((i = ${#mps[@]} - 1; i >= 0; i--)); do
        umount -l "${mps[i]}" 2>/dev/null || true
    done
}

# SIGKILLs PID and every process below it (killing a container's PID 1 ends its whole pid namespace).
kill_tree() {
    local root=$1 f pid ppid
    local -A parent=()
    for f in /proc/[0-9]*/stat; do
        pid=${f#/proc/}
        pid=${pid%/stat}
        read -r ppid 2>/dev/null <"$f" || continue
        ppid=${ppid##*) }  # "pid (comm) state ppid ...": comm may hold spaces
        ppid=${ppid#* }
        parent[$pid]=${ppid%% *}
    done
    local -a victims=()
    for pid in "${!parent[@]}"; do
        local p=$pid hops=0
        while [[ -n $p && $p != 0 ]] && ((hops++ < 64)); do
            if [[ $p == "$root" ]]; then
                victims+=("$pid")
                break
            fi
            p=${parent[$p]:-}
        done
    done
    ((${#victims[@]} == 0)) || kill -KILL "${victims[@]}" 2>/dev/null || true
}

cleanup() {
    local status=$? pid id p hook
    # A subshell (a watchdog, a command substitution) that gets a signal before it has reset the
    # traps it inherited runs them; only the script itself may kill its runs and remove $T.
    [[ $BASHPID == "$MAIN_PID" ]] || exit "$status"
    set +e
    for hook in "${CLEANUP_HOOKS[@]}"; do
        "$hook"
    done
    for pid in "${!LIVE[@]}"; do
        kill_tree "$pid"
        wait "$pid" 2>/dev/null
    done
    for id in "${CLEANUP_IPC[@]}"; do
        ipcrm -q "$id" 2>/dev/null
    done
    for p in "$T" "${CLEANUP_PATHS[@]}"; do
        unmount_under "$p"
        rm -rf --one-file-system "$p"
    done
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------------
# Reporting and assertions

# shellcheck source=../assert.bash
source "$HERE/../assert.bash"

# The value of "Key:" in /proc/<pid>/status text.
status_field() {
    local text=$1 key=$2 line
    while IFS= read -r line; do
        if [[ $line == "$key:"* ]]; then
            line=${line#"$key:"}
            echo "${line//[[:space:]]/}"
            return 0
        fi
    done <<<"$text"
    echo "<no $key>"
}

# The line of `text` (as given by one or more `name value...` lines) starting with $2, minus the name.
line_of() {
    local text=$1 key=$2 line
    while IFS= read -r line; do
        if [[ $line == "$key "* ]]; then
            echo "${line#"$key "}"
            return 0
        fi
    done <<<"$text"
    echo "<no $key>"
}

# ---------------------------------------------------------------------------------------------------
# Running containers

RUN_PREFIX=()  # e.g. (setpriv --bounding-set -sys_resource): what berth-run runs under

# spawn OUT ERR ARGS...: starts berth-run ARGS in the background (stdout to OUT, stderr to ERR) and
# a watchdog that SIGKILLs berth-run and every process below it (the container) at the deadline.
# Sets SPAWNED and DOG.
#
# The watchdog learns that berth-run has exited from end-of-file on a FIFO whose only writer is
# berth-run (fd 19; its clone child closes it with every other fd before exec), never from a signal.
# bash loses a trapped signal that reaches a subshell before the subshell has replaced the traps it
# inherited: a `kill -TERM` from reap to a watchdog that was still starting (berth-run often exits
# first under load) was dropped, the watchdog slept to the deadline, the script stalled in
# `wait "$dog"`, and a run that had finished in milliseconds was reported as hung.
spawn() {
    local out=$1 err=$2 life
    shift 2
    LAST_CMD="berth-run $*"
    SPAWN_SEQ=$((${SPAWN_SEQ:-0} + 1))
    life=$T/.life-$SPAWN_SEQ
    mkfifo "$life"
    # Opening a FIFO waits for its other end: berth-run's shell and the watchdog meet there. The
    # FIFO comes first, so that no earlier redirection can fail and leave the watchdog waiting.
    "${RUN_PREFIX[@]}" "$BERTH_RUN" "$@" 19>"$life" >"$out" 2>"$err" </dev/null &
    SPAWNED=$!
    rm -f "$T/.deadline-$SPAWNED"
    (
        exec <"$life"
        rm -f "$life"
        rc=0
        read -r -t "$RUN_TIMEOUT" _ || rc=$?
        ((rc > 128)) || exit 0  # end-of-file: berth-run is gone
        : >"$T/.deadline-$SPAWNED"
        # Where each process of the hung run waits, for the failure report.
        for p in "$SPAWNED" $(pgrep -P "$SPAWNED" 2>/dev/null); do
            echo "pid $p $(tr '\0' ' ' </proc/$p/cmdline 2>/dev/null): state $(awk '/^State/{print $2}' /proc/$p/status 2>/dev/null), wchan $(cat /proc/$p/wchan 2>/dev/null)"
            cat /proc/$p/stack 2>/dev/null
        done >"$T/.hang-$SPAWNED" 2>&1
        kill_tree "$SPAWNED"
    ) </dev/null >/dev/null 2>&1 &
    DOG=$!
    LIVE[$SPAWNED]=1
    LIVE[$DOG]=1
}

# reap PID DOG OUT ERR: waits for berth-run (bounded by its watchdog), then for the watchdog, which
# ends by itself once berth-run is gone; sets RC, OUT and ERR. Afterwards no mount under $T may remain
# in the host's mount table.
reap() {
    local pid=$1 dog=$2
    RC=0
    wait "$pid" || RC=$?
    wait "$dog" 2>/dev/null || true
    unset "LIVE[$pid]" "LIVE[$dog]"
    OUT=$(<"$3")
    ERR=$(<"$4")
    if [[ -e $T/.deadline-$pid ]]; then
        RC=124
        fail "berth-run did not finish within ${RUN_TIMEOUT}s; it and its container were killed"
        [[ -e $T/.hang-$pid ]] && cat "$T/.hang-$pid" >&2
    fi
    expect_no_host_mount "$T" "after berth-run exited"
}

# run_raw ARGS...: berth-run ARGS with a deadline; sets OUT, ERR, RC and LAST_CMD. Never fails the
# script by itself.
run_raw() {
    spawn "$T/.out" "$T/.err" "$@"
    reap "$SPAWNED" "$DOG" "$T/.out" "$T/.err"
}

# run_in ARGS...: run_raw on the script's busybox rootfs.
run_in() { run_raw --rootfs "$ROOTFS" "$@"; }

# start_bg ARGS...: berth-run ARGS in the background (stdout/stderr to $T/bg.out, $T/bg.err); BG is
# its pid.
start_bg() {
    spawn "$T/bg.out" "$T/bg.err" "$@"
    BG=$SPAWNED
    BG_DOG=$DOG
}

# wait_bg: waits for the background berth-run; sets RC, OUT, ERR.
wait_bg() {
    reap "$BG" "$BG_DOG" "$T/bg.out" "$T/bg.err"
    BG=
}

# alive PID: the process exists and is not a zombie.
alive() {
    local stat
    read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
    stat=${stat##*) }
    [[ $stat != Z* ]]
}

# wait_for_file PATH [SECONDS]: polls until PATH exists; returns 1 (after a failure) at the deadline
# or when the background berth-run has already exited.
wait_for_file() {
    local path=$1 deadline=$((SECONDS + ${2:-20}))
    while [[ ! -e $path ]]; do
        if ((SECONDS >= deadline)); then
            fail "$path did not appear within ${2:-20}s"
            return 1
        fi
        if [[ -n ${BG:-} ]] && ! alive "$BG"; then
            wait_bg
            fail "the container exited before $path appeared"
            return 1
        fi
        sleep 0.02
    done
}

# container_pid1 ANCESTOR: prints the host pid of the process that is PID 1 of its own pid namespace
# and descends from ANCESTOR (the background berth-run), polling until it exists.
container_pid1() {
    local ancestor=$1 deadline=$((SECONDS + 20)) f pid ppid key v
    local -A parent=()
    local -a candidates=()
    while ((SECONDS < deadline)); do
        parent=()
        candidates=()
        for f in /proc/[0-9]*/status; do
            pid=${f#/proc/}
            pid=${pid%/status}
            ppid=
            while read -r key v; do
                case $key in
                PPid:) ppid=$v ;;
                NSpid:)
                    # "NSpid: <host pid> ... 1": PID 1 of a namespace nested below ours
                    [[ $v == *[[:space:]]1 ]] && candidates+=("$pid")
                    break
                    ;;
                esac
            done 2>/dev/null <"$f" || true
            parent[$pid]=$ppid
        done
        for pid in "${candidates[@]}"; do
            local p=$pid hops=0
            while [[ -n $p && $p != 0 && $p != 1 ]] && ((hops++ < 64)); do
                if [[ $p == "$ancestor" ]]; then
                    echo "$pid"
                    return 0
                fi
                p=${parent[$p]:-}
            done
        done
        sleep 0.02
    done
    return 1
}

# expect_no_host_mount STRING WHAT: no entry of the host's mount table mentions STRING.
expect_no_host_mount() {
    local line
    line=$(grep -F -- "$1" /proc/self/mountinfo || true)
    [[ -z $line ]] || fail "$2: the host mount table holds [$line]"
}

# A tree's names, types, sizes, modes, owners and mtimes: equal snapshots mean nothing changed.
snapshot() {
    (cd "$1" && find . -printf '%p %y %s %m %U:%G %T@ %l\n' | LC_ALL=C sort)
}

# ---------------------------------------------------------------------------------------------------
# The image

"$HERE/make-rootfs.sh" "$ROOTFS"
mkdir -p "$T/shared"
chmod 0777 "$T/shared"
