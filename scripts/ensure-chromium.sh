#!/bin/sh
# Install headless Chromium and Thai fonts for tests/integration/test_html_chromium.py.
# Idempotent and quiet: does nothing when chromium and a Thai font are already present.
set -eu
need=""
command -v chromium >/dev/null 2>&1 || need="chromium"
if ! fc-list :lang=th 2>/dev/null | grep -q .; then
    need="$need fonts-tlwg-loma fonts-tlwg-laksaman"
fi
[ -z "$need" ] && exit 0
if [ "$(id -u)" != "0" ]; then
    echo "ensure-chromium: need root to install:$need" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $need fontconfig >/dev/null
fc-cache -f >/dev/null 2>&1 || true
