#!/usr/bin/env bash
# Browser tests drive Debian's Chromium. Install it when we can; otherwise they are skipped
# (and fail under CI=true).
set -uo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
sudo_cmd=""
if [ "$(id -u)" -ne 0 ]; then
  if sudo -n true 2>/dev/null; then sudo_cmd="sudo"; else
    echo "Chromium is not installed (/usr/bin/chromium): browser tests will be skipped." >&2
    echo "Install it with: sudo apt-get install -y chromium" >&2
    exit 0
  fi
fi
echo "Installing Debian's Chromium for the browser tests…" >&2
$sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq chromium >/dev/null \
  || echo "Could not install Chromium: browser tests will be skipped." >&2
exit 0
