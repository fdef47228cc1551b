#!/usr/bin/env bash
# berth config on the Archery stack: the env_file values reach the archery service, the string
# entrypoint is split like a shell would, depends_on keeps its health conditions.
source "$(dirname "$0")/lib.bash"
out=$(b config -f "$CORPUS/archery/docker-compose.yml" 2>"$WORK/err")
contains "$(cat "$WORK/err")" "the attribute \`version\` is obsolete"
contains "$out" "name: archery"
contains "$out" "DATABASE_URL: mysql://root:123456@mysql:3306/archery"
contains "$out" "CACHE_URL: redis://redis:6379/0?PASSWORD=123456"
contains "$out" "NGINX_PORT: \"9123\""
contains "$out" "DEBUG: \"false\""
contains "$out" "SECRET_KEY: \"\""
contains "$out" "MYSQL_ROOT_PASSWORD: \"123456\""
contains "$out" "      - bash
      - /opt/archery/src/docker/startup.sh"
contains "$out" "        condition: service_healthy"
contains "$out" "source: $CORPUS/archery/mysql/my.cnf"
contains "$out" "published: \"3306\""
contains "$out" "  default:
    name: archery_default"

json=$(b config --format json -f "$CORPUS/archery/docker-compose.yml" 2>/dev/null)
contains "$json" "\"DATABASE_URL\": \"mysql://root:123456@mysql:3306/archery\""
services=$(b config --services -f "$CORPUS/archery/docker-compose.yml" 2>/dev/null)
[ "$services" = $'archery\ngoinception\nmysql\nredis' ] || fail "services: $services"
images=$(b config --images -f "$CORPUS/archery/docker-compose.yml" 2>/dev/null)
contains "$images" "hhyo/archery:v1.14.0"
echo "ok"
