#!/usr/bin/env bash
# Install everything into .venv and run Synapse + appservice + bots locally (SQLite).
# Usage: bash scripts/up.sh [ralliement up options: --data DIR --port N --json]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
exec .venv/bin/ralliement up "$@"
