#!/usr/bin/env bash
# Install catalog-tools into ./.venv and run the main job on the shipped example data.
#   bash scripts/setup.sh            # install, then validate + score the example workbook
#   SKIP_DEMO=1 bash scripts/setup.sh  # install only (used by scripts/test.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
VENV=${VENV:-.venv}

if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
  echo "catalog-tools needs Python 3.11 or newer (found: $("$PY" --version 2>&1))" >&2
  exit 2
fi
if [ ! -x "$VENV/bin/python" ]; then
  if ! "$PY" -m venv "$VENV" >/dev/null 2>&1; then
    # Debian ships venv separately (python3-venv); install it when we can.
    rm -rf "$VENV"
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    elif command -v sudo >/dev/null && command -v apt-get >/dev/null; then
      sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    fi
    "$PY" -m venv "$VENV"
  fi
fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -e ".[test,quality]" 2>&1 | grep -v "^WARNING: Location" || true
"$VENV/bin/catalog-tools" --version

if [ -z "${SKIP_DEMO:-}" ]; then
  echo
  echo "== catalog-tools validate fixtures/examples/tourism-template2-3.xlsx"
  "$VENV/bin/catalog-tools" validate fixtures/examples/tourism-template2-3.xlsx
  if "$VENV/bin/catalog-tools" score --help >/dev/null 2>&1; then
    echo
    echo "== catalog-tools score fixtures/examples/opdc-worked-example.xlsx --fy 2565 --catalog-url https://catalog.opdc.go.th"
    "$VENV/bin/catalog-tools" score fixtures/examples/opdc-worked-example.xlsx --fy 2565 --catalog-url https://catalog.opdc.go.th
  fi
  echo
  echo "Installed. Activate with:  . $VENV/bin/activate   then try:  catalog-tools --help"
fi
