#!/usr/bin/env bash
# Crashes and races: kill -9 in the middle of a large import leaves no image, nothing that looks
# complete, and a store the next import and prune work with; two imports of the same tarball at
# once end with one copy of the layer.
source "$(dirname "$0")/lib.bash"
source "$HERE/images_lib.bash"

make_busybox
state=$(store_state)

t "kill -9 during a large import"
mkdir -p "$T/big/data"
# Incompressible, so the import spends its time in hashing and unpacking, not in the kernel.
for i in 1 2 3; do head -c 24M /dev/urandom >"$T/big/data/f$i"; done
tar -C "$T/big" -cf "$T/big.tar" .
killed=0
for delay in 0.05 0.15 0.3; do
    "$BERTH" --data-root "$DATA" image import "$T/big.tar" big:1 >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    rc=0
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || rc=$?
    b images
    if ((rc == 137)); then
        killed=$((killed + 1))
        expect_lacks "$OUT" "big" "berth images after kill -9 at ${delay}s"
    else  # it finished first: then the image is complete and is removed for the next round
        expect_contains "$OUT" "big" "berth images after an import that finished in ${delay}s"
        b image rm big:1
    fi
    expect_consistent_store
done
((killed > 0)) || fail "every import finished before it could be killed"

t "the store works after the crash"
b image import "$T/big.tar" big:1
expect_rc 0
b images
expect_contains "$OUT" "big" "the rerun import"
b image inspect big:1
lower=$(grep -o '"/[^"]*/diff"' <<<"$OUT" | tr -d '"')
expect_eq "$(stat -c %s "$lower/data/f3" 2>&1)" 25165824 "the unpacked layer holds the whole file"
expect_eq "$(sha256sum <"$lower/data/f3")" "$(sha256sum <"$T/big/data/f3")" "its content"
expect_consistent_store
b image rm big:1
b image prune
expect_rc 0
expect_eq "$(store_state)" "$state" "after rm and prune nothing of the crashed imports remains"

t "two imports of the same tarball at once"
(cd "$ROOTFS" && tar --numeric-owner -cf "$T/same.tar" .)
"$BERTH" --data-root "$DATA" image import "$T/same.tar" racer:a >"$T/ra.out" 2>&1 &
p1=$!
"$BERTH" --data-root "$DATA" image import "$T/same.tar" racer:b >"$T/rb.out" 2>&1 &
p2=$!
rc1=0 rc2=0
wait "$p1" || rc1=$?
wait "$p2" || rc2=$?
expect_eq "$rc1:$rc2" "0:0" "both imports succeed ($(cat "$T/ra.out" "$T/rb.out"))"
racer_layers=$(find "$DATA/overlay" -mindepth 1 -maxdepth 1 -type d ! -name '.*' | wc -l)
b image inspect racer:a
la=$(grep -o '"/[^"]*/diff"' <<<"$OUT")
b image inspect racer:b
lb=$(grep -o '"/[^"]*/diff"' <<<"$OUT")
expect_eq "$la" "$lb" "both images use the same unpacked layer"
expect_eq "$racer_layers" 2 "layers in the store (busybox's own and the racers' one)"
expect_consistent_store

finish
