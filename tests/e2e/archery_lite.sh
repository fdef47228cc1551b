# examples/archery-lite as a user runs it: `db` and `cache` become healthy, `app` starts only
# after both are, reads its settings from the env_file and serves HTTP; `restart: always` brings a
# killed database back; down leaves nothing behind. The services sit on the project's bridge
# network, and app's published port answers on 127.0.0.1.
source "$(dirname "$0")/lib.bash"

mkdir -p "$T/projects"
cp -r "$REPO/examples/archery-lite" "$T/projects/archery-lite"
use_project archery-lite

# The RFC 3339 time of a container's first passing probe, and of its start, in nanoseconds.
first_pass_nano() {
    b_ok inspect "$1"
    jq -r '[.[0].State.Health.Log[] | select(.ExitCode == 0) | .End][0] // empty' <<<"$OUT" |
        to_nano
}
started_nano() {
    b_ok inspect "$1"
    jq -r '.[0].State.StartedAt' <<<"$OUT" | to_nano
}
to_nano() {
    python3 -c 'import sys, datetime as d
t = sys.stdin.read().strip()
if not t: sys.exit(0)
base, _, frac = t.rstrip("Z").partition(".")
s = d.datetime.strptime(base, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=d.timezone.utc).timestamp()
print(int(s) * 10**9 + int((frac + "000000000")[:9]))'
}
healthy() { [[ $(berth ps --format json "$1" 2>/dev/null | jq -r '.Health' 2>/dev/null) == healthy ]]; }

t "up -d waits for db and cache to be healthy before app starts"
b_ok up -d
expect_match "$(progress)" "Container archery-lite-app-1 +Started" "app started"
expect_match "$(progress)" "Container archery-lite-db-1 +Healthy" "up waited for db's health"
ps_json
expect_eq "$(ps_field app State)" running "app runs"
expect_eq "$(ps_field db Health)" healthy "db is healthy"
expect_eq "$(ps_field cache Health)" healthy "cache is healthy"
track_monitors
db_ok=$(first_pass_nano archery-lite-db-1)
cache_ok=$(first_pass_nano archery-lite-cache-1)
app_start=$(started_nano archery-lite-app-1)
[[ -n $db_ok && -n $cache_ok && -n $app_start ]] || fail "missing times: db $db_ok cache $cache_ok app $app_start"
((app_start > db_ok)) || fail "app started at $app_start, before db's first passing probe at $db_ok"
((app_start > cache_ok)) || fail "app started at $app_start, before cache's first passing probe at $cache_ok"

t "app serves what its env_file and its dependencies gave it"
wait_until 20 eval 'curl -fsS http://127.0.0.1:9123/ >/dev/null 2>&1' || fail "app never served"
page=$(curl -fsS http://127.0.0.1:9123/ 2>&1 || true)
expect_eq "$page" "archery-lite: db at db:3306, cache at cache:6379 says PONG" "app's page"
# By names only: nothing in app's hosts file names them; berth's resolver does.
b_ok exec -T app cat /etc/hosts
expect_lacks "$OUT" "db" "app's /etc/hosts names no db"
expect_lacks "$OUT" "cache" "app's /etc/hosts names no cache"
b_ok exec -T app timeout 5 wget -q -O - http://mysql:3306/ping
expect_ne "$OUT" "" "db answers by its alias mysql too"

t "restart: always brings a killed db back"
db_id=$(container_id db)
old_pid=$(container_pid "$db_id")
[[ -n $old_pid ]] || fail "no PID 1 for db"
kill -KILL "$old_pid" 2>/dev/null || fail "could not kill db's PID 1 ($old_pid)"
new_pid_differs() {
    local p
    p=$(container_pid "$db_id")
    [[ -n $p && $p != "$old_pid" ]] && alive "$p"
}
wait_until 30 new_pid_differs || fail "db did not come back after its PID 1 was killed"
wait_until 30 healthy db || fail "db did not become healthy again"
ps_json db
expect_eq "$(ps_field db RestartCount)" 1 "db's restart count after one kill"

t "ps shows the published port"
b_ok ps app
expect_contains "$OUT" "0.0.0.0:9123->80/tcp" "app's PORTS"

t "volumes: the relative folder made for app's logs, db's data across down and up"
expect_contains "$(cat "$T/projects/archery-lite/logs/app.log" 2>&1)" "app started" "app's log in ./logs"
boots=$(berth exec -T db cat /srv/db/boots 2>/dev/null)
expect_match "$boots" '^[0-9]+$' "db counted its starts"
b_ok down
b_ok up -d --wait
b_ok exec -T db cat /srv/db/boots
expect_eq "$OUT" "$((boots + 1))" "db's data survived down and up"

t "down leaves nothing"
ids=$(berth ps -a -q 2>/dev/null || true)
b_ok down -v
expect_match "$(progress)" "Network archery-lite_default +Removed" "down removes the network"
expect_eq "$(berth ps -a -q 2>/dev/null)" "" "no containers after down"
for id in $ids; do expect_no_trace "$id" "after down"; done
expect_eq "$(ip -o link show type bridge | wc -l)" 0 "no bridge left"
expect_eq "$(ip -o link show type veth | wc -l)" 0 "no veth left"
if nft list tables 2>/dev/null | grep -q "inet berth"; then fail "berth's nft table is left"; fi
expect_eq "$(berth volume ls -q)" "" "down -v removed db's volume"

finish
