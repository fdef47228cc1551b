# Shared by the lifecycle integration tests (tests/integration/lifecycle_*.sh). Each is run as
#
#   bash SCRIPT BERTH_CTR WORK_DIR
#
# and sources this file, which sources lib.bash (root check, busybox rootfs in $ROOTFS, assertions,
# exit trap) and adds what it takes to drive berth-ctr: every container lives under a private
# --root ($CTR_ROOT), its ID is unique to the script run ($ID_PREFIX-NAME), and the exit trap removes
# every container the script created even when an assertion or berth-ctr itself failed: `rm ID -f`, then
# any monitor still alive, then any cgroup still present under berth/ (thawed and emptied first); the
# mounts and folders under $T go with lib.bash's own cleanup.
#
# Container state is read through `berth-ctr inspect` (JSON, parsed with perl's core JSON::PP) and,
# for what the contract puts on the host, straight from /sys/fs/cgroup and the state folder.
source "$(dirname "${BASH_SOURCE[0]}")/lib.bash"

BERTH_CTR=$BERTH_RUN
# berth-run is installed next to berth-ctr.
BERTH_RUN=$(dirname "$BERTH_CTR")/berth-run
CTR_ROOT=$T/ctr
mkdir -p "$CTR_ROOT"
CTR_TIMEOUT=${BERTH_CTR_TIMEOUT:-30}  # seconds for one berth-ctr command
CG=/sys/fs/cgroup
ID_PREFIX=${TEST_NAME//_/-}-$$
declare -A CREATED=()  # container id -> 1, for every create/run the script issued
declare -A MONITOR=()  # container id -> host pid of its berth-monitor (parent of the container's PID 1)

CLEANUP_HOOKS+=(ctr_cleanup)

cid() { echo "$ID_PREFIX-$1"; }

# now_us: wall-clock microseconds.
now_us() {
    local t=${EPOCHREALTIME//[.,]/}
    echo $((10#$t))
}

# ctr ARGS...: berth-ctr --root $CTR_ROOT ARGS with a deadline; sets OUT, ERR, RC and LAST_CMD.
# Output goes through files, so a process that keeps berth-ctr's stdout open (a monitor that did not
# close it) cannot hang the test. After a successful run/start/restart the monitor's pid is recorded.
ctr() {
    LAST_CMD="berth-ctr $*"
    case ${1:-} in
    create | run) [[ -n ${2:-} ]] && CREATED[$2]=1 ;;
    esac
    RC=0
    # The braces take bash's own "Killed" notice when the command (as with exec) dies by a signal.
    {
        timeout -k 5 "$CTR_TIMEOUT" "$BERTH_CTR" --root "$CTR_ROOT" "$@" \
            >"$T/.ctr.out" 2>"$T/.ctr.err" </dev/null
    } 2>/dev/null || RC=$?
    OUT=$(<"$T/.ctr.out")
    ERR=$(<"$T/.ctr.err")
    if ((RC == 124)); then
        fail "berth-ctr $1 did not return within ${CTR_TIMEOUT}s"
    fi
    if ((RC == 0)); then
        case ${1:-} in
        run | start | restart) remember_monitor "$2" ;;
        esac
    fi
    return 0
}

# run_ctr ID [OPTIONS] -- CMD...: `berth-ctr run ID --rootfs $ROOTFS OPTIONS -- CMD...`
run_ctr() {
    local id=$1
    shift
    ctr run "$id" --rootfs "$ROOTFS" "$@"
}

# quiet_ctr ARGS...: berth-ctr ARGS, stdout only, without touching OUT/ERR/RC/LAST_CMD.
quiet_ctr() {
    timeout -k 5 "$CTR_TIMEOUT" "$BERTH_CTR" --root "$CTR_ROOT" "$@" </dev/null 2>/dev/null
}

# json_field JSON KEY: the value of KEY in a JSON object: true/false, null, a number or a string;
# "<no KEY>" when absent, "<not a JSON object>" when JSON does not parse as one.
json_field() {
    perl -MJSON::PP -e '
        my ($text, $key) = @ARGV;
        my $v = eval { JSON::PP->new->allow_nonref->decode($text) };
        if (!defined $v || ref $v ne "HASH") { print "<not a JSON object>"; exit 0 }
        if (!exists $v->{$key}) { print "<no $key>"; exit 0 }
        my $x = $v->{$key};
        if (!defined $x) { print "null" }
        elsif (JSON::PP::is_bool($x)) { print $x ? "true" : "false" }
        else { print $x }' -- "$1" "$2"
}

# inspect_field ID KEY: KEY of `berth-ctr inspect ID`.
inspect_field() {
    local j
    if ! j=$(quiet_ctr inspect "$1"); then
        echo "<inspect $1 failed>"
        return 0
    fi
    json_field "$j" "$2"
}

# remember_monitor ID: records the parent of the container's PID 1 (its monitor) for the checks of
# expect_nothing_left and for the exit trap.
remember_monitor() {
    local pid ppid
    pid=$(inspect_field "$1" pid)
    [[ $pid =~ ^[1-9][0-9]*$ ]] || return 0
    ppid=$(awk '/^PPid:/ {print $2}' "/proc/$pid/status" 2>/dev/null) || return 0
    [[ $ppid =~ ^[1-9][0-9]*$ && $ppid != 1 ]] && MONITOR[$1]=$ppid
    return 0
}

# wait_status ID STATUS [SECONDS]: polls inspect until its status is STATUS; a failure at the deadline.
wait_status() {
    local id=$1 want=$2 deadline=$((SECONDS + ${3:-20})) got
    while :; do
        got=$(inspect_field "$id" status)
        [[ $got == "$want" ]] && return 0
        if ((SECONDS >= deadline)); then
            fail "$id: status still [$got] after ${3:-20}s, expected [$want]"
            return 1
        fi
        sleep 0.05
    done
}

# wait_file_content PATH [SECONDS]: polls until PATH exists and is not empty.
wait_file_content() {
    local path=$1 deadline=$((SECONDS + ${2:-20}))
    while [[ ! -s $path ]]; do
        if ((SECONDS >= deadline)); then
            fail "$path did not get any content within ${2:-20}s"
            return 1
        fi
        sleep 0.02
    done
}

# shared_dir NAME: a fresh host folder $T/NAME that any uid in a container may write, for --bind.
shared_dir() {
    rm -rf "${T:?}/$1"
    mkdir -p "$T/$1"
    chmod 0777 "$T/$1"
    echo "$T/$1"
}

# cgroups_of ID: every cgroup folder named berth/ID that exists now, in any hierarchy (v1 or v2).
cgroups_of() {
    local d
    for d in "$CG"/*/berth/"$1" "$CG"/berth/"$1"; do
        [[ -d $d ]] && echo "$d"
    done
    return 0
}

# ctr_mounts ID: lines of the host's mount table that mount on, or name, the container's folder.
ctr_mounts() {
    local dir=$CTR_ROOT/$1 line mp
    while IFS= read -r line; do
        read -r _ _ _ _ mp _ <<<"$line"
        printf -v mp '%b' "$mp"
        if [[ $mp == "$dir" || $mp == "$dir"/* || $line == *"$dir/"* ]]; then
            echo "$line"
        fi
    done </proc/self/mountinfo
}

# procs_naming ID: pids (other than this script's) whose command line contains ID.
procs_naming() {
    local f pid cmd
    for f in /proc/[0-9]*/cmdline; do
        pid=${f#/proc/}
        pid=${pid%/cmdline}
        [[ $pid == "$$" || $pid == "$BASHPID" ]] && continue
        cmd=$(tr '\0' ' ' 2>/dev/null <"$f") || continue
        [[ $cmd == *"$1"* ]] && echo "$pid"
    done
    return 0
}

# expect_nothing_left ID WHAT: no cgroup berth/ID in any hierarchy, no mount under or naming the
# container's folder, no monitor (the recorded pid, or any process naming ID), no state folder, and
# `ps` does not list it.
expect_nothing_left() {
    local id=$1 what=$2 d m p
    for d in $(cgroups_of "$id"); do
        fail "$what: cgroup $d remains"
    done
    m=$(ctr_mounts "$id")
    [[ -z $m ]] && : || fail "$what: the host mount table still holds [$m]"
    if [[ -n ${MONITOR[$id]:-} ]] && alive "${MONITOR[$id]}"; then
        fail "$what: its monitor (pid ${MONITOR[$id]}) is still running: $(tr '\0' ' ' 2>/dev/null <"/proc/${MONITOR[$id]}/cmdline")"
    fi
    for p in $(procs_naming "$id"); do
        alive "$p" && fail "$what: process $p still names it: $(tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline")"
    done
    [[ ! -e $CTR_ROOT/$id ]] || fail "$what: its state folder $CTR_ROOT/$id remains: $(ls -A "$CTR_ROOT/$id" 2>&1 | tr '\n' ' ')"
    local listing
    listing=$(quiet_ctr ps || true)
    while read -r p _; do
        [[ $p == "$id" ]] && fail "$what: \`ps\` still lists it: [$listing]"
    done <<<"$listing"
    return 0
}

# remove_cgroups ID: empties and removes every cgroup berth/ID (and those below it) in every
# hierarchy. All freezers are thawed first: a SIGKILL stays pending on a frozen task, so a frozen
# cgroup never empties.
remove_cgroups() {
    local d pid left deadline=$((SECONDS + 10))
    local -a dirs=()
    mapfile -t dirs < <(for d in $(cgroups_of "$1"); do find "$d" -depth -type d 2>/dev/null; done)
    ((${#dirs[@]} > 0)) || return 0
    for d in "${dirs[@]}"; do
        [[ -e $d/freezer.state ]] && echo THAWED >"$d/freezer.state" 2>/dev/null
        [[ -e $d/cgroup.freeze ]] && echo 0 >"$d/cgroup.freeze" 2>/dev/null
    done
    while :; do
        left=
        for d in "${dirs[@]}"; do
            [[ -d $d ]] || continue
            for pid in $(cat "$d/cgroup.procs" 2>/dev/null); do
                kill -KILL "$pid" 2>/dev/null
            done
            rmdir "$d" 2>/dev/null || left+=" $d"
        done
        [[ -z $left ]] && return 0
        if ((SECONDS >= deadline)); then
            echo "cleanup: could not remove cgroup(s)$left" >&2
            return 0
        fi
        sleep 0.05
    done
}

# The exit trap's part: whatever `berth-ctr rm ID -f` leaves of our containers goes by hand.
ctr_cleanup() {
    local id pid f
    set +e
    for id in "${!CREATED[@]}"; do
        timeout -k 2 15 "$BERTH_CTR" --root "$CTR_ROOT" rm "$id" -f </dev/null >/dev/null 2>&1 ||
            timeout -k 2 15 "$BERTH_CTR" --root "$CTR_ROOT" rm -f "$id" </dev/null >/dev/null 2>&1
    done
    for id in "${!CREATED[@]}"; do
        local -a pids=()
        [[ -n ${MONITOR[$id]:-} ]] && alive "${MONITOR[$id]}" && pids+=("${MONITOR[$id]}")
        # A pid recorded in the state folder (any small file whose name says pid and holds a number).
        for f in "$CTR_ROOT/$id"/*pid*; do
            [[ -f $f ]] || continue
            pid=$(head -c 32 "$f" 2>/dev/null | tr -dc 0-9)
            [[ -n $pid && $pid != "$$" ]] && alive "$pid" && pids+=("$pid")
        done
        # Or a "...pid" key of a JSON state file.
        for f in "$CTR_ROOT/$id"/*.json; do
            [[ -f $f ]] || continue
            while read -r pid; do
                [[ -n $pid && $pid != "$$" ]] && alive "$pid" && pids+=("$pid")
            done < <(perl -MJSON::PP -e 'local $/; my $v = eval { decode_json(<STDIN>) };
                exit 0 unless ref $v eq "HASH";
                for (keys %$v) { print "$v->{$_}\n" if /pid/i && defined $v->{$_} && $v->{$_} =~ /^[1-9]\d*$/ }' <"$f" 2>/dev/null)
        done
        while read -r pid; do
            [[ -n $pid ]] && pids+=("$pid")
        done < <(procs_naming "$id")
        # The container's processes first (thawed, then killed), then the monitors and their children.
        remove_cgroups "$id"
        for pid in "${pids[@]}"; do
            kill_tree "$pid"
        done
        remove_cgroups "$id"
    done
}
