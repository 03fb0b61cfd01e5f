#!/usr/bin/env bash
# Runs the whole suite on SQLite, then on PostgreSQL when it is reachable.
# Under CI=true the PostgreSQL run is required.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export CCHC_ENV=test
PG_URL="${CCHC_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"

echo "=== Tests on SQLite ==="
env -u DATABASE_URL "$BIN/pytest" "$@"

if "$BIN/python" - "$PG_URL" <<'PY'
import sys
import psycopg
try:
    psycopg.connect(sys.argv[1], connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL not reachable at {sys.argv[1]}: {exc}", file=sys.stderr)
    sys.exit(1)
PY
then
  echo "=== Tests on PostgreSQL ==="
  DATABASE_URL="$PG_URL" "$BIN/pytest" "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "FAILED: CI=true requires the PostgreSQL run, and PostgreSQL is not reachable at $PG_URL" >&2
  exit 1
else
  echo "PostgreSQL is not reachable: its run is skipped (set CCHC_TEST_POSTGRES_URL to point at one)."
fi
