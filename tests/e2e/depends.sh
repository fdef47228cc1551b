# depends_on conditions: an unhealthy dependency fails `up` with docker compose's message and
# leaves the dependent created but not started, as docker compose does; service_completed_successfully for exit 0 and 1; `required:
# false` turns the failure into a warning; `up --wait` and `--wait-timeout`; `run` waits too.
source "$(dirname "$0")/lib.bash"

project hu <<'YAML'
services:
  db:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sleep", "1000"]
    healthcheck:
      test: ["CMD", "false"]
      interval: 200ms
      retries: 2
  app:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sleep", "1000"]
    depends_on:
      db:
        condition: service_healthy
  free:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sleep", "1000"]
  needs:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sleep", "1000"]
    depends_on:
      free:
        condition: service_healthy
YAML

t "an unhealthy dependency fails up"
b up -d
expect_fail
expect_contains "$(progress)" "dependency failed to start: container hu-db-1 is unhealthy" \
    "the error"
expect_match "$(progress)" "Container hu-app-1 +Error" "app's Error line"
expect_contains "$(progress)" \
    "dependency failed to start: container hu-free-1 has no healthcheck configured" \
    "the error for a dependency without a healthcheck"
ps_json -a
expect_eq "$(ps_field app State)" created "app's container (created, never started)"
expect_eq "$(ps_field needs State)" created "needs' container (created, never started)"
expect_eq "$(ps_field free State)" running "an independent service"
expect_eq "$(ps_field db Health)" unhealthy "db's Health"
b_ok down

project hk <<'YAML'
services:
  init0:
    image: busybox:latest
    network_mode: none
    command: ["sh", "-c", "sleep 0.5; exit 0"]
  init1:
    image: busybox:latest
    network_mode: none
    command: ["sh", "-c", "sleep 0.5; exit 1"]
  ok:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sleep", "1000"]
    depends_on:
      init0:
        condition: service_completed_successfully
  bad:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sleep", "1000"]
    depends_on:
      init1:
        condition: service_completed_successfully
  opt:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sleep", "1000"]
    depends_on:
      init1:
        condition: service_completed_successfully
        required: false
YAML

t "service_completed_successfully"
b up -d
expect_fail
expect_contains "$(progress)" "dependency failed to start: container hk-init1-1 exited (1)" \
    "the error for bad"
expect_contains "$(progress)" 'optional dependency "init1" failed to start' "opt's warning"
ps_json -a
expect_eq "$(ps_field ok State)" running "ok (init0 exited 0)"
expect_eq "$(ps_field opt State)" running "opt (optional dependency)"
expect_eq "$(ps_field bad State)" created "bad's container (created, never started)"
ok_started=$(ps_field ok StartedAt)
init0_done=$(ps_field init0 FinishedAt)
(($(date -d "$ok_started" +%s%N) >= $(date -d "$init0_done" +%s%N))) ||
    fail "ok started at $ok_started, before init0 finished at $init0_done"
b_ok down

project hw <<'YAML'
services:
  db:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sh", "-c", "sleep 1; touch /tmp/ready; exec sleep 1000"]
    healthcheck:
      test: ["CMD-SHELL", "test -f /tmp/ready"]
      interval: 200ms
      start_period: 30s
      start_interval: 200ms
  web:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sleep", "1000"]
    depends_on:
      job:
        condition: service_completed_successfully
  job:
    image: busybox:latest
    network_mode: none
    command: ["true"]
  never:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sleep", "1000"]
    healthcheck:
      test: ["CMD", "false"]
      interval: 200ms
      start_period: 60s
      start_interval: 200ms
YAML

t "up --wait returns once healthy"
b_ok up -d --wait db web
expect_match "$(progress)" "Container hw-db-1 +Waiting" "db's Waiting line"
expect_match "$(progress)" "Container hw-db-1 +Healthy" "db's Healthy line"
ps_json
expect_eq "$(ps_field db Health)" healthy "db's Health right after up --wait"
expect_eq "$(ps_field web State)" running "web"
ps_json -a
expect_eq "$(ps_field job State)" exited "job (a completed dependency, not waited for)"

t "up --wait --wait-timeout 2 fails for one never healthy"
start=$SECONDS
b up -d --wait --wait-timeout 2 never
expect_fail
((SECONDS - start <= 15)) || fail "up --wait-timeout 2 took $((SECONDS - start)) s"
expect_contains "$(progress)" "hw-never-1" "the container named"
expect_contains "$(progress)" "timed out" "the error"
b_ok down

project hr <<'YAML'
services:
  db:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sh", "-c", "sleep 1; touch /tmp/ready; exec sleep 1000"]
    healthcheck:
      test: ["CMD-SHELL", "test -f /tmp/ready"]
      interval: 200ms
      start_period: 30s
      start_interval: 200ms
  app:
    image: busybox:latest
    network_mode: none
    command: ["true"]
    depends_on:
      db:
        condition: service_healthy
YAML

t "run waits for the dependency's health"
b_ok run --rm app
expect_match "$(progress)" "Container hr-db-1 +Healthy" "db's Healthy line before the one-off"
ps_json
expect_eq "$(ps_field db Health)" healthy "db's Health"

t "start waits for the dependency's health"
b_ok up -d
b_ok stop
b_ok start
expect_match "$(progress)" "Container hr-db-1 +Healthy" "db's Healthy line"
expect_match "$(progress)" "Container hr-app-1 +Started" "app's Started line"
healthy_line=$(progress | grep -nE "Container hr-db-1 +Healthy" | head -n 1 | cut -d: -f1)
app_line=$(progress | grep -nE "Container hr-app-1 +Starting" | head -n 1 | cut -d: -f1)
((${healthy_line:-9999} < ${app_line:-0})) || fail "app started before db was healthy"
b_ok down

finish
