#!/usr/bin/env bash
# Sets everything up (test extras included) and runs the test suite. Extra args go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/lint-imports
export KIEMCHUNG_REQUIRE_BROWSER=1
.venv/bin/python -m pytest -q -n 2 --dist loadfile "$@"
