# Shared by the image integration tests (images_*.sh), sourced after lib.bash: a private store under
# $T/data, the `berth` binary next to berth-run, and helpers to run it and to look at the store.
BERTH=$(dirname "$BERTH_RUN")/berth
DATA=$T/data
SRC=$(cd "$HERE/../.." && pwd)
ARCHIVES=$HERE/images_archives.py

# b ARGS...: berth --data-root $DATA ARGS; sets OUT, ERR, RC, LAST_CMD. Never fails by itself.
b() {
    LAST_CMD="berth $*"
    RC=0
    "$BERTH" --data-root "$DATA" "$@" >"$T/.bout" 2>"$T/.berr" || RC=$?
    OUT=$(<"$T/.bout")
    ERR=$(<"$T/.berr")
}

# A fresh container folder under $T; sets C.
container_dir() {
    C=$T/containers/$1
    rm -rf "$C"
    mkdir -p "$T/containers"
}

# run_image IMAGE NAME ARGS...: berth-run on a snapshot of IMAGE; sets OUT, ERR, RC.
run_image() {
    local image=$1 name=$2
    shift 2
    container_dir "$name"
    b image mount "$image" "$C"
    expect_rc 0
    # shellcheck disable=SC2086  # the printed options are words by design
    run_raw $OUT "$@"
}

blob_count() { find "$DATA/images/blobs/sha256" -type f | wc -l; }
layer_count() { find "$DATA/overlay" -mindepth 1 -maxdepth 1 -type d ! -name '.*' | wc -l; }
store_state() {  # what must not change when an operation fails
    echo "blobs=$(blob_count) layers=$(layer_count) tmp=$(find "$DATA/images/tmp" -mindepth 1 | wc -l)"
    echo "overlay-tmp=$(find "$DATA/overlay" -mindepth 1 -maxdepth 1 -name '.tmp-*' | wc -l)"
    cat "$DATA/images/repositories.json" 2>/dev/null || true
}

# Every blob's content has the digest it is named by; every layer dir is complete.
expect_consistent_store() {
    local f hex bad=""
    for f in "$DATA"/images/blobs/sha256/*; do
        [[ -e $f ]] || continue
        hex=$(sha256sum "$f")
        [[ ${hex%% *} == "$(basename "$f")" ]] || bad+=" blob:$(basename "$f")"
    done
    for f in "$DATA"/overlay/*; do
        [[ -d $f/diff && -f $f/size ]] || bad+=" layer:$(basename "$f")"
    done
    [[ -z $bad ]] || fail "inconsistent store:$bad"
}

make_busybox() {
    "$SRC/scripts/make-busybox-image" --berth "$BERTH" --data-root "$DATA" "$@" >/dev/null
}
