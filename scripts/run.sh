#!/usr/bin/env bash
# Starts the background worker and the web server together; stopping one stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
"$BIN/python" manage.py send_reminders --schedule
"$BIN/python" manage.py worker --no-startup-delay &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
echo "CCHC: http://$HOST:$PORT/  (background worker pid $worker)"
"$BIN/python" manage.py runserver "$HOST:$PORT"
