#!/bin/bash
# berthd's HTTP layer with real clients: ping, request limits (slowloris, oversized header and body,
# garbage), socket permissions, one daemon per socket, TLS client certificates, configuration
# errors, and a clean stop. Usage: daemon_http.sh BUILD_BIN_DIR WORK_DIR (root; 77 = skipped).
set -euo pipefail

BIN=$1
WORK=$2
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3

if [ "$(id -u)" != 0 ]; then
    echo "skip: needs root"
    exit 77
fi
for tool in unshare setpriv curl openssl "$PY" ip; do
    command -v "$tool" >/dev/null || { echo "skip: no $tool"; exit 77; }
done

# Everything runs in a private network and mount namespace, so 127.0.0.1 ports are ours.
if [ -z "${BERTH_E2E_IN_NS:-}" ]; then
    exec env BERTH_E2E_IN_NS=1 unshare --net --mount --fork bash "$0" "$@"
fi
ip link set lo up

D=$WORK/daemon_http
rm -rf "$D"
mkdir -p "$D/sock" "$D/tls"
chmod 0755 "$WORK" "$D" "$D/sock"
SOCK=$D/sock/berth.sock
PIDS=()

cleanup() {
    for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

fail() {
    echo "FAIL: $*" >&2
    for log in "$D"/*.log; do
        [ -f "$log" ] && { echo "--- $log" >&2; tail -20 "$log" >&2; }
    done
    exit 1
}

# Polls until the command succeeds or the deadline (seconds) passes.
wait_until() {
    local deadline=$(($(date +%s) + $1))
    shift
    until "$@" >/dev/null 2>&1; do
        [ "$(date +%s)" -lt "$deadline" ] || return 1
        sleep 0.1
    done
}

ping_unix() { [ "$(curl -sS --max-time 5 --unix-socket "$1" http://berth/v1/_ping)" = OK ]; }

# start_daemon NAME CONFIG [FLAGS...]: runs berthd in the background, sets DAEMON_PID.
start_daemon() {
    local name=$1 config=$2
    shift 2
    "$BIN/berthd" --config-file "$config" "$@" >"$D/$name.log" 2>&1 &
    DAEMON_PID=$!
    PIDS+=("$DAEMON_PID")
}

cat >"$D/daemon.json" <<JSON
{"data-root": "$D/data", "exec-root": "$D/run", "hosts": ["unix://$SOCK"],
 "request-timeout": 3, "log-level": "debug"}
JSON

# --- configuration errors stop berthd before it listens
echo '{"data_rot": "/x"}' >"$D/typo.json"
if "$BIN/berthd" --config-file "$D/typo.json" 2>"$D/typo.err"; then fail "a typo in daemon.json was accepted"; fi
grep -q 'unknown key "data_rot" (did you mean "data-root"?)' "$D/typo.err" ||
    fail "typo message: $(cat "$D/typo.err")"
grep -q "$D/typo.json" "$D/typo.err" || fail "the typo message does not name the file"
echo "ok: unknown key rejected: $(cat "$D/typo.err")"

cat >"$D/plain-tcp.json" <<JSON
{"data-root": "$D/data2", "exec-root": "$D/run2", "hosts": ["tcp://127.0.0.1:23750"]}
JSON
set +e
"$BIN/berthd" --config-file "$D/plain-tcp.json" 2>"$D/plain-tcp.err"
rc=$?
set -e
[ "$rc" = 1 ] || fail "plain TCP: exit $rc, want 1"
grep -q 'allow-insecure-tcp' "$D/plain-tcp.err" || fail "plain TCP message: $(cat "$D/plain-tcp.err")"
echo "ok: plain TCP refused: $(cat "$D/plain-tcp.err")"

# --- the daemon on its Unix socket
start_daemon main "$D/daemon.json"
MAIN=$DAEMON_PID
wait_until 10 ping_unix "$SOCK" || fail "berthd did not answer on $SOCK"
echo "ok: ping"
[ "$(cat "$D/run/berthd.pid")" = "$MAIN" ] || fail "pid file holds $(cat "$D/run/berthd.pid"), want $MAIN"
[ "$(stat -c %a "$SOCK")" = 660 ] || fail "socket mode $(stat -c %a "$SOCK")"
[ "$(stat -c %U "$SOCK")" = root ] || fail "socket owner $(stat -c %U "$SOCK")"
[ "$(stat -c %a "$D/data")" = 700 ] && [ "$(stat -c %a "$D/run")" = 700 ] || fail "roots are not 0700"
echo "ok: socket root:$(stat -c %G "$SOCK") 0660, roots 0700, pid file"
version=$(curl -sS --unix-socket "$SOCK" http://berth/v1/version)
echo "$version" | grep -q '"ApiVersion":"v1"' || fail "version: $version"

rss=$(awk '/VmRSS/ {print $2}' "/proc/$MAIN/status")
echo "idle RSS: ${rss} kB"
[ "$rss" -le 15360 ] || fail "idle RSS ${rss} kB is over 15 MiB"

set +e
setpriv --reuid=65534 --regid=65534 --clear-groups "$PY" "$HERE/daemon_http.py" connect "$SOCK"
rc=$?
set -e
[ "$rc" = 3 ] || fail "nobody connecting to the socket: exit $rc, want EACCES"
echo "ok: nobody gets EACCES"

"$PY" "$HERE/daemon_http.py" keepalive "$SOCK" || fail "keep-alive"
"$PY" "$HERE/daemon_http.py" limits "$SOCK" || fail "limits"
"$PY" "$HERE/daemon_http.py" slowloris "$SOCK" 3 || fail "slowloris"

# curl asks for "100 Continue" before a body over 1 MB; the daemon answers it and reads the body.
head -c 2000000 /dev/zero >"$D/body.bin"
got=$(curl -sS --unix-socket "$SOCK" -o /dev/null -w '%{http_code} %{time_total}' \
    -H 'Content-Type: application/octet-stream' --data-binary @"$D/body.bin" http://berth/v1/_ping)
[ "${got%% *}" = 405 ] || fail "a 2 MB POST to a GET route: $got, want 405"
echo "ok: a 2 MB body after 100-continue reaches the router (405 in ${got#* }s)"

# A second daemon on the same socket (its own roots) must not take it over.
cat >"$D/second.json" <<JSON
{"data-root": "$D/data3", "exec-root": "$D/run3", "hosts": ["unix://$SOCK"]}
JSON
set +e
timeout 20 "$BIN/berthd" --config-file "$D/second.json" 2>"$D/second.err"
rc=$?
set -e
[ "$rc" = 1 ] || fail "second berthd: exit $rc, want 1"
grep -q "another berthd is listening on $SOCK" "$D/second.err" || fail "second berthd: $(cat "$D/second.err")"
ping_unix "$SOCK" || fail "the first daemon stopped answering after the second one tried"
echo "ok: second berthd refused: $(tail -1 "$D/second.err")"

kill -TERM "$MAIN"
set +e
wait "$MAIN"
rc=$?
set -e
[ "$rc" = 0 ] || fail "berthd exited $rc on SIGTERM"
[ ! -e "$SOCK" ] || fail "the socket is still there after SIGTERM"
[ ! -e "$D/run/berthd.pid" ] || fail "the pid file is still there after SIGTERM"
echo "ok: SIGTERM exits 0 and removes the socket"

# A socket left by a crashed daemon is taken over.
start_daemon crash "$D/daemon.json"
wait_until 10 ping_unix "$SOCK" || fail "berthd did not start again"
kill -KILL "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null || true
[ -S "$SOCK" ] || fail "no stale socket left to test with"
start_daemon restart "$D/daemon.json"
RESTART=$DAEMON_PID
wait_until 10 ping_unix "$SOCK" || fail "berthd did not take over the stale socket"
grep -q "removed the stale socket" "$D/restart.log" || fail "no log line about the stale socket"
kill -TERM "$RESTART"
wait "$RESTART" || fail "restarted berthd exited $? on SIGTERM"
echo "ok: a stale socket is replaced"

# --- TLS with client certificates
T=$D/tls
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=berth test CA" \
    -keyout "$T/ca-key.pem" -out "$T/ca.pem" 2>/dev/null
make_cert() {
    openssl req -newkey rsa:2048 -nodes -subj "/CN=$1" -keyout "$T/$1-key.pem" -out "$T/$1.csr" 2>/dev/null
    printf '%s\n' "$2" >"$T/$1.ext"
    openssl x509 -req -in "$T/$1.csr" -CA "$T/ca.pem" -CAkey "$T/ca-key.pem" -CAcreateserial \
        -days 2 -extfile "$T/$1.ext" -out "$T/$1.pem" 2>/dev/null
}
make_cert server "subjectAltName=IP:127.0.0.1
extendedKeyUsage=serverAuth"
make_cert client "extendedKeyUsage=clientAuth"
PORT=23760
cat >"$D/tls.json" <<JSON
{"data-root": "$D/data4", "exec-root": "$D/run4", "log-level": "debug",
 "hosts": ["unix://$D/run4/berth.sock", "tcp://127.0.0.1:$PORT"],
 "tlsverify": true, "tlscacert": "$T/ca.pem", "tlscert": "$T/server.pem", "tlskey": "$T/server-key.pem"}
JSON
start_daemon tls "$D/tls.json"
TLS=$DAEMON_PID
tls_ping() {
    [ "$(curl -sS --max-time 5 --cacert "$T/ca.pem" --cert "$T/client.pem" --key "$T/client-key.pem" \
        "https://127.0.0.1:$PORT/v1/_ping")" = OK ]
}
wait_until 10 tls_ping || fail "TLS ping with a client certificate failed: $(tls_ping 2>&1)"
echo "ok: TLS ping with a client certificate"
if curl -sS --max-time 5 --cacert "$T/ca.pem" "https://127.0.0.1:$PORT/v1/_ping" >"$D/nocert.out" 2>&1; then
    fail "a client without a certificate was served: $(cat "$D/nocert.out")"
fi
echo "ok: a client without a certificate is refused ($(tail -1 "$D/nocert.out"))"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=rogue" \
    -keyout "$T/rogue-key.pem" -out "$T/rogue.pem" 2>/dev/null
if curl -sS --max-time 5 --cacert "$T/ca.pem" --cert "$T/rogue.pem" --key "$T/rogue-key.pem" \
    "https://127.0.0.1:$PORT/v1/_ping" >"$D/rogue.out" 2>&1; then
    fail "a client with a certificate from another CA was served"
fi
echo "ok: a certificate from another CA is refused"
if curl -sS --max-time 5 "http://127.0.0.1:$PORT/v1/_ping" 2>/dev/null | grep -q OK; then
    fail "plain HTTP was served on the TLS port"
fi
tls_ping || fail "TLS stopped working after refused clients"
kill -TERM "$TLS"
wait "$TLS" || fail "TLS berthd exited $? on SIGTERM"
echo "ok: TLS daemon stopped"

echo "PASS"
