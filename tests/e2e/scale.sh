# Replicas: deploy.replicas, scale: and up --scale, with container numbers reused from the lowest
# and scale-down removing the highest first; --scale's checks; --always-recreate-deps.
source "$(dirname "$0")/lib.bash"

# numbers SERVICE: the container numbers of SERVICE (ps -a), sorted, comma-separated.
numbers() {
    ps_json -a
    jq -r --arg s "$1" 'select(.Service == $s) | .Number' <<<"$PS" | sort -n | paste -sd, -
}

# write_web REPLICA_LINES: the project's file with web's replica setting given as YAML lines.
write_web() {
    project sc <<YAML
services:
  web:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sleep", "1000"]
$1
YAML
}

t "deploy.replicas and scale: 3 → 1 → 2"
write_web "    deploy:
      replicas: 3"
b_ok up -d
expect_eq "$(numbers web)" 1,2,3 "numbers with replicas: 3"
write_web "    scale: 1"
b_ok up -d
expect_eq "$(numbers web)" 1 "numbers with scale: 1"
for n in 2 3; do
    for word in Stopping Stopped Removing Removed; do
        expect_match "$(progress)" "Container sc-web-$n +$word" "web-$n scaled down gracefully"
    done
done
expect_match "$(progress)" "Container sc-web-1 +Running" "web-1 stays"
write_web "    deploy:
      replicas: 2"
b_ok up -d
expect_eq "$(numbers web)" 1,2 "numbers with replicas: 2"
expect_match "$(progress)" "Container sc-web-1 +Running" "switching replicas: to scale: recreates nothing"
ps_json
expect_eq "$(ps_field web State)" running "web's State"

t "up --scale 3 → 1 → 2 over the file's value"
b_ok up -d --scale web=3
expect_eq "$(numbers web)" 1,2,3 "numbers with --scale web=3"
b_ok up -d --scale web=1
expect_eq "$(numbers web)" 1 "numbers with --scale web=1"
b_ok up -d --scale web=2
expect_eq "$(numbers web)" 1,2 "numbers with --scale web=2"

t "scaled to 0 and back, numbering starts from 1 again"
b_ok up -d --scale web=0
expect_eq "$(numbers web)" "" "no containers with --scale web=0"
b_ok up -d --scale web=1
expect_eq "$(numbers web)" 1 "numbers after 0 → 1"

t "--scale's checks"
b up -d --scale web
expect_rc 1
expect_contains "$ERR" 'invalid --scale option "web". Should be SERVICE=NUM' "no number"
b up -d --scale web=two
expect_rc 1
expect_contains "$ERR" 'strconv.Atoi: parsing "two": invalid syntax' "not a number"
b up -d --scale web=-1
expect_rc 1
expect_contains "$ERR" 'invalid --scale option "web=-1"' "a negative number"
b up -d --scale nope=2
expect_rc 1
expect_contains "$ERR" "no such service: nope" "an unknown service"
expect_eq "$(numbers web)" 1 "numbers after refused commands"
b_ok down

t "container_name cannot be scaled"
project named <<'YAML'
services:
  one:
    image: busybox:latest
    network_mode: none
    container_name: the-one
    command: ["sleep", "1000"]
YAML
b up -d --scale one=2
expect_rc 1
expect_contains "$ERR" 'WARNING: The "one" service is using the custom container name "the-one". Docker requires each container to have a unique name. Remove the custom name to scale the service' "compose's message"
ps_json -a
expect_eq "$(ps_count)" 0 "containers after the refused up"

t "--always-recreate-deps recreates the dependency of the named service"
project deps <<'YAML'
services:
  app:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sleep", "1000"]
    depends_on: [db]
  db:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sleep", "1000"]
YAML
b_ok up -d app
db1=$(container_id db)
app1=$(container_id app)
b_ok up -d app
expect_eq "$(container_id db)" "$db1" "db kept by a plain up"
b_ok up -d --always-recreate-deps app
expect_match "$(progress)" "Container deps-db-1 +Recreate" "db's Recreate line"
expect_contains "$(progress)" "forced" "the reason"
expect_ne "$(container_id db)" "$db1" "db's container after --always-recreate-deps"
expect_eq "$(container_id app)" "$app1" "app is named, not a dependency: kept"
ps_json
expect_eq "$(ps_field db State)" running "db's State"
b up -d --always-recreate-deps --no-recreate app
expect_rc 1
expect_contains "$ERR" "--always-recreate-deps and --no-recreate are incompatible" "with --no-recreate"
b_ok up -d --force-recreate app
expect_contains "$(progress)" "forced" "the reason for --force-recreate"
expect_ne "$(container_id app)" "$app1" "app recreated by --force-recreate"
b_ok down

t "a dependent with depends_on restart: true is restarted when its dependency is recreated"
write_restart() {
    project rs <<YAML
services:
  app:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sleep", "1000"]
    depends_on:
      db:
        condition: service_started
        restart: true
  db:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sleep", "$1"]
YAML
}
write_restart 1000
b_ok up -d
app1=$(container_id app)
ps_json
started1=$(ps_field app StartedAt)
write_restart 1001
b_ok up -d
expect_match "$(progress)" "Container rs-db-1 +Recreate +config changed: command" "db's reason"
expect_match "$(progress)" "Container rs-app-1 +Stopping +dependency db recreated" "app's reason"
expect_match "$(progress)" "Container rs-app-1 +Started" "app started again"
expect_eq "$(container_id app)" "$app1" "app is the same container"
ps_json
expect_ne "$(ps_field app StartedAt)" "$started1" "app's StartedAt"
expect_eq "$(ps_field app State)" running "app's State"
b_ok down

finish
