#!/usr/bin/env bash
# Set up and run every test: lint, unit, integration (real Kafka and PostgreSQL), end-to-end,
# and a benchmark smoke run. Services are started by the project's own scripts and stopped after.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/system-deps.sh
.venv/bin/ruff check .
status=0
.venv/bin/python -m pytest "$@" || status=$?
exit "$status"
