#!/usr/bin/env bash
# Where the files come from: parent-folder discovery with the override file, -f repeated, -f -,
# COMPOSE_FILE, --project-directory, .env and --env-file, profiles, and the project name.
source "$(dirname "$0")/lib.bash"
mkdir -p "$WORK/My_App/sub/deeper"
cat >"$WORK/My_App/compose.yaml" <<'YAML'
services:
  web:
    image: "nginx:${TAG:-latest}"
    ports: ["8080:80"]
  debug:
    image: busybox
    profiles: [debug]
    depends_on: [cache]
  cache:
    image: redis
    profiles: [cache]
YAML
cat >"$WORK/My_App/compose.override.yaml" <<'YAML'
services:
  web:
    environment:
      FROM_OVERRIDE: "yes"
YAML
echo "TAG=from-dotenv" >"$WORK/My_App/.env"

out=$(cd "$WORK/My_App/sub/deeper" && b config)
contains "$out" "name: my_app"
contains "$out" "image: nginx:from-dotenv"
contains "$out" "FROM_OVERRIDE: \"yes\""
lacks "$out" "debug:"

out=$(cd "$WORK/My_App" && env -i PATH="$PATH" HOME="$WORK" TAG=from-shell "$BERTH" config)
contains "$out" "image: nginx:from-shell"

echo "TAG=from-env-file" >"$WORK/other.env"
out=$(cd "$WORK/My_App" && b config --env-file "$WORK/other.env")
contains "$out" "image: nginx:from-env-file"

# An enabled service's dependencies are enabled with it.
out=$(cd "$WORK/My_App" && b config --profile debug --services)
[ "$out" = $'cache\ndebug\nweb' ] || fail "profile debug: $out"
out=$(cd "$WORK/My_App" && env -i PATH="$PATH" HOME="$WORK" COMPOSE_PROFILES=cache "$BERTH" config --services)
[ "$out" = $'cache\nweb' ] || fail "COMPOSE_PROFILES=cache: $out"
out=$(cd "$WORK/My_App" && b config --profiles)
[ "$out" = $'cache\ndebug' ] || fail "profiles: $out"

cat >"$WORK/second.yaml" <<'YAML'
services:
  web:
    ports: ["9090:90"]
YAML
out=$(b config -f "$WORK/My_App/compose.yaml" -f "$WORK/second.yaml")
contains "$out" "published: \"8080\""
contains "$out" "published: \"9090\""
lacks "$out" "FROM_OVERRIDE"

out=$(cd "$WORK" && env -i PATH="$PATH" HOME="$WORK" COMPOSE_FILE="My_App/compose.yaml:second.yaml" "$BERTH" config)
contains "$out" "published: \"9090\""

out=$(b config -p explicit -f - <<<"services: {web: {image: nginx}}")
contains "$out" "name: explicit"
out=$(b config --project-directory "$WORK/My_App" --services)
contains "$out" "web"

out=$(b config -q -f "$WORK/My_App/compose.yaml")
[ -z "$out" ] || fail "-q printed: $out"
hash1=$(b config --hash web -f "$WORK/My_App/compose.yaml")
[[ "$hash1" =~ ^web\ [0-9a-f]{64}$ ]] || fail "hash: $hash1"
echo "ok"
