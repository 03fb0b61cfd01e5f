#!/usr/bin/env bash
# Production start on one host: migrations and static files, the reminder schedule, then
# CCHC_TASK_WORKERS task workers beside gunicorn; stopping the server stops the workers.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
"$BIN/python" manage.py migrate --no-input
"$BIN/python" manage.py collectstatic --no-input -v0
"$BIN/python" manage.py send_reminders --schedule
workers=()
for _ in $(seq "${CCHC_TASK_WORKERS:-2}"); do
    "$BIN/python" manage.py db_worker --no-reload &
    workers+=($!)
done
trap 'kill "${workers[@]}" 2>/dev/null || true' EXIT INT TERM
"$BIN/gunicorn" -c gunicorn.conf.py
