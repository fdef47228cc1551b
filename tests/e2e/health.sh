# Healthchecks: db turns healthy about 2 s after it starts, and app (depends_on db:
# service_healthy, restart: true) starts only after that; ps, inspect and the events show the
# health; `restart db` restarts app too; a restarted berthd goes on probing.
source "$(dirname "$0")/lib.bash"

project hc <<'YAML'
services:
  db:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sh", "-c", "sleep 2; touch /tmp/ready; echo ready; exec sleep 1000"]
    healthcheck:
      test: ["CMD-SHELL", "test -f /tmp/ready && echo ok"]
      interval: 200ms
      start_period: 30s
      start_interval: 200ms
  app:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sleep", "1000"]
    depends_on:
      db:
        condition: service_healthy
        restart: true
YAML

# nanos RFC3339: the time as nanoseconds since the epoch.
nanos() { date -d "$1" +%s%N; }
# inspect_field NAME JQ: a field of `berth inspect NAME`.
inspect_field() { berth inspect "$1" 2>/dev/null | jq -r ".[0]$2"; }
health_is() { [[ $(inspect_field "$1" .State.Health.Status) == "$2" ]]; }

t "app starts once db is healthy"
bg_start events events --json
events=$BG
wait_until 30 eval 'berth run --rm db true >/dev/null 2>&1; [[ -s $T/events.out ]]' ||
    fail "events --json printed nothing while one-off containers ran"
b_ok up -d
expect_match "$(progress)" "Container hc-db-1 +Waiting" "db's Waiting line"
expect_match "$(progress)" "Container hc-db-1 +Healthy" "db's Healthy line"
b_ok inspect hc-db-1
expect_eq "$(jq -r '.[0].State.Health.Status' <<<"$OUT")" healthy "db's State.Health.Status"
expect_eq "$(jq -r '.[0].State.Health.FailingStreak' <<<"$OUT")" 0 "db's FailingStreak"
expect_eq "$(jq -r '.[0].Config.Healthcheck.Test | join(" ")' <<<"$OUT")" \
    "CMD-SHELL test -f /tmp/ready && echo ok" "db's Config.Healthcheck.Test"
expect_eq "$(jq -r '.[0].Config.Healthcheck.Interval' <<<"$OUT")" 200000000 "db's interval (ns)"
logs=$(jq -r '.[0].State.Health.Log | length' <<<"$OUT")
((logs >= 2 && logs <= 5)) || fail "State.Health.Log holds $logs results, want 2..5"
expect_eq "$(jq -r '.[0].State.Health.Log[-1].Output' <<<"$OUT")" "ok" "the last probe's output"
ok_start=$(jq -r '[.[0].State.Health.Log[] | select(.ExitCode == 0)][0].Start' <<<"$OUT")
ps_json
app_started=$(ps_field app StartedAt)
if [[ -n $ok_start && $ok_start != null && -n $app_started ]]; then
    (($(nanos "$app_started") >= $(nanos "$ok_start"))) ||
        fail "app started at $app_started, before db's first good probe at $ok_start"
else
    fail "no time to compare: first good probe [$ok_start], app StartedAt [$app_started]"
fi
db_started=$(ps_field db StartedAt)
(($(nanos "$app_started") - $(nanos "$db_started") >= 1500000000)) ||
    fail "app started $app_started, less than 1.5 s after db ($db_started)"

t "ps shows the health"
expect_eq "$(ps_field db Health)" healthy "db's Health"
expect_match "$(ps_field db Status)" '^Up .* \(healthy\)$' "db's Status"
expect_eq "$(ps_field app Health)" "" "app's Health (no healthcheck)"
b_ok ps
expect_contains "$OUT" "(healthy)" "the ps table"

t "a health_status event"
db_id=$(ps_field db ID)
wait_until 10 grep -q '"health_status: healthy"' "$T/events.out" ||
    fail "no health_status: healthy event"
expect_eq "$(jq -r --arg id "$db_id" 'select(.action == "health_status: healthy") | .id' \
    "$T/events.out" | head -n 1)" "$db_id" "the event's container"
bg_stop "$events"

t "restart db restarts app (restart: true)"
app_before=$(ps_field app StartedAt)
b_ok restart db
expect_match "$(progress)" "Container hc-app-1 +Started" "app's Started line"
ps_json
expect_ne "$(ps_field app StartedAt)" "$app_before" "app's StartedAt after restart db"
expect_eq "$(ps_field db Health)" healthy "db's Health after restart (waited for by app)"

t "up recreating db restarts app (restart: true)"
app_before=$(ps_field app StartedAt)
app_id=$(ps_field app ID)
sed -i 's/^    command: \["sh", "-c", "sleep 2;/    environment: {CHANGED: "1"}\n    command: ["sh", "-c", "sleep 2;/' \
    "$PROJECT_DIR/compose.yaml"
b_ok up -d
expect_match "$(progress)" "Container hc-db-1 +Recreate" "db's Recreate line"
expect_match "$(progress)" "Container hc-app-1 +Stopping +dependency db recreated" \
    "app is stopped because db was recreated"
# ... and started again only once the recreated db is healthy.
expect_match "$(progress)" $'Container hc-db-1 +Healthy\n( .*\n)* Container hc-app-1 +Started' \
    "app starts after the recreated db is healthy"
ps_json
expect_eq "$(ps_field app ID)" "$app_id" "app's container (kept, restarted)"
expect_ne "$(ps_field app StartedAt)" "$app_before" "app's StartedAt after db was recreated"

t "a restarted berthd keeps probing"
last_end=$(inspect_field hc-db-1 '.State.Health.Log[-1].End')
crash_daemon
start_daemon
expect_eq "$(inspect_field hc-db-1 .State.Health.Status)" healthy "db's health after the restart"
wait_until 10 eval '[[ $(inspect_field hc-db-1 ".State.Health.Log[-1].End") > "$last_end" ]]' ||
    fail "no new probe result after berthd restarted (last End $last_end)"

t "a paused container is not probed"
b_ok pause db
paused_end=$(inspect_field hc-db-1 '.State.Health.Log[-1].End')
# Probes every 200 ms with 3 retries would make it unhealthy well within this.
if wait_until 2 health_is hc-db-1 unhealthy; then
    fail "db's health changed while paused: $(inspect_field hc-db-1 .State.Health)"
fi
b_ok unpause db
wait_until 10 eval '[[ $(inspect_field hc-db-1 ".State.Health.Log[-1].End") > "$paused_end" ]]' ||
    fail "no probe after unpause"
expect_eq "$(inspect_field hc-db-1 .State.Health.Status)" healthy "db's health after unpause"

t "a stopped container's probes end"
b_ok stop db
wait_until 5 health_is hc-db-1 unhealthy || fail "db's health is not unhealthy once stopped"
ps_json -a
expect_eq "$(ps_field db Health)" "" "a stopped container's Health in ps"

b_ok down
finish
