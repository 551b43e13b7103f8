#!/usr/bin/env bash
# System packages the tests need: GNU gettext (msgfmt -c, msgcat), poppler
# (pdffonts, pdftoppm), Debian's Chromium for the browser test and npm for
# axe-core (pinned in package-lock.json, injected into pages by the test).
# Installs only what is missing, so a second run costs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v msgfmt >/dev/null || need+=(gettext)
command -v pdffonts >/dev/null || need+=(poppler-utils)
command -v zbarimg >/dev/null || need+=(zbar-tools)
command -v chromium >/dev/null || need+=(chromium)
command -v npm >/dev/null || need+=(npm)
if ((${#need[@]})); then
    if [ "$(id -u)" != 0 ]; then
        echo "missing system packages: ${need[*]} (run: sudo apt-get install ${need[*]})" >&2
        exit 1
    fi
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
fi
# axe-core, exactly as locked; npm ci installs nothing else (no scripts run).
if [ ! -f node_modules/axe-core/axe.min.js ]; then
    npm ci --no-audit --no-fund --ignore-scripts
fi
