#!/usr/bin/env bash
# The monitor's log: stdout and stderr lines in order with their stream and an RFC 3339 nanosecond
# time, ctr.log as JSON lines, rotation by --log-max-size/--log-max-file, and 100 MB of output
# written without blocking the container or losing a line.
source "$(dirname "$0")/ctr.bash"

RFC3339NANO='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9}(Z|[+-][0-9]{2}:[0-9]{2})'

# check_json_log FILE...: validates every line of the files as a JSON object with exactly the keys
# time (RFC 3339 nanoseconds, within 10 minutes of now), stream (stdout|stderr) and log (ending in
# "\n"); prints "STREAM LINE" per entry (LINE without its newline), then "ERROR: ..." per bad line.
check_json_log() {
    perl -MJSON::PP -MTime::Local -e '
        my $json = JSON::PP->new;
        my @errors;
        for my $file (@ARGV) {
            open(my $fh, "<", $file) or do { push @errors, "$file: $!"; next };
            while (my $line = <$fh>) {
                my $where = "$file:$.";
                if ($line !~ /\n\z/) { push @errors, "$where: no newline at the end of the entry" }
                chomp $line;
                my $e = eval { $json->decode($line) };
                if (!defined $e || ref $e ne "HASH") { push @errors, "$where: not a JSON object: $line"; next }
                my $keys = join(",", sort keys %$e);
                push @errors, "$where: keys are [$keys], expected [log,stream,time]" if $keys ne "log,stream,time";
                my ($t, $s, $l) = @$e{qw(time stream log)};
                if (($t // "") =~ /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.\d{9}(Z|([+-])(\d\d):(\d\d))$/) {
                    my $epoch = timegm($6, $5, $4, $3, $2 - 1, $1);
                    $epoch -= ($8 eq "+" ? 1 : -1) * ($9 * 3600 + $10 * 60) if $7 ne "Z";
                    push @errors, "$where: time $t is not within 10 minutes of now" if abs($epoch - time) > 600;
                } else {
                    push @errors, "$where: time [" . ($t // "") . "] is not RFC 3339 with nanoseconds";
                }
                push @errors, "$where: stream [" . ($s // "") . "]" if ($s // "") !~ /^(stdout|stderr)$/;
                if (($l // "") !~ /\n\z/) { push @errors, "$where: log does not end in a newline" }
                else { chomp $l }
                print "$s $l\n";
            }
        }
        print "ERROR: $_\n" for @errors;' -- "$@"
}

t "stdout and stderr lines arrive in order, with their stream and a timestamp"
id=$(cid order)
# Paced, so that each line is read before the next is written on the other pipe.
run_ctr "$id" -- /bin/sh -c '
    for i in 1 2 3; do
        echo "out $i"; usleep 50000
        echo "err $i" >&2; usleep 50000
    done
    echo "with  two  spaces and a \"quote\" and a \\ backslash"'
expect_rc 0
ctr wait "$id"
expect_eq "$OUT" 0 "wait: exit code"
want="stdout out 1${NL}stderr err 1${NL}stdout out 2${NL}stderr err 2${NL}stdout out 3${NL}stderr err 3"
want+="${NL}stdout with  two  spaces and a \"quote\" and a \\ backslash"
ctr logs "$id"
expect_rc 0
got= prev=
while IFS= read -r line; do
    if [[ $line =~ ^($RFC3339NANO)\ (stdout|stderr)\ (.*)$ ]]; then
        ts=${BASH_REMATCH[1]}
        got+=${got:+$NL}"${BASH_REMATCH[3]} ${BASH_REMATCH[4]}"
        [[ -z $prev || ! $ts < $prev ]] || fail "logs: time $ts comes after $prev"
        prev=$ts
    else
        fail "logs: [$line] is not \"<RFC 3339 nano time> <stdout|stderr> <line>\""
    fi
done <<<"$OUT"
expect_eq "$got" "$want" "logs, without the times"
log=$CTR_ROOT/$id/ctr.log
if [[ -f $log ]]; then
    parsed=$(check_json_log "$log")
    expect_eq "$(grep -v '^ERROR: ' <<<"$parsed" || true)" "$want" "ctr.log entries"
    expect_eq "$(grep '^ERROR: ' <<<"$parsed" || true)" "" "ctr.log format"
else
    fail "$log does not exist"
fi
ctr rm "$id"
expect_rc 0

t "rotation: --log-max-size 1000 --log-max-file 3 keeps ctr.log, ctr.log.1, ctr.log.2; newest in ctr.log"
id=$(cid rotate)
run_ctr "$id" --log-max-size 1000 --log-max-file 3 -- /bin/sh -c '
    i=0
    while [ $i -lt 500 ]; do i=$((i + 1)); printf "line-%05d\n" $i; done'
expect_rc 0
ctr wait "$id"
expect_eq "$OUT" 0 "wait: exit code"
dir=$CTR_ROOT/$id
files=$(cd "$dir" && ls -1 ctr.log* 2>/dev/null | LC_ALL=C sort | tr '\n' ' ' || true)
expect_eq "$files" "ctr.log ctr.log.1 ctr.log.2 " "log files after 500 lines"
for f in ctr.log ctr.log.1 ctr.log.2; do
    [[ -f $dir/$f ]] || continue
    # Rotation happens before the write that would pass the size, or right after reaching it: either
    # way the file without its last entry is below the size.
    size=$(stat -c %s "$dir/$f")
    lastlen=$(tail -n 1 "$dir/$f" | wc -c)
    ((size - lastlen < 1000)) || fail "$f is $size bytes, more than one entry past --log-max-size 1000"
    expect_eq "$(check_json_log "$dir/$f" | grep '^ERROR: ' || true)" "" "$f format"
done
if [[ -f $dir/ctr.log && -f $dir/ctr.log.1 && -f $dir/ctr.log.2 ]]; then
    # Oldest to newest, the files hold one unbroken run of lines that ends with the last one printed.
    seqs=$(check_json_log "$dir/ctr.log.2" "$dir/ctr.log.1" "$dir/ctr.log" | grep -v '^ERROR: ' |
        sed -n 's/^stdout line-0*//p' | tr '\n' ' ' || true)
    read -ra nums <<<"$seqs"
    expect_eq "${nums[-1]:-}" 500 "the last entry of ctr.log"
    broken=
    for ((i = 1; i < ${#nums[@]}; i++)); do
        ((nums[i] == nums[i - 1] + 1)) || broken+=" ${nums[i - 1]}->${nums[i]}"
    done
    expect_eq "$broken" "" "gaps or reordering across ctr.log.2, ctr.log.1, ctr.log"
    last=$(tail -n 1 "$dir/ctr.log")
    expect_contains "$last" '"line-00500\n"' "the newest line, in ctr.log"
    ctr logs "$id"
    expect_rc 0
    expect_match "$OUT" "stdout line-00500\$" "logs ends with the newest line"
fi
ctr rm "$id"
expect_rc 0

t "100 MB of output: the container is not blocked and no line is lost"
id=$(cid flood)
line=0123456789012345678901234567890123456789  # 41 bytes with its newline
lines=2560000                                   # 104960000 bytes
run_ctr "$id" --log-max-size 0 -- /bin/sh -c "yes $line | head -n $lines"
expect_rc 0
start=$(now_us)
if wait_status "$id" exited 240; then
    echo "flood: $((lines * 41)) bytes logged in $((($(now_us) - start) / 1000)) ms"
    expect_eq "$(inspect_field "$id" exit_code)" 0 "inspect exit_code"
    dir=$CTR_ROOT/$id
    expect_eq "$(cd "$dir" && ls -1 ctr.log* 2>/dev/null | tr '\n' ' ')" "ctr.log " "log files with rotation off"
    total=$(cat "$dir"/ctr.log* 2>/dev/null | wc -l || true)
    exact=$(cat "$dir"/ctr.log* 2>/dev/null | grep -c -F "\"log\":\"$line\\n\"" || true)
    expect_eq "$exact" "$lines" "entries holding the printed line"
    expect_eq "$total" "$lines" "entries in all"
    expect_eq "$((exact * 41))" "$((lines * 41))" "bytes logged"
    { head -n 2 "$dir/ctr.log"; tail -n 2 "$dir/ctr.log"; } >"$T/sample" 2>/dev/null || true
    expect_eq "$(check_json_log "$T/sample" | sort | uniq -c | sed 's/^ *//')" "4 stdout $line" \
        "the first and last entries, parsed"
fi
ctr rm "$id" -f
expect_rc 0

finish
