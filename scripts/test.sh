#!/usr/bin/env bash
# Install everything from nothing, lint, type-check, and run the whole test suite: unit tests,
# database tests on SQLite and PostgreSQL, integration tests against a real Synapse with real E2EE
# clients (matrix-nio and the Element engine, matrix-js-sdk + rust crypto).
# PostgreSQL: RALLIEMENT_TEST_POSTGRES (default postgres://postgres@127.0.0.1:5432/test); set
# RALLIEMENT_REQUIRE_POSTGRES=1 to fail instead of skipping when it is unreachable.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --test
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
exec .venv/bin/python -m pytest -p no:cacheprovider -ra "$@"
