#!/usr/bin/env bash
# System packages the tests need: GNU gettext (msgfmt -c, msgcat), poppler
# (pdffonts, pdftoppm) and Debian's Chromium for the browser test.
# Installs only what is missing, so a second run costs nothing.
set -euo pipefail
need=()
command -v msgfmt >/dev/null || need+=(gettext)
command -v pdffonts >/dev/null || need+=(poppler-utils)
command -v chromium >/dev/null || need+=(chromium)
if ((${#need[@]})); then
    if [ "$(id -u)" != 0 ]; then
        echo "missing system packages: ${need[*]} (run: sudo apt-get install ${need[*]})" >&2
        exit 1
    fi
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
fi
