#!/usr/bin/env bash
# The compose verbs without a daemon: flags parse, refused flags say so, compose errors come
# before any connection, and an absent daemon (or one that fails to start) is explained.
source "$(dirname "$0")/lib.bash"
BERTH=$(cd "$(dirname "$BERTH")" && pwd -P)/$(basename "$BERTH")
mkdir -p "$WORK/p" "$WORK/home"
cat >"$WORK/p/compose.yaml" <<'YAML'
services:
  web:
    image: busybox
    command: sleep 1000
  db:
    image: busybox
YAML
NOSOCK="$WORK/none/berth.sock"
# berth with autostart off and a socket nobody listens on.
bn() { env -i PATH="$PATH" HOME="$WORK/home" BERTH_NO_AUTOSTART=1 "$BERTH" -H "unix://$NOSOCK" "$@"; }
# Runs bn in the project folder; stdout in $out, stderr in $err, the status in $rc.
run() {
    set +e
    out=$(cd "$WORK/p" && bn "$@" 2>"$WORK/err")
    rc=$?
    set -e
    err=$(cat "$WORK/err")
}
expect_no_daemon() {
    [ "$rc" = 1 ] || fail "$* exited $rc, expected 1: $err"
    contains "$err" "berth: cannot reach berthd at unix://$NOSOCK"
    contains "$err" "is berthd running?"
}

# up's flag rules and --scale's values, in docker compose's words, before any connection.
up_refuses() {
    local want=$1
    shift
    run up "$@"
    [ "$rc" = 1 ] || fail "up $* exited $rc"
    contains "$err" "$want"
}
up_refuses "--detach cannot be combined with --abort-on-container-exit, --abort-on-container-failure, --attach, --attach-dependencies or --watch" -d --abort-on-container-exit
up_refuses "--detach cannot be combined with" -d --exit-code-from web
up_refuses "--detach cannot be combined with" -d --attach web
up_refuses "--abort-on-container-failure cannot be combined with --abort-on-container-exit" \
    --abort-on-container-exit --abort-on-container-failure
up_refuses "no such service: nope" --exit-code-from nope
up_refuses "no such service: db" --no-deps --exit-code-from db web
up_refuses "cannot attach to services not included in up: nope" --attach nope
up_refuses 'invalid --scale option "web". Should be SERVICE=NUM' --scale web
up_refuses 'strconv.Atoi: parsing "x": invalid syntax' --scale web=x
up_refuses 'invalid --scale option "web=-2"' --scale web=-2
up_refuses "no such service: nope" --scale nope=1
up_refuses "--always-recreate-deps and --no-recreate are incompatible" --always-recreate-deps --no-recreate
up_refuses "--wait cannot be combined with --abort-on-container-exit, --attach or --attach-dependencies" \
    --wait --abort-on-container-exit
run up --wait --wait-timeout 3
expect_no_daemon up

# Every verb and its flags parse, then the request finds no daemon.
run up -d --no-deps --force-recreate --remove-orphans --no-start -t 5 --timestamps \
    --no-attach db --wait-timeout 3 --scale web=2 --scale web=0 web
expect_no_daemon up
run up --attach web --exit-code-from web --always-recreate-deps --abort-on-container-failure
expect_no_daemon up
run up --force-recreate --no-recreate
contains "$err" "incompatible"
run create --no-recreate web; expect_no_daemon create
run down -v --remove-orphans -t 3 --rmi local; expect_no_daemon down
run down --rmi some
contains "$err" "invalid --rmi some"
run logs -f --tail 5 --since 2026-01-01T00:00:00Z --until 1764392400 -t --no-color \
    --no-log-prefix --index 1 web; expect_no_daemon logs
run ps -a -q --format json --services --status running --filter status=exited web
expect_no_daemon ps
run ps --format yaml
contains "$err" "invalid --format yaml"
run ps --filter name=x
contains "$err" "only status=VALUE"
run exec -d -T -u root -w /tmp -e A=1 --index 1 web ls -la /; expect_no_daemon exec
run run --rm -e A=1 -u 1000 -w / --entrypoint "sh -c" -T --no-deps --name one web echo -n hi
expect_no_daemon run
run run --entrypoint "sh 'unterminated" web
contains "$err" "--entrypoint"
run run -d --rm web
contains "$err" "incompatible"
for verb in start pause unpause top wait "events --json" "stats --no-stream" \
    "stop -t 1" "restart -t 1" "kill -s SIGTERM" "rm -f -s -v" "ls -a --format json"; do
    # shellcheck disable=SC2086
    run $verb; expect_no_daemon "$verb"
done

# A global flag with a bad value is a usage error.
run --progress fancy up
[ "$rc" != 0 ] || fail "--progress fancy accepted"
run --ansi sometimes ps
[ "$rc" != 0 ] || fail "--ansi sometimes accepted"
run --progress quiet --ansi never ps; expect_no_daemon "ps with global flags"

# A compose error names file, line and column and exits 1 without contacting a daemon.
cat >"$WORK/p/compose.yaml" <<'YAML'
services:
  web:
    image: busybox
    ports:
      - "80:80:80:80"
YAML
for verb in up "up -d" create down "run web" "exec web true" ps logs stop; do
    # shellcheck disable=SC2086
    run $verb
    [ "$rc" = 1 ] || fail "$verb on a broken file exited $rc"
    contains "$err" "$WORK/p/compose.yaml:5:9:"
    lacks "$err" "berthd"
done

# -H and BERTH_HOST: parsed, and named in the message.
bh() { env -i PATH="$PATH" HOME="$WORK/home" BERTH_NO_AUTOSTART=1 "$BERTH" "$@" 2>&1 || true; }
contains "$(bh -H tcp://localhost ls)" "host tcp://localhost: missing :port"
contains "$(bh -H tcp://h:99999 ls)" "expected tcp://HOST:PORT"
contains "$(bh -H http://x ls)" "expected unix:///path or tcp://host:port"
contains "$(bh -H tcp://127.0.0.1:1 ls)" "cannot reach berthd at tcp://127.0.0.1:1"
set +e
err=$(env -i PATH="$PATH" HOME="$WORK/home" BERTH_NO_AUTOSTART=1 BERTH_HOST="unix://$WORK/env.sock" \
    "$BERTH" ls 2>&1)
set -e
contains "$err" "cannot reach berthd at unix://$WORK/env.sock"

# Autostart: berthd is looked for next to berth; one that dies is reported with its log.
mkdir -p "$WORK/bin" "$WORK/run"
cp "$BERTH" "$WORK/bin/berth"
set +e
err=$(env -i PATH="$PATH" HOME="$WORK/home" "$WORK/bin/berth" -H "unix://$WORK/run/berth.sock" ls 2>&1)
rc=$?
set -e
[ "$rc" = 1 ] || fail "autostart without berthd exited $rc"
contains "$err" "berthd was not found next to berth ($WORK/bin/berthd)"
cat >"$WORK/bin/berthd" <<'SH'
#!/bin/sh
echo "args: $*"
echo "cannot bind: Address already in use" >&2
exit 3
SH
chmod +x "$WORK/bin/berthd"
set +e
err=$(env -i PATH="$PATH" HOME="$WORK/home" "$WORK/bin/berth" -H "unix://$WORK/run/berth.sock" ls 2>&1)
rc=$?
set -e
[ "$rc" = 1 ] || fail "a dying berthd gave exit $rc"
contains "$err" "berth: starting berthd (no daemon answered on $WORK/run/berth.sock)"
contains "$err" "berthd exited with status 3 before answering on $WORK/run/berth.sock"
contains "$err" "args: --host unix://$WORK/run/berth.sock"
contains "$err" "cannot bind: Address already in use"

# Without permission on the socket's folder: the berth group is named, nothing is started.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    mkdir -p "$WORK/locked"
    chmod 700 "$WORK/locked"
    chmod 755 "$WORK" "$WORK/bin"
    set +e
    err=$(env -i PATH="$PATH" HOME=/ setpriv --reuid=65534 --regid=65534 --clear-groups \
        "$WORK/bin/berth" -H "unix://$WORK/locked/berth.sock" ls 2>&1)
    rc=$?
    set -e
    [ "$rc" = 1 ] || fail "EACCES exited $rc"
    contains "$err" "berth: permission denied on $WORK/locked/berth.sock: run as root or as a member of the berth group"
    lacks "$err" "starting berthd"
fi
echo "ok"
