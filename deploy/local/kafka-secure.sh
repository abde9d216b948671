#!/usr/bin/env bash
# The secured local broker: deploy/local/kafka.sh with SASL_SSL (SCRAM-SHA-512, TLS on loopback) on
# its own port (default 19392, controller 19393) and state dir; the plain broker on 19092 is untouched.
# Environment: NEWSBEAM_KAFKA_SECURE_PORT, NEWSBEAM_KAFKA_SECURE_DIR, and kafka.sh's others.
#
#   deploy/local/kafka-secure.sh start|stop|status|restart|clean|logs|flags
#   newsbeam run ... $(bash deploy/local/kafka-secure.sh flags)   # the --kafka_* flags for this broker
set -euo pipefail
export NEWSBEAM_KAFKA_SECURITY=sasl_ssl
export NEWSBEAM_KAFKA_PORT="${NEWSBEAM_KAFKA_SECURE_PORT:-19392}"
# Its own state (never the plain broker's NEWSBEAM_KAFKA_DIR); default $NEWSBEAM_CACHE/kafka/broker-PORT.
if [[ -n "${NEWSBEAM_KAFKA_SECURE_DIR:-}" ]]; then export NEWSBEAM_KAFKA_DIR="$NEWSBEAM_KAFKA_SECURE_DIR"; else unset NEWSBEAM_KAFKA_DIR; fi
exec bash "$(dirname "${BASH_SOURCE[0]}")/kafka.sh" "$@"
