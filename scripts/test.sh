#!/usr/bin/env bash
# Run the whole test suite. The tests against a real CKAN start it (and stop it) themselves
# through scripts/ckan-test-server.sh; the HTML tests need headless Chromium and a Thai font,
# installed here when missing. Extra arguments go to pytest:
#   bash scripts/test.sh
#   bash scripts/test.sh -m "not ckan"      # without the CKAN server
set -euo pipefail
cd "$(dirname "$0")/.."
SKIP_DEMO=1 bash scripts/setup.sh >/dev/null
if [ "$(id -u)" = 0 ] || command -v sudo >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then sh scripts/ensure-chromium.sh; else sudo sh scripts/ensure-chromium.sh; fi
  export CATALOG_TOOLS_REQUIRE_CHROMIUM=${CATALOG_TOOLS_REQUIRE_CHROMIUM:-1}
fi
export CATALOG_TOOLS_REQUIRE_CKAN=${CATALOG_TOOLS_REQUIRE_CKAN:-1}
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
