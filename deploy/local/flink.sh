#!/usr/bin/env bash
# Beam's Flink job server for newsbeam: FlinkRunner (--flink_job_server_jar) runs Python pipelines
# on Flink through Beam's portable runner, with the SDK worker in LOOPBACK or PROCESS mode (no Docker).
#
#   deploy/local/flink.sh fetch     get the job-server jar once (cached), print its path
#   deploy/local/flink.sh jar       print the jar's path; exit 1 when it is not fetched yet
#   deploy/local/flink.sh start     run the job server as a service on $NEWSBEAM_FLINK_JOB_PORT for
#                                   --runner=PortableRunner --job_endpoint=localhost:PORT
#   deploy/local/flink.sh stop | status | logs
#   deploy/local/flink.sh versions  print "BEAM_JOB_SERVER_VERSION FLINK_VERSION"
#
# Which jar: Maven Central, as reachable from this machine, serves no
# beam-runners-flink-<flink>-job-server jar of any Beam release (Flink 1.16-2.0 x Beam 2.50-2.77
# checked). `fetch` first asks for the official jar; when it is missing it assembles the same
# job server (FlinkJobServerDriver, shaded with merged service files, like Beam's own shadowJar)
# from the module jars that are served: beam-runners-flink-1.19 and beam-runners-java-job-service,
# whose newest common version is Beam 2.62.0 (with Flink 1.19.0). The Python SDK is 2.77.0; the
# job server speaks the portable Fn/Job API to it (tests/integration/test_flink_runner.py checks
# the outputs are identical to the DirectRunner's). If an artifact is missing, fetch fails naming it.
#
# Environment:
#   NEWSBEAM_CACHE             cache root (default ~/.cache/newsbeam); the jar goes to $NEWSBEAM_CACHE/flink
#   NEWSBEAM_FLINK_JOB_PORT    job service port of `start` (default 8099; artifact PORT-1, expansion PORT-2)
#   NEWSBEAM_FLINK_MASTER      Flink master for `start`: [local] (embedded Flink, default) or HOST:PORT of
#                              a Flink cluster's REST endpoint
#   NEWSBEAM_FLINK_HEAP        job server JVM heap (default 1g; with [local] Flink runs inside it)
#   JAVA                       java binary (default: java on PATH; Java 11 or 17)
set -euo pipefail

BEAM_JOB_SERVER_VERSION=2.62.0   # keep equal to beam.version in flink/pom.xml and pipelines/runners.py
FLINK_VERSION=1.19               # keep equal to flink.minor in flink/pom.xml and pipelines/runners.py
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
POM="$HERE/flink/pom.xml"
CACHE="${NEWSBEAM_CACHE:-$HOME/.cache/newsbeam}"
DIR="$CACHE/flink"
NAME="beam-runners-flink-$FLINK_VERSION-job-server-$BEAM_JOB_SERVER_VERSION"
JAR="$DIR/$NAME.jar"
PORT="${NEWSBEAM_FLINK_JOB_PORT:-8099}"
MASTER="${NEWSBEAM_FLINK_MASTER:-[local]}"
STATE="$DIR/job-server-$PORT"
PIDFILE="$STATE/job-server.pid"
LOG="$STATE/job-server.log"
JAVA="${JAVA:-java}"
HEAP="${NEWSBEAM_FLINK_HEAP:-1g}"
CENTRAL="https://repo1.maven.org/maven2"

say() { echo "flink.sh: $*" >&2; }
die() { say "error: $*"; exit 1; }

official() {
  # The jar Beam publishes (and FlinkRunner would download): use it whenever Central serves it.
  local path="org/apache/beam/beam-runners-flink-$FLINK_VERSION-job-server/$BEAM_JOB_SERVER_VERSION/$NAME.jar"
  command -v curl >/dev/null || return 1
  curl -fsSL --retry 2 -o "$1" "$CENTRAL/$path" 2>/dev/null
}

fetch() {
  [[ -s "$JAR" ]] && { printf '%s\n' "$JAR"; return 0; }
  mkdir -p "$DIR"
  local tmp="$DIR/.tmp.$$"
  rm -rf "$tmp" && mkdir -p "$tmp"
  trap "rm -rf '$tmp'" EXIT  # expanded now: $tmp is local to this function
  if official "$tmp/$NAME.jar"; then
    say "fetched the official $NAME.jar from Maven Central"
  else
    say "Maven Central serves no org.apache.beam:beam-runners-flink-$FLINK_VERSION-job-server:$BEAM_JOB_SERVER_VERSION;"
    say "assembling the job server from org.apache.beam:beam-runners-flink-$FLINK_VERSION:$BEAM_JOB_SERVER_VERSION (a few minutes, once)"
    command -v mvn >/dev/null || die "maven is needed once to assemble the job server (apt-get install -y maven)"
    if ! mvn -B -q -f "$POM" package -Dbeam.version="$BEAM_JOB_SERVER_VERSION" -Dflink.minor="$FLINK_VERSION" \
        -Dbuild.dir="$tmp/build" -DoutputDirectory="$tmp" >"$tmp/mvn.log" 2>&1; then
      tail -n 20 "$tmp/mvn.log" >&2
      local missing
      missing="$(grep -oE "(Could not find artifact|Failure to find) [^ ]+" "$tmp/mvn.log" | head -n 3 || true)"
      die "could not assemble the Flink job server${missing:+: $missing}"
    fi
  fi
  [[ -s "$tmp/$NAME.jar" ]] || die "no $NAME.jar after fetch"
  mv "$tmp/$NAME.jar" "$JAR"   # one rename: a half-written jar is never at $JAR
  say "job server jar: $JAR"
  printf '%s\n' "$JAR"
}

pid_alive() { [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

start() {
  fetch >/dev/null
  if pid_alive && port_open; then say "job server already running (pid $(cat "$PIDFILE"))"; return 0; fi
  mkdir -p "$STATE/artifacts"
  say "starting the Beam Flink job server on localhost:$PORT (flink master $MASTER)"
  nohup "$JAVA" "-Xmx$HEAP" -jar "$JAR" --flink-master="$MASTER" --job-port "$PORT" \
      --artifact-port "$((PORT - 1))" --expansion-port "$((PORT - 2))" --artifacts-dir "$STATE/artifacts" \
      >"$LOG" 2>&1 &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 180); do
    if port_open; then say "ready: --runner=PortableRunner --job_endpoint=localhost:$PORT --environment_type=LOOPBACK"; return 0; fi
    pid_alive || { tail -n 30 "$LOG" >&2; die "job server exited"; }
    sleep 0.5
  done
  tail -n 30 "$LOG" >&2
  die "job server not ready after 90 s"
}

stop() {
  pid_alive || { rm -f "$PIDFILE"; say "not running"; return 0; }
  local pid; pid="$(cat "$PIDFILE")"
  kill "$pid"
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  rm -f "$PIDFILE"
  say "stopped"
}

case "${1:-}" in
  fetch) fetch ;;
  jar) [[ -s "$JAR" ]] || { say "not fetched yet: run bash deploy/local/flink.sh fetch"; exit 1; }; printf '%s\n' "$JAR" ;;
  start) start ;;
  stop) stop ;;
  status) if pid_alive && port_open; then echo "running pid=$(cat "$PIDFILE") endpoint=localhost:$PORT"; else echo stopped; exit 3; fi ;;
  logs) cat "$LOG" ;;
  versions) echo "$BEAM_JOB_SERVER_VERSION $FLINK_VERSION" ;;
  *) die "usage: flink.sh fetch | jar | start | stop | status | logs | versions" ;;
esac
