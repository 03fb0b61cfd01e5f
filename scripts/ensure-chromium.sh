#!/usr/bin/env bash
# Browser tests drive Debian's Chromium; document checks use LibreOffice and poppler; scanned
# plans are read with tesseract (Vietnamese).
# Install them when we can; otherwise those tests are skipped (and fail under CI=true).
set -uo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui)
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
# Scanned plans are read with tesseract, its Vietnamese model and its orientation detection.
command -v tesseract >/dev/null || missing+=(tesseract-ocr)
{ command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx vie; } \
  || missing+=(tesseract-ocr-vie)
{ command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx osd; } \
  || missing+=(tesseract-ocr-osd)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
sudo_cmd=""
if [ "$(id -u)" -ne 0 ]; then
  if sudo -n true 2>/dev/null; then sudo_cmd="sudo"; else
    echo "Not installed: ${missing[*]}; the tests that need them will be skipped." >&2
    echo "Install with: sudo apt-get install -y ${missing[*]}" >&2
    exit 0
  fi
fi
echo "Installing ${missing[*]} for the browser, document and OCR tests…" >&2
$sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null \
  || echo "Could not install ${missing[*]}: the tests that need them will be skipped." >&2
exit 0
