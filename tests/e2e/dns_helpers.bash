# Helpers for the resolver's end-to-end tests, sourced after lib.bash.

DNSPROBE=$HERE/dnsprobe.py

# ask SERVICE SERVER NAME [OPTIONS]: dnsprobe.py from inside SERVICE's network namespace, so the
# resolver sees SERVICE's address as the source. A query that times out is reported by the
# assertion on its output, not by set -e.
ask() {
    local id
    id=$(container_id "$1")
    nsenter --net="$EXEC_ROOT/netns/$id" python3 "$DNSPROBE" ask "${@:2}" 2>&1 || true
}

# timed_ask ARGS...: ask ARGS, setting OUT_DNS to its output and TOOK_MS to how long it took.
timed_ask() {
    local start
    start=$(date +%s%N)
    OUT_DNS=$(ask "$@")
    TOOK_MS=$((($(date +%s%N) - start) / 1000000))
}

# The addresses (or PTR names) of the first answer in dnsprobe's output, comma-separated.
answers() { sed -n 's/.*answers=//p' <<<"$1" | head -n 1; }
