#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft, no ZooKeeper) on loopback, for development and
# tests. Jars come from Maven Central (pinned in deploy/local/kafka/pom.xml) and are cached.
#
#   deploy/local/kafka.sh start      fetch jars (once), format storage (once), start, wait until ready
#   deploy/local/kafka.sh stop       stop cleanly (SIGTERM, then SIGKILL after a grace period)
#   deploy/local/kafka.sh status     exit 0 when the broker answers on its port
#   deploy/local/kafka.sh restart | clean (stop and delete the broker's data) | logs
#   deploy/local/kafka.sh classpath  print the classpath (to run Kafka's own tools, e.g. the
#                                    console consumer: java -cp "$(kafka.sh classpath)" ...)
#   deploy/local/kafka.sh fetch      only download the jars (e.g. to warm a CI cache)
#   deploy/local/kafka.sh flags      print the newsbeam --kafka_* flags that connect to this broker
#
# A secured broker (SASL_SSL with SCRAM-SHA-512, TLS on loopback): NEWSBEAM_KAFKA_SECURITY=sasl_ssl,
# or deploy/local/kafka-secure.sh (port 19392). At the first start it makes a throwaway CA and a
# broker certificate for 127.0.0.1/localhost with openssl ($STATE/tls/ca.pem verifies the broker)
# and creates the SCRAM users at format time: NEWSBEAM_KAFKA_SASL_USER (default newsbeam), password
# $NEWSBEAM_KAFKA_SASL_PASSWORD or generated once into $STATE/client.password (0600), and an
# inter-broker user. The controller listener (PORT+1) stays PLAINTEXT on 127.0.0.1. Its storage is
# formatted afresh at every start (topics are not kept): see format_storage.
#
# Environment:
#   NEWSBEAM_CACHE            cache root (default ~/.cache/newsbeam)
#   NEWSBEAM_KAFKA_PORT       client port (default 19092); the controller uses PORT+1
#   NEWSBEAM_KAFKA_DIR        state dir: config, data, log, pid (default $NEWSBEAM_CACHE/kafka/broker-PORT)
#   NEWSBEAM_KAFKA_HEAP       JVM heap (default 512m: the broker shares 2 cores with the tests)
#   NEWSBEAM_KAFKA_START_TIMEOUT  seconds to wait for readiness (default 90)
#   NEWSBEAM_KAFKA_SECURITY   plaintext (default) | sasl_ssl (see above)
#   NEWSBEAM_KAFKA_SASL_USER, NEWSBEAM_KAFKA_SASL_PASSWORD  the client SCRAM user (sasl_ssl only)
#   JAVA                      java binary (default: java on PATH; Kafka 4.x brokers need Java 17+)
set -euo pipefail

KAFKA_VERSION=4.4.0   # keep equal to kafka.version in deploy/local/kafka/pom.xml
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
POM="$HERE/kafka/pom.xml"
CACHE="${NEWSBEAM_CACHE:-$HOME/.cache/newsbeam}"
LIBS="$CACHE/kafka/$KAFKA_VERSION/libs"
PORT="${NEWSBEAM_KAFKA_PORT:-19092}"
CONTROLLER_PORT=$((PORT + 1))
STATE="${NEWSBEAM_KAFKA_DIR:-$CACHE/kafka/broker-$PORT}"
PIDFILE="$STATE/broker.pid"
LOG="$STATE/broker.log"
JAVA="${JAVA:-java}"
HEAP="${NEWSBEAM_KAFKA_HEAP:-512m}"
START_TIMEOUT="${NEWSBEAM_KAFKA_START_TIMEOUT:-90}"
SECURITY="${NEWSBEAM_KAFKA_SECURITY:-plaintext}"
SASL_USER="${NEWSBEAM_KAFKA_SASL_USER:-newsbeam}"
TLS="$STATE/tls"
CLIENT_PASSWORD="$STATE/client.password"
[[ "$SECURITY" == plaintext || "$SECURITY" == sasl_ssl ]] \
  || { echo "kafka.sh: error: NEWSBEAM_KAFKA_SECURITY must be plaintext or sasl_ssl" >&2; exit 2; }

say() { echo "kafka.sh: $*" >&2; }
die() { say "error: $*"; exit 1; }

fetch() {
  [[ -f "$LIBS/.complete" ]] && return 0
  command -v mvn >/dev/null || die "maven is needed once to fetch the broker jars (apt-get install -y maven)"
  say "fetching Apache Kafka $KAFKA_VERSION jars from Maven Central into $LIBS"
  local tmp="$LIBS.tmp.$$"
  rm -rf "$tmp" && mkdir -p "$tmp"
  if ! mvn -B -q -f "$POM" dependency:copy-dependencies -Dkafka.version="$KAFKA_VERSION" \
      -DincludeScope=runtime -DoutputDirectory="$tmp" >"$tmp.mvn.log" 2>&1; then
    tail -n 30 "$tmp.mvn.log" >&2
    rm -rf "$tmp" "$tmp.mvn.log"
    die "could not resolve org.apache.kafka:kafka_2.13:$KAFKA_VERSION"
  fi
  rm -f "$tmp.mvn.log"
  ls "$tmp"/kafka_2.13-"$KAFKA_VERSION".jar >/dev/null || die "kafka_2.13 jar missing after fetch"
  touch "$tmp/.complete"
  rm -rf "$LIBS" && mv "$tmp" "$LIBS"   # atomic enough: a half download never looks complete
}

classpath() { fetch; printf '%s' "$LIBS/*"; }

pid_alive() { [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

write_config() {
  mkdir -p "$STATE/data"
  local LISTENER=PLAINTEXT
  [[ "$SECURITY" == sasl_ssl ]] && LISTENER=SASL_SSL
  (umask 077 && : >"$STATE/server.properties")  # holds the keystore and inter-broker passwords
  cat >"$STATE/server.properties" <<EOF
# Written by deploy/local/kafka.sh: single node, loopback only, tuned for tests.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=$LISTENER://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=$LISTENER://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=$LISTENER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,$LISTENER:$LISTENER
log.dirs=$STATE/data
num.partitions=1
default.replication.factor=1
offsets.topic.replication.factor=1
# One partition for consumer offsets: creating 50 on first use costs seconds on 2 cores.
offsets.topic.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
group.initial.rebalance.delay.ms=0
# Tests and replays produce records with historic event times: never expire them by age,
# and accept any record timestamp.
log.retention.ms=-1
log.message.timestamp.before.max.ms=9223372036854775807
log.message.timestamp.after.max.ms=9223372036854775807
auto.create.topics.enable=true
num.network.threads=2
num.io.threads=2
num.recovery.threads.per.data.dir=1
EOF
  if [[ "$SECURITY" == sasl_ssl ]]; then cat >>"$STATE/server.properties" <<EOF
# SASL_SSL with SCRAM-SHA-512; the users are created at format time (format_storage).
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="broker" password="$(cat "$TLS/broker.password")";
ssl.keystore.type=PKCS12
ssl.keystore.location=$TLS/broker.p12
ssl.keystore.password=$(cat "$TLS/keystore.password")
ssl.truststore.type=PEM
ssl.truststore.location=$TLS/ca.pem
ssl.endpoint.identification.algorithm=https
EOF
  fi
  cat >"$STATE/log4j2.properties" <<EOF
status = warn
appender.file.type = File
appender.file.name = FILE
appender.file.fileName = $LOG
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE
logger.state.name = state.change.logger
logger.state.level = WARN
logger.request.name = kafka.request.logger
logger.request.level = WARN
EOF
}

secret() { LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 32 || true; }

# A throwaway CA and a broker certificate for 127.0.0.1/localhost, made once per state dir.
make_tls() {
  [[ -s "$TLS/broker.p12" ]] && return 0
  command -v openssl >/dev/null || die "openssl is needed to make the test certificates"
  local tmp="$TLS.tmp.$$"
  rm -rf "$tmp" && mkdir -p "$tmp" && chmod 700 "$tmp"
  (umask 077 && secret >"$tmp/keystore.password" && secret >"$tmp/broker.password")
  {
    openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 -subj "/CN=newsbeam test CA" \
      -keyout "$tmp/ca.key" -out "$tmp/ca.pem" &&
    openssl req -newkey rsa:2048 -nodes -sha256 -subj "/CN=localhost" \
      -keyout "$tmp/broker.key" -out "$tmp/broker.csr" &&
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n' >"$tmp/ext" &&
    openssl x509 -req -sha256 -days 3650 -in "$tmp/broker.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" \
      -CAcreateserial -extfile "$tmp/ext" -out "$tmp/broker.pem" &&
    openssl pkcs12 -export -in "$tmp/broker.pem" -inkey "$tmp/broker.key" -certfile "$tmp/ca.pem" \
      -name broker -out "$tmp/broker.p12" -passout "file:$tmp/keystore.password"
  } >"$tmp/openssl.log" 2>&1 || { cat "$tmp/openssl.log" >&2; rm -rf "$tmp"; die "openssl failed"; }
  # The CA key is not kept: nothing else can be signed by this CA.
  rm -f "$tmp/broker.csr" "$tmp/ext" "$tmp/openssl.log" "$tmp/ca.key" "$tmp/ca.srl" "$tmp/broker.key"
  chmod 644 "$tmp/ca.pem"
  rm -rf "$TLS" && mv "$tmp" "$TLS"
}

client_password() {
  if [[ -n "${NEWSBEAM_KAFKA_SASL_PASSWORD:-}" ]]; then
    (umask 077 && printf '%s' "$NEWSBEAM_KAFKA_SASL_PASSWORD" >"$CLIENT_PASSWORD")
  elif [[ ! -s "$CLIENT_PASSWORD" ]]; then
    (umask 077 && secret >"$CLIENT_PASSWORD")
  fi
  cat "$CLIENT_PASSWORD"
}

format_storage() {
  local formatted_for
  if [[ -f "$STATE/data/meta.properties" ]]; then
    formatted_for="$(cat "$STATE/security" 2>/dev/null || echo plaintext)"
    [[ "$formatted_for" == "$SECURITY" ]] || die "$STATE was formatted for $formatted_for, not $SECURITY: run clean first"
    # The SCRAM users created at format time did not survive a restart of the 4.4.0 KRaft broker
    # (every login refused afterwards), so the secured test broker starts from fresh storage each
    # time; its certificates and passwords are kept, its topics are not.
    [[ "$SECURITY" == sasl_ssl ]] || return 0
    rm -rf "$STATE/data" && mkdir -p "$STATE/data"
  fi
  local cluster_id
  local -a scram=()
  cluster_id="$("$JAVA" -cp "$LIBS/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
  [[ -n "$cluster_id" ]] || die "kafka-storage random-uuid failed"
  if [[ "$SECURITY" == sasl_ssl ]]; then
    scram=(--add-scram "SCRAM-SHA-512=[name=broker,password=$(cat "$TLS/broker.password")]"
           --add-scram "SCRAM-SHA-512=[name=$SASL_USER,password=$(client_password)]")
  fi
  "$JAVA" -cp "$LIBS/*" -Dlog4j2.configurationFile="$STATE/log4j2.properties" \
    kafka.tools.StorageTool format -t "$cluster_id" -c "$STATE/server.properties" "${scram[@]}" >/dev/null \
    || die "kafka-storage format failed"
  echo "$SECURITY" >"$STATE/security"
}

flags() {
  # FLAG=VALUE: an unknown flag's separate value would be taken for a command's positional PATH.
  local out="--kafka_bootstrap_servers=127.0.0.1:$PORT"
  if [[ "$SECURITY" == sasl_ssl ]]; then
    out+=" --kafka_security_protocol=SASL_SSL --kafka_sasl_mechanism=SCRAM-SHA-512"
    out+=" --kafka_sasl_username=$SASL_USER --kafka_sasl_password_file=$CLIENT_PASSWORD"
    out+=" --kafka_ssl_cafile=$TLS/ca.pem"
  fi
  echo "$out"
}

start() {
  if pid_alive && port_open; then say "already running (pid $(cat "$PIDFILE"), 127.0.0.1:$PORT)"; return 0; fi
  if port_open; then die "port $PORT is taken by another process (set NEWSBEAM_KAFKA_PORT)"; fi
  command -v "$JAVA" >/dev/null || die "java not found (Kafka $KAFKA_VERSION needs Java 17+)"
  fetch
  mkdir -p "$STATE"
  if [[ "$SECURITY" == sasl_ssl ]]; then make_tls; fi
  write_config
  format_storage
  rm -f "$LOG"
  # setsid: the broker must outlive the shell (and the pytest process) that started it.
  setsid "$JAVA" -Xms128m -Xmx"$HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$STATE/log4j2.properties" -Dkafka.logs.dir="$STATE" \
    -cp "$LIBS/*" kafka.Kafka "$STATE/server.properties" >"$STATE/broker.out" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  local deadline=$((SECONDS + START_TIMEOUT))
  until port_open && grep -q "Kafka Server started" "$LOG" 2>/dev/null; do
    if ! pid_alive; then
      tail -n 40 "$STATE/broker.out" "$LOG" >&2 2>/dev/null || true
      rm -f "$PIDFILE"
      die "broker exited during start-up (see $LOG)"
    fi
    if ((SECONDS > deadline)); then
      tail -n 40 "$LOG" >&2 2>/dev/null || true
      stop
      die "broker not ready after ${START_TIMEOUT}s"
    fi
    sleep 0.3
  done
  say "Apache Kafka $KAFKA_VERSION ready on $SECURITY 127.0.0.1:$PORT (pid $(cat "$PIDFILE"), state $STATE)"
}

stop() {
  if ! pid_alive; then rm -f "$PIDFILE"; say "not running"; return 0; fi
  local pid; pid="$(cat "$PIDFILE")"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then say "broker did not stop in 30s, killing it"; kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$PIDFILE"
  say "stopped"
}

status() {
  if pid_alive && port_open; then echo "running pid=$(cat "$PIDFILE") bootstrap=127.0.0.1:$PORT"; return 0; fi
  if port_open; then echo "a broker (not started by this script) answers on 127.0.0.1:$PORT"; return 0; fi
  echo "stopped"; return 3
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) status ;;
  clean) stop; rm -rf "$STATE"; say "removed $STATE" ;;
  logs) exec tail -n "${2:-100}" "$LOG" ;;
  fetch) fetch ;;
  classpath) classpath; echo ;;
  flags) flags ;;
  *) echo "usage: $0 start|stop|restart|status|clean|logs|fetch|classpath|flags" >&2; exit 2 ;;
esac
