# depends_on (service_started): up starts a, then b, then c; down stops them in reverse order.
source "$(dirname "$0")/lib.bash"

project order <<'YAML'
services:
  c:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sleep", "1000"]
    depends_on:
      b:
        condition: service_started
  b:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sleep", "1000"]
    depends_on:
      a:
        condition: service_started
  a:
    image: busybox:latest
    network_mode: none
    init: true
    command: ["sleep", "1000"]
YAML

# sequence_of STATUS: the services in the order the last command's progress reported STATUS.
sequence_of() {
    progress | grep -E "Container order-[abc]-1 +$1\$" | sed -E 's/.*Container order-([abc])-1 .*/\1/' |
        tr -d '\n'
}

t "up starts a, b, c in order"
b_ok up -d
expect_eq "$(sequence_of Started)" abc "the order of the Started lines"
ps_json
expect_eq "$(ps_count)" 3 "containers"
declare -A st=()
for s in a b c; do
    expect_eq "$(ps_field $s State)" running "$s's State"
    pid=$(container_pid "$(ps_field $s ID)")
    st[$s]=$(start_time "${pid:-0}")
    [[ -n ${st[$s]} ]] || fail "$s's PID 1 ($pid) does not run"
done
if [[ -n ${st[a]} && -n ${st[b]} && -n ${st[c]} ]]; then
    ((st[a] <= st[b] && st[b] <= st[c])) ||
        fail "PID 1 start times (clock ticks) are not in dependency order: a=${st[a]} b=${st[b]} c=${st[c]}"
fi
# StartedAt (RFC 3339, UTC) compares as text when the daemon writes one format.
sa=$(ps_field a StartedAt)
sb=$(ps_field b StartedAt)
sc=$(ps_field c StartedAt)
[[ -n $sa && -n $sb && -n $sc ]] || fail "StartedAt is missing: a=[$sa] b=[$sb] c=[$sc]"
[[ ! $sb < $sa && ! $sc < $sb ]] || fail "StartedAt is not in dependency order: a=$sa b=$sb c=$sc"

t "up of c alone brings its dependencies"
b_ok down
ps_json -a
expect_eq "$(ps_count)" 0 "containers after down"
b_ok up -d c
expect_eq "$(sequence_of Started)" abc "the order of the Started lines for up c"
ps_json
expect_eq "$(ps_count)" 3 "containers"

t "down stops c, b, a in order"
b_ok down
expect_eq "$(sequence_of Stopped)" cba "the order of the Stopped lines"
# Each removal waits only for its own stop (a's stop need not wait for c's removal).
expect_eq "$(sequence_of Removed | grep -o . | sort | tr -d '\n')" abc "the Removed lines"
ps_json -a
expect_eq "$(ps_count)" 0 "containers after down"

finish
