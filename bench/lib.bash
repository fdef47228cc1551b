# Shared by the bench scripts: sourced as `source "$(dirname "$0")/lib.bash" [BUILD_BIN_DIR]` after
# setting BENCH_NAME (for messages and the temporary folder) and BENCH_PROJECTS (taken down on
# exit). Re-executes the script in network and mount namespaces of its own, starts a private berthd
# on private roots with busybox imported, and defines berth (the client against it, progress
# quiet), now_us VAR and ms T0 T1.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
bin=$(realpath -e "${1:-$here/build/bin}")
if ((EUID != 0)); then
    echo "$BENCH_NAME: needs root (namespaces, mounts, cgroups)" >&2
    exit 1
fi
if [[ -z ${BERTH_BENCH_INNER:-} ]]; then
    BERTH_BENCH_INNER=1 exec unshare --net --mount --fork "$0" "$bin"
fi
mount --make-rprivate /
ip link set lo up

tmp=$(mktemp -d "/tmp/berth-$BENCH_NAME-XXXXXX")
daemon_pid=
cleanup() {
    if [[ -n $daemon_pid ]]; then
        for p in "${BENCH_PROJECTS[@]}"; do
            "$bin/berth" -H "unix://$tmp/run/berth.sock" down -t 0 -p "$p" >/dev/null 2>&1 || true
        done
        kill "$daemon_pid" 2>/dev/null || true
        wait "$daemon_pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

mkdir -p "$tmp/data" "$tmp/run"
cat >"$tmp/daemon.json" <<JSON
{"data-root": "$tmp/data", "exec-root": "$tmp/run", "hosts": ["unix://$tmp/run/berth.sock"]}
JSON
"$here/scripts/make-busybox-image" --berth "$bin/berth" --data-root "$tmp/data" >/dev/null
"$bin/berthd" --config-file "$tmp/daemon.json" 2>"$tmp/berthd.log" &
daemon_pid=$!
berth() { "$bin/berth" -H "unix://$tmp/run/berth.sock" --progress quiet "$@"; }
for _ in $(seq 100); do
    berth ls >/dev/null 2>&1 && break
    sleep 0.1
done

# Microseconds from bash's own clock: $(date ...) would add a fork and an exec, tens of ms on this
# machine, to every figure.
now_us() { printf -v "$1" '%s' "${EPOCHREALTIME/./}"; }
ms() { echo $((($2 - $1) / 1000)); }
