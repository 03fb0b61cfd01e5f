#!/usr/bin/env bash
# Refreshes and compiles the Vietnamese catalogues: locale/ for the project (cchc, org, ingest,
# plans, notify, templates/), and <app>/locale/ for each app that keeps its own.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="$PWD/.venv/bin/python"
OWN=()
for dir in */locale; do
  OWN+=("--ignore=${dir%/locale}")
done
SKIP=(--ignore=.venv --ignore=var --ignore=fixtures --ignore=bench --ignore=scripts --ignore=test-output)
"$PY" manage.py makemessages -l vi --no-obsolete "${SKIP[@]}" "${OWN[@]}"
for dir in */locale; do
  (cd "${dir%/locale}" && "$PY" ../manage.py makemessages -l vi --no-obsolete --ignore=tests)
done
"$PY" manage.py compilemessages -l vi --ignore=.venv
