#!/usr/bin/env bash
# Debian packages the tests need, installed once with apt-get (idempotent; scripts/test.sh calls it).
#   chromium    headless browser for the report test (tests/e2e/test_report_browser.py)
#   openssl     the secured Kafka broker's throwaway CA and certificate (deploy/local/kafka-secure.sh)
# PostgreSQL is installed on demand by deploy/local/postgres.sh when its fixture starts the server.
set -euo pipefail

packages=()
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || packages+=(chromium)
command -v openssl >/dev/null 2>&1 || packages+=(openssl)  # certificates of deploy/local/kafka-secure.sh

if ((${#packages[@]} == 0)); then
    exit 0
fi
if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    echo "system-deps: missing ${packages[*]}; install with 'sudo apt-get install -y ${packages[*]}'" \
         "(the tests that need them are skipped)" >&2
    exit 0
fi
echo "system-deps: installing ${packages[*]} (apt-get)"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
