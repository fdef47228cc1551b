# berth events --json: one project's container events (create, start, stop, die, destroy), in
# order, with their project and service, and none of another project's.
source "$(dirname "$0")/lib.bash"

project ev2 <<'YAML'
services:
  other:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sh", "-c", "while :; do sleep 1000 & wait $$!; done"]
YAML

project ev1 <<'YAML'
services:
  app:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sh", "-c", "while :; do sleep 1000 & wait $$!; done"]
YAML

# actions ID: the actions of container ID in the events output, one a line.
actions() { jq -r --arg id "$1" 'select(.id == $id) | .action' "$T/events.out" 2>/dev/null || true; }
# index_of ACTION LIST: the line number of ACTION's first occurrence in LIST, or 9999.
index_of() {
    local n
    n=$(grep -nx -- "$1" <<<"$2" | head -n 1 | cut -d: -f1)
    echo "${n:-9999}"
}

t "the stream"
bg_start events events --json
events=$BG
# Events are for what happens once the stream is open: one-off runs until one shows, so the
# stream is known to be live before the container under test is made.
wait_until 60 eval 'berth run --rm app true >/dev/null 2>&1; [[ -s $T/events.out ]]' ||
    fail "events --json printed nothing while one-off containers ran"

t "one project's life"
b_ok up -d
id=$(container_id app)
[[ -n $id ]] || fail "no container for app after up -d"
use_project ev2
b_ok up -d
other_id=$(container_id other)
use_project ev1
b_ok stop
b_ok down
use_project ev2
b_ok down
use_project ev1
wait_until 30 eval 'actions "$id" | grep -qx destroy' || fail "no destroy event for app's container"
bg_stop "$events"

t "what was printed"
bad=$(jq -c 'select(type != "object")' "$T/events.out" 2>&1 || echo "not JSON")
expect_eq "$bad" "" "every line is a JSON object"
seen=$(actions "$id")
for a in create start stop die destroy; do
    grep -qx -- "$a" <<<"$seen" || fail "no $a event for app's container (saw: ${seen//$NL/ })"
done
c=$(index_of create "$seen") s=$(index_of start "$seen") st=$(index_of stop "$seen")
d=$(index_of die "$seen") x=$(index_of destroy "$seen")
((c < s && s < st && st < x)) || fail "create, start, stop, destroy out of order: ${seen//$NL/ }"
((s < d && d < x)) || fail "die not between start and destroy: ${seen//$NL/ }"
expect_eq "$(jq -r --arg id "$id" 'select(.id == $id) | "\(.attributes.project) \(.attributes.service) \(.service)"' "$T/events.out" | sort -u)" \
    "ev1 app app" "every event of app's container names its project and service"
expect_eq "$(jq -r 'select(.attributes.project != "ev1") | .id' "$T/events.out")" "" \
    "events of another project"
[[ -n $other_id ]] && expect_lacks "$(cat "$T/events.out")" "$other_id" "ev2's container in ev1's events"
expect_match "$(jq -r --arg id "$id" 'select(.id == $id) | .time' "$T/events.out" | head -n 1)" \
    '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}' "an event's time"


t "one service's events"
project ev3 <<'YAML'
services:
  a:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sh", "-c", "while :; do sleep 1000 & wait $$!; done"]
  b:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sh", "-c", "while :; do sleep 1000 & wait $$!; done"]
YAML
bg_start svc events --json a
svc=$BG
wait_until 60 eval 'berth run --rm a true >/dev/null 2>&1; [[ -s $T/svc.out ]]' ||
    fail "events --json a printed nothing while one-off containers of a ran"
# up returns once both containers started, so b's create and start come before a's destroy.
b_ok up -d
a_id=$(container_id a)
b_ok down
wait_until 30 eval 'jq -r --arg id "$a_id" "select(.id == \$id) | .action" "$T/svc.out" | grep -qx destroy' ||
    fail "no destroy event for a's container"
bg_stop "$svc"
expect_eq "$(jq -r 'select(.attributes.service != "a") | .id' "$T/svc.out")" "" "events of service b"
expect_contains "$(jq -r --arg id "$a_id" 'select(.id == $id) | .action' "$T/svc.out")" start \
    "a's start in a's events"
finish
