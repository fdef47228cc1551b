# `up -d` converges: run twice it recreates nothing; a changed service alone is recreated.
source "$(dirname "$0")/lib.bash"

write_compose() {  # write_compose A_COMMAND
    project idem <<YAML
services:
  a:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sleep", "$1"]
  b:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sleep", "1000"]
YAML
}

t "first up"
write_compose 1000
b_ok up -d
ps_json
expect_eq "$(ps_count)" 2 "containers"
a1=$(ps_field a ID)
b1=$(ps_field b ID)
expect_match "$a1" '^[0-9a-f]{64}$' "a's ID"
expect_match "$b1" '^[0-9a-f]{64}$' "b's ID"
pid_a=$(container_pid "$a1")
start_a=$(start_time "${pid_a:-0}")

t "second up, nothing changed"
b_ok up -d
expect_match "$(progress)" "Container idem-a-1 +Running" "a is reported Running"
expect_match "$(progress)" "Container idem-b-1 +Running" "b is reported Running"
expect_lacks "$(progress)" "Recreate" "nothing recreated"
expect_lacks "$(progress)" "Created" "nothing created"
ps_json -a
expect_eq "$(ps_count)" 2 "containers"
expect_eq "$(ps_field a ID)" "$a1" "a's ID"
expect_eq "$(ps_field b ID)" "$b1" "b's ID"
expect_eq "$(ps_field a State)" running "a's State"
[[ -n $pid_a && $(start_time "$pid_a") == "$start_a" && -n $start_a ]] ||
    fail "a's PID 1 ($pid_a) was restarted or is gone"

t "a's command changed"
write_compose 2000
b_ok up -d
expect_match "$(progress)" "Container idem-a-1 +Recreate" "a is recreated"
expect_match "$(progress)" "Container idem-b-1 +Running" "b is reported Running"
expect_lacks "$(progress)" "Container idem-b-1  Recreate" "b is not recreated"
ps_json -a
expect_eq "$(ps_count)" 2 "containers (the old a is gone)"
a2=$(ps_field a ID)
expect_match "$a2" '^[0-9a-f]{64}$' "a's new ID"
expect_ne "$a2" "$a1" "a's ID after its command changed"
expect_eq "$(ps_field b ID)" "$b1" "b's ID"
expect_eq "$(ps_field a State)" running "a's State"
expect_eq "$(ps_field b State)" running "b's State"
expect_contains "$(ps_field a Command)" "2000" "a's Command"
expect_no_trace "$a1" "the replaced container of a"

t "third up, nothing changed"
b_ok up -d
expect_lacks "$(progress)" "Recreate" "nothing recreated"
ps_json -a
expect_eq "$(ps_field a ID)" "$a2" "a's ID"
expect_eq "$(ps_field b ID)" "$b1" "b's ID"

b_ok down
finish
