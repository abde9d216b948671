#!/usr/bin/env bash
# Set up and run the sample job: sample_data/input -> out/sample (articles/, duplicates/, dead_letters/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
rm -rf out/sample
.venv/bin/newsbeam run --input sample_data/input --output out/sample "$@"
