#!/usr/bin/env bash
# Bad input: a non-zero exit, nothing on stdout, and an error naming file, line and column.
source "$(dirname "$0")/lib.bash"
mkdir -p "$WORK/p"
cat >"$WORK/p/compose.yaml" <<'YAML'
services:
  web:
    image: nginx
    ports:
      - "8080:80"
      - "80:80:80:80"
YAML
if out=$(b config -f "$WORK/p/compose.yaml" 2>"$WORK/err"); then fail "invalid port accepted"; fi
[ -z "$out" ] || fail "printed output on error: $out"
err=$(cat "$WORK/err")
contains "$err" "$WORK/p/compose.yaml:6:9:"
contains "$err" "80:80:80:80"

cat >"$WORK/p/compose.yaml" <<'YAML'
services:
  web:
    image: nginx
    depends_on: [db]
  db:
    image: postgres
    depends_on: [web]
YAML
if b config -f "$WORK/p/compose.yaml" >/dev/null 2>"$WORK/err"; then fail "cycle accepted"; fi
contains "$(cat "$WORK/err")" "dependency cycle detected: db -> web -> db"

cat >"$WORK/p/compose.yaml" <<'YAML'
services:
  web:
    image: nginx
    wrongField: 1
YAML
if b config -f "$WORK/p/compose.yaml" >/dev/null 2>"$WORK/err"; then fail "unknown key accepted"; fi
contains "$(cat "$WORK/err")" "$WORK/p/compose.yaml:4:5:"
contains "$(cat "$WORK/err")" "additional properties 'wrongField' not allowed"

cat >"$WORK/p/compose.yaml" <<'YAML'
services:
  web:
    image: ${TAG:?set TAG to the image tag}
YAML
if b config -f "$WORK/p/compose.yaml" >/dev/null 2>"$WORK/err"; then fail "missing required variable accepted"; fi
contains "$(cat "$WORK/err")" "required variable TAG is missing a value: set TAG to the image tag"
contains "$(cat "$WORK/err")" "$WORK/p/compose.yaml:3:12:"

if b config -f "$WORK/nothing-here.yaml" >/dev/null 2>"$WORK/err"; then fail "missing file accepted"; fi
contains "$(cat "$WORK/err")" "nothing-here.yaml"

mkdir -p "$WORK/empty"
if (cd "$WORK/empty" && b config >/dev/null 2>"$WORK/err"); then fail "no file accepted"; fi
contains "$(cat "$WORK/err")" "no configuration file provided: not found"

if b config -p "My Project" -f - >/dev/null 2>"$WORK/err" <<<"services: {web: {image: nginx}}"; then
    fail "invalid -p accepted"
fi
contains "$(cat "$WORK/err")" 'invalid project name "My Project"'

if b config --resolve-image-digests -f - >/dev/null 2>"$WORK/err" <<<"services: {web: {image: nginx}}"; then
    fail "--resolve-image-digests pretended to work"
fi
contains "$(cat "$WORK/err")" "does not talk to registries"
echo "ok"
