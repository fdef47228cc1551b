# A stop that needs SIGKILL after the grace period names the container in the progress output;
# one that exits on SIGTERM does not. The stops of a project run in parallel: ten services that
# trap SIGTERM stop in well under their grace periods added up.
source "$(dirname "$0")/lib.bash"

yaml=$(
    cat <<'YAML'
services:
  stubborn:
    image: busybox:latest
    network_mode: none
    stop_grace_period: 1s
    command: ["sh", "-c", "trap '' TERM; while true; do sleep 0.1; done"]
YAML
    for i in $(seq 1 10); do
        printf '  polite%d:\n    image: busybox:latest\n    network_mode: none\n' "$i"
        printf '    stop_grace_period: 5s\n'
        printf '    command: ["sh", "-c", "trap \\"exit 0\\" TERM; while true; do sleep 0.1; done"]\n'
    done
)
project sk <<<"$yaml"

t "up"
b_ok up -d
ps_json
expect_eq "$(ps_count)" 11 "running containers"

t "stop"
t0=$(date +%s%N)
b_ok stop
ms=$((($(date +%s%N) - t0) / 1000000))
echo "stop took ${ms} ms"
expect_contains "$(progress)" "Container sk-stubborn-1  Killed  did not stop within 1s after SIGTERM" \
    "the stop summary"
expect_lacks "$(progress)" "sk-polite1-1  Killed" "a service that exits on SIGTERM"
# Serial stops of the ten would take at least ten trap latencies after the 1 s kill.
((ms < 4000)) || fail "stop took ${ms} ms"

t "down names it too"
b_ok up -d
b_ok down
expect_contains "$(progress)" "Container sk-stubborn-1  Killed" "down's summary"
expect_eq "$(n_containers)" 0 "containers after down"
finish
