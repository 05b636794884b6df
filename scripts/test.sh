#!/usr/bin/env bash
# Sets everything up (test extras included) and runs the test suite. Extra args go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/lint-imports
# What would otherwise skip must be there: Chromium, the S3 server, ../shared/realdocs, LibreOffice.
export KIEMCHUNG_REQUIRE_BROWSER=1 KIEMCHUNG_REQUIRE_S3=1 KIEMCHUNG_REQUIRE_REALDOCS=1 KIEMCHUNG_REQUIRE_LIBREOFFICE=1
.venv/bin/python -m pytest -q -n 2 --dist loadfile "$@"
