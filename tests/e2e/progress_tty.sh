# The progress view through a real pseudo-terminal (util-linux `script`): on a terminal, up and
# down redraw one line per resource in place, and the replayed screen ends with the final frame,
# no line wider than the terminal and no escape left over. Off a terminal: one plain line per
# change; --progress json, quiet, --ansi never and NO_COLOR as docker compose treats them.
source "$(dirname "$0")/lib.bash"

REPLAY=$HERE/term_replay.py
COLS=60
command -v script >/dev/null || {
    echo "SKIP: util-linux script is not installed"
    exit 77
}

project ptty <<'YAML'
services:
  alpha:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sleep", "1000"]
  beta-with-a-rather-long-service-name:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sleep", "1000"]
    depends_on: [alpha]
  gamma:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sleep", "1000"]
YAML
CONTAINERS=(ptty-alpha-1 ptty-beta-with-a-rather-long-service-name-1 ptty-gamma-1)

# on_tty NAME [ENV=V...] -- ARGS...: berth ARGS on a pseudo-terminal COLS wide; the raw output goes
# to $T/NAME.raw, the status to RC.
on_tty() {
    local name=$1
    shift
    local -a envs=()
    while [[ $1 != -- ]]; do
        envs+=("$1")
        shift
    done
    shift
    local cmd
    printf -v cmd '%q ' env -i PATH="$PATH" HOME="$T/home" BERTH_NO_AUTOSTART=1 TERM=xterm \
        "${envs[@]}" timeout -k 5 "$CMD_TIMEOUT" "$BERTH_BIN" -H "unix://$SOCK" "$@"
    LAST_CMD="(on a terminal) berth $*"
    RC=0
    (cd "$PROJECT_DIR" &&
        script -qfec "stty cols $COLS rows 40; $cmd" /dev/null >"$T/$name.raw" 2>"$T/$name.err" \
            </dev/null) || RC=$?
    OUT=$(cat -v "$T/$name.raw")
    ERR=$(<"$T/$name.err")
}

# screen NAME: the replayed screen of $T/NAME.raw into SCREEN (lines), WRAPS and UNKNOWN.
screen() {
    local json
    json=$(python3 "$REPLAY" "$COLS" <"$T/$1.raw")
    SCREEN=$(jq -r '.screen[]' <<<"$json")
    WRAPS=$(jq -r '.wraps' <<<"$json")
    UNKNOWN=$(jq -r '.unknown | join(" ")' <<<"$json")
}

# The checks every replayed frame must pass: no wrapped or over-wide line, nothing unknown, no
# escape fragment left on the screen. With "frame-only", long lines that are not part of the
# frame (a warning, the error message) may wrap, as any text on a terminal does.
expect_clean_screen() {
    local what=$1 scope=${2:-all} l
    [[ $scope == frame-only ]] || expect_eq "$WRAPS" 0 "$what: lines that wrapped past column $COLS"
    expect_eq "$UNKNOWN" "" "$what: escape sequences the view should not send"
    while IFS= read -r l; do
        [[ $scope == frame-only && ! $l =~ ^(\[\+\]|\ [✔✘]) ]] ||
            (($(printf '%s' "$l" | wc -m) < COLS)) || fail "$what: line wider than $((COLS - 1)): [$l]"
        [[ $l != *$'\e'* && $l != *'[K'* && $l != *'[?25'* && ! $l =~ \[[0-9]+A ]] ||
            fail "$what: escape fragment left: [$(cat -v <<<"$l")]"
    done <<<"$SCREEN"
}

t "up -d on a terminal"
on_tty up -- up -d
expect_rc 0
raw=$(<"$T/up.raw")
[[ $raw =~ $'\e'\[[0-9]+A ]] || fail "no cursor-up sequence: the view was not redrawn in place"
expect_contains "$raw" $'\e[K' "lines cleared to their end"
screen up
expect_clean_screen "up"
expect_match "$(head -n 1 <<<"$SCREEN")" '^\[\+\] Running 3/3$' "the final header"
for c in "${CONTAINERS[@]}"; do
    n=$(grep -c -- "Container ${c:0:20}" <<<"$SCREEN" || true)
    expect_eq "$n" 1 "$c: lines on the final screen (one per container, no stale frame)"
done
expect_match "$SCREEN" $'\n'' ✔ Container ptty-alpha-1 +Started +[0-9]+\.[0-9]s'$'\n' "alpha's final line"
expect_match "$SCREEN" $'\n'' ✔ Container ptty-gamma-1 +Started +[0-9]+\.[0-9]s($|'$'\n'')' "gamma's final line"
# 60 columns cannot hold the long name, its status and its time: the name is cut.
expect_match "$SCREEN" ' ✔ Container ptty-beta-with-a-rather-l[^ ]*…  Started +[0-9]+\.[0-9]s' \
    "the long name is cut to the width, its status and time kept"
expect_eq "$(wc -l <<<"$SCREEN")" 4 "screen lines (header and three containers)"
expect_contains "$raw" $'\e[32m✔' "marks are coloured"

t "up -d again: Running, on a terminal without colour"
on_tty up2 NO_COLOR=1 -- up -d
expect_rc 0
raw=$(<"$T/up2.raw")
expect_lacks "$raw" $'\e[32m' "NO_COLOR takes colours away"
[[ $raw =~ $'\e'\[[0-9]+A ]] || fail "NO_COLOR keeps the live view (as docker compose does)"
screen up2
expect_clean_screen "up again"
expect_match "$SCREEN" ' ✔ Container ptty-alpha-1 +Running +[0-9]+\.[0-9]s' "alpha reported Running"

t "--ansi never on a terminal: plain lines"
on_tty never -- --ansi never up -d
expect_rc 0
expect_lacks "$(<"$T/never.raw")" $'\e' "no escape sequence with --ansi never"
expect_match "$(<"$T/never.raw")" 'Container ptty-gamma-1 +Running' "the plain line"

t "--progress tty with --ansi never is refused"
b --progress tty --ansi never up -d
expect_rc 1
expect_contains "$ERR" "can't use --progress tty while ANSI support is disabled" "the message"
b --progress plain --ansi always up -d
expect_rc 1
expect_contains "$ERR" "can't use --progress plain while ANSI support is forced" "the message"

t "--progress tty off a terminal: the view, 80 columns wide"
b --progress tty up -d
expect_rc 0
printf '%s\n' "$ERR" >"$T/forced.raw"
[[ $ERR =~ $'\e'\[[0-9]+A ]] || fail "--progress tty draws in place even off a terminal"
saved_cols=$COLS
COLS=80
screen forced
expect_clean_screen "forced tty"
COLS=$saved_cols
expect_match "$SCREEN" ' ✔ Container ptty-beta-with-a-rather-long-service-name-1  Running +[0-9]+\.[0-9]s' \
    "80 columns hold the whole long name"

t "down on a terminal"
on_tty down -- down
expect_rc 0
screen down
expect_clean_screen "down"
for c in ptty-alpha-1 ptty-gamma-1; do
    expect_match "$SCREEN" " ✔ Container $c +Removed +[0-9]+\.[0-9]s" "$c removed"
done
expect_match "$(head -n 1 <<<"$SCREEN")" '^\[\+\] Running 3/3$' "down's final header"

t "off a terminal: one plain line per change, as many as JSON objects"
b_ok up -d
plain=$ERR
expect_lacks "$plain" $'\e' "no escape sequence off a terminal"
n_plain=$(grep -c '^ Container ptty-' <<<"$plain" || true)
# Creating, Created, Starting, Started for each of the three containers.
expect_eq "$n_plain" 12 "plain progress lines of a fresh up"
expect_eq "$(wc -l <<<"$plain")" 12 "nothing else on stderr"
for c in "${CONTAINERS[@]}"; do
    for s in Creating Created Starting Started; do
        expect_eq "$(grep -cE "^ Container $c +$s\$" <<<"$plain" || true)" 1 "$c $s: once"
    done
done
b_ok down
b_ok --progress json up -d
expect_eq "$(wc -l <<<"$ERR")" 12 "JSON objects of a fresh up"
bad=$(jq -c 'select((.id | startswith("Container ptty-")) and (.status | type == "string")
    and (.state == "working" or .state == "done") and (.time | type == "string") | not)' \
    <<<"$ERR" 2>&1) || fail "progress json is not JSON: $ERR"
expect_eq "$bad" "" "objects without id, status, state and time"
expect_eq "$(jq -r 'select(.id == "Container ptty-alpha-1") | .status' <<<"$ERR" | tr '\n' ' ')" \
    "Creating Created Starting Started " "alpha's changes in order"
b_ok --progress quiet down
expect_eq "$ERR" "" "--progress quiet prints nothing"
ps_json -a
expect_eq "$(ps_count)" 0 "containers after down"

t "a warning and an error on a terminal stay readable"
b_ok up -d
cp "$PROJECT_DIR/compose.yaml" "$T/compose.full.yaml"
cat >"$PROJECT_DIR/compose.yaml" <<'YAML'
services:
  alpha:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sleep", "1000"]
  bad:
    image: busybox:latest
    network_mode: none
    command: ["/no/such/binary"]
YAML
on_tty bad -- up -d
expect_fail
screen bad
expect_clean_screen "warning and error" frame-only
warn=$(grep -n '^WARN\[[0-9]*\] Found orphan containers' <<<"$SCREEN" || true)
expect_eq "$(wc -l <<<"$warn")" 1 "the orphan warning, once"
header=$(grep -n '^\[+\] Running' <<<"$SCREEN" || true)
expect_eq "$(wc -l <<<"$header")" 1 "one header on the screen"
((${warn%%:*} < ${header%%:*})) 2>/dev/null || fail "the warning is not above the frame: [$SCREEN]"
expect_match "$SCREEN" ' ✘ Container ptty-bad-1  +Error' "the failed container is marked"
after_frame=$(sed -n '/ ✘ Container ptty-bad-1/,$p' <<<"$SCREEN" | tr -d '\n')
expect_match "$after_frame" 'berth: start container ptty-bad-1.*no/such/binary' \
    "the whole error follows the frame"
b_ok down --remove-orphans
ps_json -a
expect_eq "$(ps_count)" 0 "containers after down --remove-orphans"

finish
