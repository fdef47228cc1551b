# docker compose's own e2e scenario projects replayed on berth with busybox in place of their
# images: up -d as the upstream test runs it, ps, down. The driver (scenarios.py) holds the table
# of scenarios berth misses, with the reason for each; skipped when the corpus is not next to the
# checkout (../shared/conformance).
source "$(dirname "$0")/lib.bash"

CORPUS=$REPO/../shared/conformance/docker-compose-e2e
if [[ ! -f $CORPUS/SCENARIOS.md || ! -d $CORPUS/testdata ]]; then
    echo "SKIP: the docker compose e2e corpus is not at $CORPUS"
    exit 77
fi
if ! python3 -c 'import yaml' 2>/dev/null; then
    echo "SKIP: python3 has no yaml module"
    exit 77
fi

t "replay"
LAST_CMD="python3 scenarios.py"
RC=0
CORPUS=$(realpath -e "$CORPUS") BERTH_BIN=$BERTH_BIN SOCK=$SOCK WORK=$T/scenarios \
    DATA_ROOT=$DATA_ROOT HOME_DIR=$T/home SCENARIOS_ONLY=${SCENARIOS_ONLY:-} \
    python3 "$HERE/scenarios.py" || RC=$?
OUT=
ERR=
((RC == 0)) || fail "scenarios that are not listed as misses failed"
track_monitors
finish
