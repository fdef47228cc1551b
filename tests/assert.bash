# Reporting and assertions shared by the root test suites (tests/integration/lib.bash and
# tests/e2e/lib.bash source it). Assertions do not stop a script: each failure is printed with the
# last command (LAST_CMD), its status (RC), stdout (OUT) and stderr (ERR), and finish() exits 1
# if any failed. Needs TEST_NAME, CURRENT and FAILURES set by the sourcing library.

t() {  # t "name": starts a named group of assertions
    CURRENT=$1
    echo "--- $TEST_NAME: $CURRENT"
}

fail() {
    FAILURES=$((FAILURES + 1))
    {
        echo "FAIL: $TEST_NAME: $CURRENT: $*"
        if [[ -n ${LAST_CMD:-} ]]; then
            echo "  command: $LAST_CMD"
            echo "  status:  $RC"
            echo "  stdout:  ${OUT//$'\n'/$'\n'           }"
            echo "  stderr:  ${ERR//$'\n'/$'\n'           }"
        fi
    } >&2
}

finish() {
    if ((FAILURES > 0)); then
        echo "$TEST_NAME: $FAILURES assertion(s) failed" >&2
        exit 1
    fi
    echo "$TEST_NAME: all assertions passed"
    exit 0
}

expect_rc() {  # expect_rc STATUS: the last command exited with STATUS
    [[ $RC == "$1" ]] || fail "expected exit status $1, got $RC"
}
expect_fail() {  # the last command failed (any status but 0; 124 is our own timeout)
    [[ $RC != 0 && $RC != 124 ]] || fail "expected a failure status, got $RC"
}
expect_eq() {  # expect_eq ACTUAL EXPECTED WHAT
    [[ $1 == "$2" ]] || fail "$3: expected [$2], got [$1]"
}
expect_ne() {
    [[ $1 != "$2" ]] || fail "$3: expected something other than [$2]"
}
expect_contains() {  # expect_contains HAYSTACK NEEDLE WHAT
    [[ $1 == *"$2"* ]] || fail "$3: expected to find [$2] in [$1]"
}
expect_lacks() {
    [[ $1 != *"$2"* ]] || fail "$3: did not expect [$2] in [$1]"
}
expect_match() {  # expect_match STRING ERE WHAT
    [[ $1 =~ $2 ]] || fail "$3: [$1] does not match /$2/"
}
