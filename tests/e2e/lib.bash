# Shared by the end-to-end tests (tests/e2e/*.sh). Each test script is run as
#
#   bash SCRIPT BUILD_BIN_DIR WORK_DIR
#
# and sources this file, which checks for root (exit 77 = skipped otherwise), re-executes the script
# inside fresh network and mount namespaces (nothing it does reaches the host's network or mount
# table), makes private data and run roots under a temporary folder in WORK_DIR, imports the
# busybox image there, starts its own berthd on them and waits until it answers. The exit trap
# stops that daemon, kills every process left from it (monitors outlive the daemon by design, so
# they are found through the containers' state files and through their command lines, which name
# the temporary folder), removes the containers' cgroups, unmounts and removes the folder.
#
# Assertions do not stop the script: each failure is printed with the command, its status, stdout
# and stderr, and the script exits 1 at the end if any failed. Waiting is always by polling against
# a deadline, never a fixed sleep.
set -euo pipefail

if ((EUID != 0)); then
    echo "SKIP: the end-to-end tests need root (namespaces, mounts, cgroups)"
    exit 77
fi
if (($# != 2)); then
    echo "usage: bash $0 BUILD_BIN_DIR WORK_DIR" >&2
    exit 2
fi

# Into a network namespace of our own (only `lo`, brought up below) and a mount namespace whose
# mounts never propagate back to the host. SIGTERM to the child when unshare dies (a ctest
# timeout), so the exit trap below still cleans up.
if [[ -z ${BERTH_E2E_INSIDE:-} ]]; then
    export BERTH_E2E_INSIDE=1
    exec unshare --net --mount --kill-child=SIGTERM -- bash "$(realpath -e "$0")" "$@"
fi
mount --make-rprivate /
ip link set lo up

BIN=$(realpath -e "$1")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BERTH_BIN=$BIN/berth
BERTHD_BIN=$BIN/berthd
TEST_NAME=$(basename "$0" .sh)
mkdir -p "$2"
T=$(mktemp -d "$(realpath -e "$2")/$TEST_NAME-XXXXXX")
chmod 0755 "$T"
DATA_ROOT=$T/data
EXEC_ROOT=$T/run
SOCK=$EXEC_ROOT/berth.sock
DAEMON_LOG=$T/berthd.log
DAEMON_PID=
CMD_TIMEOUT=${BERTH_E2E_TIMEOUT:-120}  # seconds for one berth command
FAILURES=0
NL=$'\n'
CURRENT=setup
LAST_CMD=
RC=0
OUT=
ERR=
declare -A BG_PIDS=()  # berth commands started in the background, not reaped yet
declare -A SEEN_MONITORS=()
TEST_PIDS=()  # monitor pid -> start time, for containers whose folder went away

for prog in "$BERTH_BIN" "$BERTHD_BIN"; do
    if [[ ! -x $prog ]]; then
        echo "FAIL: $TEST_NAME: $prog is not built" >&2
        exit 1
    fi
done

# api METHOD PATH [BODY]: calls berthd's API on its socket; sets OUT (the body), RC (the HTTP
# status, or curl-failed), ERR (curl's stderr) and LAST_CMD.
api() {
    LAST_CMD="$1 $2 ${3:-}"
    local -a data=()
    [[ -n ${3:-} ]] && data=(-H 'Content-Type: application/json' --data "$3")
    RC=$(curl -s -o "$T/.api" -w '%{http_code}' --max-time 60 --unix-socket "$SOCK" \
        -X "$1" "${data[@]}" "http://berth$2" 2>"$T/.apierr") || RC=curl-failed
    OUT=$(<"$T/.api")
    ERR=$(<"$T/.apierr")
}

# ---------------------------------------------------------------------------------------------------
# Processes and teardown

# pid -> parent pid of every process, into the associative array named PARENT.
declare -A PARENT=()
read_parents() {
    local f pid stat
    PARENT=()
    for f in /proc/[0-9]*/stat; do
        pid=${f#/proc/}
        pid=${pid%/stat}
        read -r stat 2>/dev/null <"$f" || continue
        stat=${stat##*) }  # "pid (comm) state ppid ...": comm may hold spaces
        stat=${stat#* }
        PARENT[$pid]=${stat%% *}
    done
}

# Field 22 of /proc/PID/stat (start time), empty when PID does not exist.
start_time() {
    local stat
    read -r stat 2>/dev/null <"/proc/$1/stat" || return 0
    stat=${stat##*) }
    # shellcheck disable=SC2086
    set -- $stat
    echo "${20}"
}

# alive PID: the process exists and is not a zombie.
alive() {
    local stat
    read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
    stat=${stat##*) }
    [[ $stat != Z* ]]
}

# SIGKILLs every process at or below one of the given pids.
kill_trees() {
    (($# > 0)) || return 0
    local -A roots=()
    local r pid p hops
    for r in "$@"; do roots[$r]=1; done
    read_parents
    local -a victims=()
    for pid in "${!PARENT[@]}"; do
        p=$pid
        hops=0
        while [[ -n $p && $p != 0 ]] && ((hops++ < 64)); do
            if [[ -n ${roots[$p]:-} ]]; then
                victims+=("$pid")
                break
            fi
            p=${PARENT[$p]:-}
        done
    done
    ((${#victims[@]} == 0)) || kill -KILL "${victims[@]}" 2>/dev/null || true
}

# A field of a flat JSON file (the engine's state.json), or empty.
json_file_field() {
    jq -r --arg k "$2" '.[$k] // empty | tostring' "$1" 2>/dev/null || true
}

# Remembers the monitors of the containers that exist now, so teardown finds them even after
# their folder is gone.
track_monitors() {
    local f pid st
    for f in "$DATA_ROOT"/containers/*/state.json; do
        [[ -e $f ]] || continue
        pid=$(json_file_field "$f" monitor_pid)
        st=$(json_file_field "$f" monitor_start)
        [[ -n $pid && $pid != 0 ]] && SEEN_MONITORS[$pid]=$st
    done
    return 0
}

# Every process this test started, directly or not, that may still run: the daemon, berth
# commands in the background, any process naming the temporary folder on its command line
# (monitors, berth-ctr helpers), the monitors and PID 1s named in state files (checked against
# their start time, vs pid reuse).
test_processes() {
    local -a pids=() args=()
    local f pid st want key
    TEST_PIDS=()
    [[ -n $DAEMON_PID ]] && pids+=("$DAEMON_PID")
    pids+=("${!BG_PIDS[@]}")
    for f in /proc/[0-9]*/cmdline; do
        pid=${f#/proc/}
        pid=${pid%/cmdline}
        ((pid == $$ || pid == BASHPID)) && continue
        # A builtin read: a fork per process costs seconds on a loaded machine.
        mapfile -d '' -t args 2>/dev/null <"$f" || continue
        [[ "${args[*]}" == *"$T"* ]] && pids+=("$pid")
    done
    for f in "$DATA_ROOT"/containers/*/state.json; do
        [[ -e $f ]] || continue
        for key in monitor pid; do
            if [[ $key == monitor ]]; then
                pid=$(json_file_field "$f" monitor_pid)
                want=$(json_file_field "$f" monitor_start)
            else
                pid=$(json_file_field "$f" pid)
                want=$(json_file_field "$f" pid_start)
            fi
            [[ -n $pid && $pid != 0 ]] || continue
            st=$(start_time "$pid")
            [[ -n $st && $st == "$want" ]] && pids+=("$pid")
        done
    done
    for pid in "${!SEEN_MONITORS[@]}"; do
        st=$(start_time "$pid")
        [[ -n $st && $st == "${SEEN_MONITORS[$pid]}" ]] && pids+=("$pid")
    done
    for pid in "${pids[@]}"; do
        alive "$pid" && TEST_PIDS+=("$pid")
    done
    return 0
}

# Unmounts, leaf first, every mount in our mount namespace whose mount point is under $1.
unmount_under() {
    local prefix=$1 mp i
    local -a mps=()
    while read -r _ _ _ _ mp _; do
        printf -v mp '%b' "$mp"  # mountinfo escapes spaces as \040
        [[ $mp == "$prefix" || $mp == "$prefix"/* ]] && mps+=("$mp")
    done </proc/self/mountinfo
    for ((i = ${#mps[@]} - 1; i >= 0; i--)); do
        umount -l "${mps[i]}" 2>/dev/null || true
    done
}

# The cgroup folders of the test's containers (from their state files), deepest first.
remove_container_cgroups() {
    local f cg d
    for f in "$DATA_ROOT"/containers/*/state.json; do
        [[ -e $f ]] || continue
        cg=$(json_file_field "$f" cgroup)
        [[ -n $cg && $cg != / ]] || continue
        for d in /sys/fs/cgroup/*/"${cg#/}" /sys/fs/cgroup/"${cg#/}"; do
            [[ -d $d ]] || continue
            find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
        done
    done
}

# Asks the daemon to stop (SIGTERM), then SIGKILLs it at the deadline. Does not touch monitors.
stop_daemon() {
    [[ -n $DAEMON_PID ]] || return 0
    kill -TERM "$DAEMON_PID" 2>/dev/null || true
    local deadline=$((SECONDS + 15))
    while alive "$DAEMON_PID" && ((SECONDS < deadline)); do sleep 0.05; done
    kill -KILL "$DAEMON_PID" 2>/dev/null || true
    wait "$DAEMON_PID" 2>/dev/null || true
    DAEMON_PID=
}

cleanup() {
    local status=$? pid deadline
    set +e
    track_monitors
    stop_daemon
    # Twice: a monitor may start a process between the walk and the kill.
    for _ in 1 2; do
        test_processes
        kill_trees "${TEST_PIDS[@]}"
    done
    for pid in "${!BG_PIDS[@]}"; do
        wait "$pid" 2>/dev/null
        unset "BG_PIDS[$pid]"
    done
    deadline=$((SECONDS + 10))
    while test_processes && ((${#TEST_PIDS[@]} > 0 && SECONDS < deadline)); do sleep 0.2; done
    remove_container_cgroups
    if ((status != 0 || FAILURES > 0)) && [[ -s $DAEMON_LOG ]]; then
        echo "--- $TEST_NAME: the last lines of berthd's log" >&2
        tail -n 60 "$DAEMON_LOG" >&2
    fi
    unmount_under "$T"
    if [[ -n ${BERTH_E2E_KEEP:-} ]]; then
        echo "kept $T" >&2
    else
        rm -rf --one-file-system "$T"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------------
# Reporting and assertions

# shellcheck source=../assert.bash
source "$(dirname "${BASH_SOURCE[0]}")/../assert.bash"

# wait_until SECONDS CMD...: runs CMD until it succeeds; 1 if it never did within SECONDS.
wait_until() {
    local deadline=$((SECONDS + $1))
    shift
    while ! "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || return 1
        sleep 0.05
    done
}

# ---------------------------------------------------------------------------------------------------
# Projects and the berth client

PROJECT=
PROJECT_DIR=

# project NAME: makes $T/projects/NAME (the project's folder; its name is the project's name) and
# selects it for the berth commands that follow; its compose.yaml comes from stdin.
project() {
    PROJECT=$1
    PROJECT_DIR=$T/projects/$1
    mkdir -p "$PROJECT_DIR"
    cat >"$PROJECT_DIR/compose.yaml"
}

# use_project NAME: selects an existing project again.
use_project() {
    PROJECT=$1
    PROJECT_DIR=$T/projects/$1
}

# berth ARGS...: the client against the test's daemon, in the project's folder, with a clean
# environment (no COMPOSE_* or BERTH_* from the machine) and a deadline. No autostart: the test
# owns its daemon (crash.sh needs it down while the containers run).
berth() {
    (cd "${PROJECT_DIR:-$T}" &&
        exec env -i PATH="$PATH" HOME="$T/home" BERTH_NO_AUTOSTART=1 timeout -k 5 "$CMD_TIMEOUT" \
            "$BERTH_BIN" -H "unix://$SOCK" "$@")
}

# b ARGS...: berth ARGS; sets OUT, ERR, RC and LAST_CMD. Never fails the script by itself.
b() {
    LAST_CMD="berth $*"
    RC=0
    berth "$@" >"$T/.out" 2>"$T/.err" </dev/null || RC=$?
    OUT=$(<"$T/.out")
    ERR=$(<"$T/.err")
    if ((RC == 124)); then
        fail "berth $* did not finish within ${CMD_TIMEOUT}s"
    fi
    return 0
}

# b_ok ARGS...: b, and a failure unless it exited 0.
b_ok() {
    b "$@"
    [[ $RC == 0 ]] || fail "berth $* failed"
}

# bg_start NAME ARGS...: berth ARGS in the background, stdout and stderr to $T/NAME.out and
# $T/NAME.err; sets BG (its pid).
bg_start() {
    local name=$1
    shift
    berth "$@" >"$T/$name.out" 2>"$T/$name.err" </dev/null &
    BG=$!
    BG_PIDS[$BG]=$name
}

# bg_wait PID: waits for a background berth command; sets RC, OUT, ERR, LAST_CMD.
bg_wait() {
    local pid=$1 name=${BG_PIDS[$1]}
    RC=0
    wait "$pid" || RC=$?
    unset "BG_PIDS[$pid]"
    LAST_CMD="berth (background $name)"
    OUT=$(<"$T/$name.out")
    ERR=$(<"$T/$name.err")
}

# bg_stop PID: ends a background berth command (logs -f) and reaps it.
bg_stop() {
    kill -TERM "$1" 2>/dev/null || true
    # timeout's child is the client; TERM to timeout is passed on to it.
    bg_wait "$1" || true
}

# The progress lines of the last command (docker compose writes them to stderr; accept either).
progress() { printf '%s\n%s\n' "$OUT" "$ERR"; }

# ps_json [ARGS...]: `berth ps --format json ARGS`, one compact object per line in PS (docker
# compose prints either one object per line or, in older versions, an array).
PS=
ps_json() {
    b ps --format json "$@"
    PS=
    if [[ $RC != 0 ]]; then
        fail "berth ps failed"
        return 0
    fi
    if ! PS=$(jq -c 'if type == "array" then .[] else . end' <<<"$OUT" 2>"$T/.jqerr"); then
        fail "ps --format json is not JSON: $(<"$T/.jqerr")"
        PS=
    fi
    return 0
}

# ps_field SERVICE FIELD: FIELD of SERVICE's first container in $PS ("" when none).
ps_field() {
    jq -r --arg s "$1" --arg f "$2" 'select(.Service == $s) | .[$f] | tostring' <<<"$PS" | head -n 1
}

# ps_count: how many containers $PS holds.
ps_count() {
    if [[ -z $PS ]]; then echo 0; else wc -l <<<"$PS" | tr -d ' '; fi
}

# The id of SERVICE's container (ps -a), or empty.
container_id() {
    ps_json -a >/dev/null || true
    ps_field "$1" ID
}

# The container's folder in the data root, from a full id or a prefix.
container_dir() {
    local d
    for d in "$DATA_ROOT"/containers/"$1"*; do
        [[ -d $d ]] && echo "$d" && return 0
    done
    return 1
}

# The host pid of the container's PID 1, from its state file (empty when unknown).
container_pid() {
    local d
    d=$(container_dir "$1") || return 0
    json_file_field "$d/state.json" pid
}

# state_is SERVICE STATE: ps says SERVICE's container is in STATE (for wait_until).
state_is() {
    local out
    out=$(berth ps -a --format json 2>/dev/null) || return 1
    jq -e -s --arg s "$1" --arg st "$2" \
        '[.[] | if type == "array" then .[] else . end | select(.Service == $s and .State == $st)] | length > 0' \
        <<<"$out" >/dev/null 2>&1
}

# The number of container folders in the data root.
n_containers() { { find "$DATA_ROOT/containers" -mindepth 1 -maxdepth 1 -type d 2>/dev/null || true; } | wc -l; }

# The highest N of the "tick N" lines in the given text or, without one, stdin; empty when none.
last_tick() {
    if (($#)); then printf '%s\n' "$1"; else cat; fi | { grep -oE 'tick [0-9]+' || true; } |
        awk '{print $2}' | sort -n | tail -n 1
}

# file_has FILE STRING: FILE holds STRING (for wait_until).
file_has() { grep -qF -- "$2" "$1" 2>/dev/null; }

# no_trace ID WHAT: nothing of the container ID remains: no folder in the data root, no process
# naming it, no cgroup folder, no mount.
expect_no_trace() {
    local id=$1 what=$2 d line
    [[ -n $id ]] || return 0
    for d in "$DATA_ROOT"/containers/"$id"*; do
        [[ -e $d ]] && fail "$what: its folder $d remains"
    done
    local f pid
    local -a args=()
    for f in /proc/[0-9]*/cmdline; do
        mapfile -d '' -t args 2>/dev/null <"$f" || continue
        pid=${f#/proc/}
        pid=${pid%/cmdline}
        ((pid == $$ || pid == BASHPID)) && continue
        [[ "${args[*]}" == *"$id"* ]] && fail "$what: process $pid [${args[*]}] remains"
    done
    d=$(find /sys/fs/cgroup -maxdepth 6 -type d -name "*$id*" 2>/dev/null | head -n 3)
    [[ -z $d ]] || fail "$what: cgroup folders remain: $d"
    line=$(grep -F -- "$id" /proc/self/mountinfo || true)
    [[ -z $line ]] || fail "$what: mounts remain: $line"
    return 0
}

# ---------------------------------------------------------------------------------------------------
# The daemon

# dns: the upstream of berth's resolver for containers without `dns:` of their own. Nothing
# listens on 127.0.0.9 in the test's namespace, so a name that is not berth's fails at once and
# never reaches the machine's own resolver.
write_daemon_json() {
    mkdir -p "$DATA_ROOT" "$EXEC_ROOT" "$T/home"
    jq -n --arg d "$DATA_ROOT" --arg e "$EXEC_ROOT" --arg s "unix://$SOCK" \
        '{"data-root": $d, "exec-root": $e, "hosts": [$s], "debug": true, "dns": ["127.0.0.9"]}' \
        >"$T/daemon.json"
}

ping_ok() {
    [[ $(curl -s --max-time 2 --unix-socket "$SOCK" http://berthd/v1/_ping 2>/dev/null) == OK ]]
}

# start_daemon: starts berthd on the test's roots and waits until it answers.
start_daemon() {
    "$BERTHD_BIN" --config-file "$T/daemon.json" >>"$DAEMON_LOG" 2>&1 </dev/null &
    DAEMON_PID=$!
    local deadline=$((SECONDS + 30))
    until ping_ok; do
        if ! alive "$DAEMON_PID"; then
            wait "$DAEMON_PID" 2>/dev/null || true
            DAEMON_PID=
            echo "FAIL: $TEST_NAME: berthd exited at start; its log:" >&2
            cat "$DAEMON_LOG" >&2
            exit 1
        fi
        if ((SECONDS >= deadline)); then
            echo "FAIL: $TEST_NAME: berthd did not answer /v1/_ping within 30s; its log:" >&2
            cat "$DAEMON_LOG" >&2
            exit 1
        fi
        sleep 0.05
    done
}

# crash_daemon: SIGKILLs berthd (its monitors and containers go on).
crash_daemon() {
    track_monitors
    kill -KILL "$DAEMON_PID" 2>/dev/null || true
    wait "$DAEMON_PID" 2>/dev/null || true
    DAEMON_PID=
}

write_daemon_json
if ! "$REPO/scripts/make-busybox-image" --berth "$BERTH_BIN" --data-root "$DATA_ROOT" >"$T/image.log" 2>&1; then
    echo "FAIL: $TEST_NAME: importing busybox into $DATA_ROOT failed:" >&2
    cat "$T/image.log" >&2
    exit 1
fi
start_daemon
