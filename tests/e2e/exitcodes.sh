# Attached `up` ending with its containers: --exit-code-from, --abort-on-container-exit,
# --abort-on-container-failure, a plain attached up whose services all exit, and the flag rules.
source "$(dirname "$0")/lib.bash"

# Attached `up` must end by itself; the deadline turns a hang into a failure (status 124).
CMD_TIMEOUT=40

project ec <<'YAML'
services:
  x:
    image: busybox:latest
    network_mode: none
    command: ["sh", "-c", "echo x says bye; sleep 1; exit 42"]
  long:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sleep", "1000"]
  ok:
    image: busybox:latest
    network_mode: none
    command: ["sh", "-c", "echo ok done"]
  bad:
    image: busybox:latest
    network_mode: none
    command: ["sh", "-c", "sleep 2; echo bad fails; exit 1"]
YAML

t "flag rules"
b up -d --abort-on-container-exit
expect_rc 1
expect_contains "$ERR" "--detach cannot be combined with --abort-on-container-exit, --abort-on-container-failure, --attach, --attach-dependencies or --watch" "-d with --abort-on-container-exit"
b up --abort-on-container-exit --abort-on-container-failure
expect_rc 1
expect_contains "$ERR" "--abort-on-container-failure cannot be combined with --abort-on-container-exit" "both aborts"
b up -d --exit-code-from x
expect_rc 1
expect_contains "$ERR" "--detach cannot be combined" "-d with --exit-code-from (it implies abort)"
b up --no-deps long --exit-code-from x
expect_rc 1
expect_contains "$ERR" "no such service: x" "--exit-code-from a service not in up"
b up --exit-code-from nope
expect_rc 1
expect_contains "$ERR" "no such service: nope" "--exit-code-from an unknown service"
ps_json -a
expect_eq "$(ps_count)" 0 "containers after refused commands"

t "--exit-code-from returns the service's code and stops the others"
b up x long --exit-code-from x
expect_rc 42
expect_contains "$OUT" "Attaching to long-1, x-1" "the attached containers"
expect_contains "$OUT" "x says bye" "x's log line"
expect_contains "$OUT" "x-1 exited with code 42" "x's exit line"
expect_contains "$ERR" "Aborting on container exit..." "the abort notice"
expect_match "$(progress)" "Container ec-long-1 +Stopped" "long stopped with progress"
ps_json -a
expect_eq "$(ps_field long State)" exited "long's State"
expect_eq "$(ps_field x ExitCode)" 42 "x's ExitCode"
b_ok down

t "--abort-on-container-exit stops the others"
b up x long --abort-on-container-exit
expect_rc 42
expect_contains "$OUT" "x-1 exited with code 42" "x's exit line"
ps_json -a
expect_eq "$(ps_field long State)" exited "long's State after the abort"
b_ok down

t "--abort-on-container-failure ignores an exit 0 and aborts on exit 1"
b up ok bad long --abort-on-container-failure
expect_rc 1
expect_contains "$OUT" "ok-1 exited with code 0" "ok's exit line"
expect_contains "$OUT" "bad-1 exited with code 1" "bad's exit line"
expect_contains "$OUT" "bad fails" "bad ran after ok had exited"
ps_json -a
expect_eq "$(ps_field long State)" exited "long's State after the abort"
expect_eq "$(ps_field ok ExitCode)" 0 "ok's ExitCode"
b_ok down

t "plain attached up returns once every container has exited"
b up x ok
expect_rc 0
expect_contains "$OUT" "ok done" "the log line of a container that exited before up attached"
expect_contains "$OUT" "x says bye" "x's log line"
expect_contains "$OUT" "x-1 exited with code 42" "x's exit line"
expect_contains "$OUT" "ok-1 exited with code 0" "ok's exit line"
expect_lacks "$ERR" "Aborting" "no abort without the flag"
ps_json -a
expect_eq "$(ps_field x State)" exited "x's State"
b_ok down

t "Ctrl-C stops the attached stack gracefully"
bg_start attached up long
wait_until 30 eval 'grep -q "Attaching to long-1" "$T/attached.out"' || fail "up never attached"
wait_until 30 state_is long running || fail "long never ran"
# Ctrl-C reaches the client itself: $BG is the subshell that runs `timeout`, which passes INT on
# (a background subshell ignores INT).
timeout_pid=$(pgrep -P "$BG" | head -n 1)
[[ -n $timeout_pid ]] || fail "no client process under $BG"
kill -INT "${timeout_pid:-$BG}"
bg_wait "$BG"
expect_rc 130
expect_contains "$ERR" "Gracefully stopping..." "the notice"
expect_match "$ERR" "Container ec-long-1 +Stopped" "long stopped with progress"
ps_json -a
expect_eq "$(ps_field long State)" exited "long's State after Ctrl-C"
b_ok down

finish
