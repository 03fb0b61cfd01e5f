#!/usr/bin/env bash
# Runs the whole suite on SQLite and, when it is reachable, on PostgreSQL. Under CI=true the
# PostgreSQL run is required. The two runs share nothing (each test's files live in its own
# temporary folder), so they run side by side, one per core; PostgreSQL's output is shown after
# SQLite's.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export CCHC_ENV=test
PG_URL="${CCHC_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"

pg_reachable() {
  "$BIN/python" - "$PG_URL" <<'PY'
import sys
import psycopg
try:
    psycopg.connect(sys.argv[1], connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL not reachable at {sys.argv[1]}: {exc}", file=sys.stderr)
    sys.exit(1)
PY
}

pg_status=0
pg_pid=""
if pg_reachable; then
  pg_log="$(mktemp -t cchc-pg-tests.XXXXXX)"
  DATABASE_URL="$PG_URL" "$BIN/pytest" -p no:cacheprovider "$@" >"$pg_log" 2>&1 &
  pg_pid=$!
elif [ "${CI:-}" = "true" ]; then
  echo "FAILED: CI=true requires the PostgreSQL run, and PostgreSQL is not reachable at $PG_URL" >&2
  exit 1
fi

echo "=== Tests on SQLite ==="
env -u DATABASE_URL "$BIN/pytest" "$@"
sqlite_status=$?

if [ -n "$pg_pid" ]; then
  wait "$pg_pid"
  pg_status=$?
  echo "=== Tests on PostgreSQL ==="
  cat "$pg_log"
  rm -f "$pg_log"
else
  echo "PostgreSQL is not reachable: its run is skipped (set CCHC_TEST_POSTGRES_URL to point at one)."
fi

[ "$sqlite_status" -eq 0 ] && [ "$pg_status" -eq 0 ]
