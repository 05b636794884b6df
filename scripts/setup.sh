#!/usr/bin/env bash
# Installs everything kiemchung needs on Debian (run as root, or with sudo available):
# Tesseract with the Vietnamese models, fonts, and the Python environment in .venv.
#   bash scripts/setup.sh          # what the pipeline needs
#   bash scripts/setup.sh --test   # plus what the tests need (Chromium for the HTML check)
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(tesseract-ocr tesseract-ocr-vie tesseract-ocr-script-viet fonts-dejavu-core poppler-utils)
if [[ "${1:-}" == "--test" ]]; then
  # Chromium for the HTML checks; LibreOffice (optional for users) so a real .doc is read in the tests.
  APT_PACKAGES+=(chromium libreoffice-writer-nogui)
fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo ">> apt-get install ${missing[*]}"
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3
if [[ ! -x .venv/bin/python ]]; then
  echo ">> creating .venv with $PYTHON"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.kiemchung-installed
if [[ ! -f $stamp || pyproject.toml -nt $stamp ]]; then
  echo ">> pip install -e .[dev]"
  .venv/bin/pip install -q --disable-pip-version-check -e ".[dev]"
  touch "$stamp"
fi
