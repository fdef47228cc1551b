# Shared by the command-line tests: run berth with a clean environment and assert on its output.
set -euo pipefail
BERTH=$1
CORPUS=$(cd "$2" && pwd -P)
WORK=$(mktemp -d /tmp/berth-cli-XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# berth with only PATH and HOME set, so the machine's own COMPOSE_* variables never leak in.
b() { env -i PATH="$PATH" HOME="$WORK/home" "$BERTH" "$@"; }

fail() { echo "FAIL: $*" >&2; exit 1; }
contains() { grep -qF -- "$2" <<<"$1" || fail "expected to find [$2] in:"$'\n'"$1"; }
lacks() { ! grep -qF -- "$2" <<<"$1" || fail "did not expect [$2] in:"$'\n'"$1"; }
