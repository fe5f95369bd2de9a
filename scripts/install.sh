#!/usr/bin/env bash
# Create .venv and install the project with the local homeserver (and, with --test, test tools
# and the Element-engine Node client).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
if [ "${1:-}" = "--test" ]; then
  .venv/bin/python -m pip install --quiet -e ".[test]"
  npm ci --prefix tests/element --no-audit --no-fund --loglevel=error
else
  .venv/bin/python -m pip install --quiet -e ".[dev]"
fi
