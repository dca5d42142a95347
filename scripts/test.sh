#!/usr/bin/env bash
# Run the whole test suite, including the tests against a real CKAN server that this script
# starts (and stops) through scripts/ckan-test-server.sh. Extra arguments go to pytest.
#   bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SKIP_DEMO=1 bash scripts/setup.sh >/dev/null
export CATALOG_TOOLS_REQUIRE_CKAN=${CATALOG_TOOLS_REQUIRE_CKAN:-1}
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
