#!/usr/bin/env bash
# Re-run the sample job and rewrite sample_data/expected/ from it. Review the diff before committing:
# the end-to-end test pins these files.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
out="$(mktemp -d)"
.venv/bin/newsbeam run --input sample_data/input --output "$out"
.venv/bin/python -c "import sys; from pipelines.expected import write_expected; write_expected(sys.argv[1], 'sample_data/expected')" "$out"
rm -rf "$out"
git --no-pager diff --stat -- sample_data/expected || true
