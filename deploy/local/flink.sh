#!/usr/bin/env bash
# Beam's Flink job server for newsbeam: FlinkRunner (--flink_job_server_jar) runs Python pipelines
# on Flink through Beam's portable runner, with the SDK worker in LOOPBACK or PROCESS mode (no Docker).
#
#   deploy/local/flink.sh fetch     get the job-server jar once (cached), print its path
#   deploy/local/flink.sh jar       print the jar's path; exit 1 when it is not fetched yet
#   deploy/local/flink.sh start     run the job server as a service on $NEWSBEAM_FLINK_JOB_PORT for
#                                   --runner=PortableRunner --job_endpoint=localhost:PORT
#   deploy/local/flink.sh stop | status | logs
#   deploy/local/flink.sh cluster-start    a standalone Flink 1.19 session cluster on loopback: one
#                                   JobManager and one TaskManager process (2 slots), REST on
#                                   $NEWSBEAM_FLINK_REST_PORT; jobs go to it with
#                                   --runner=FlinkRunner --flink_master=localhost:PORT (profile flink-cluster)
#   deploy/local/flink.sh cluster-stop | cluster-status | cluster-logs
#   deploy/local/flink.sh versions  print "BEAM_JOB_SERVER_VERSION FLINK_VERSION"
#
# The cluster runs Flink's own entry points (StandaloneSessionClusterEntrypoint, TaskManagerRunner,
# with the memory settings Flink's start scripts compute via BashJavaUtils) from the Flink 1.19.0
# jars inside the job-server jar: Maven Central serves no flink-dist distribution to this machine.
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
#   NEWSBEAM_FLINK_REST_PORT   cluster REST port (default 18081); RPC, blob and data ports are REST+42..44
#   NEWSBEAM_FLINK_TM_MEMORY   TaskManager process memory (default 2048m)
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

# ----------------------------------------------------------------------------- standalone cluster

REST_PORT="${NEWSBEAM_FLINK_REST_PORT:-18081}"
CLUSTER="$DIR/cluster-$REST_PORT"
TM_MEMORY="${NEWSBEAM_FLINK_TM_MEMORY:-2048m}"

rest_up() { (exec 3<>"/dev/tcp/127.0.0.1/$REST_PORT") 2>/dev/null; }
role_alive() { [[ -f "$CLUSTER/$1.pid" ]] && kill -0 "$(cat "$CLUSTER/$1.pid")" 2>/dev/null; }
overview() { curl -fsS "http://127.0.0.1:$REST_PORT/overview" 2>/dev/null; }

cluster_config() {
  mkdir -p "$CLUSTER/conf" "$CLUSTER/log" "$CLUSTER/tmp"
  cat >"$CLUSTER/conf/config.yaml" <<CONF
# Written by deploy/local/flink.sh: a standalone session cluster on loopback, sized for 2 cores.
jobmanager:
  rpc: {address: localhost, port: $((REST_PORT + 42))}
  bind-host: 127.0.0.1
  memory: {process: {size: 1024m}}
taskmanager:
  bind-host: 127.0.0.1
  host: localhost
  numberOfTaskSlots: 2
  data: {port: $((REST_PORT + 44))}
  # Beam's portable stages shuffle through Flink's network stack: the default share is too small.
  memory: {process: {size: $TM_MEMORY}, network: {min: 256m, max: 256m}}
rest: {port: $REST_PORT, address: localhost, bind-address: 127.0.0.1}
blob: {server: {port: $((REST_PORT + 43))}}
io: {tmp: {dirs: $CLUSTER/tmp}}
parallelism: {default: 1}
# The job-server jar is both the cluster's classpath and the job's user jar: load each class once.
classloader: {resolve-order: parent-first}
CONF
}

cluster_start() {
  fetch >/dev/null
  if rest_up && role_alive jobmanager && role_alive taskmanager; then
    say "Flink cluster already running: localhost:$REST_PORT"; return 0
  fi
  cluster_stop >/dev/null 2>&1 || true
  cluster_config
  say "starting a Flink 1.19 JobManager (REST localhost:$REST_PORT)"
  nohup "$JAVA" -Xmx512m -Dlog.file="$CLUSTER/log/jobmanager.log" -cp "$JAR" \
      org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint --configDir "$CLUSTER/conf" \
      >"$CLUSTER/log/jobmanager.out" 2>&1 &
  echo $! >"$CLUSTER/jobmanager.pid"
  # The TaskManager's JVM and memory flags, as Flink's taskmanager.sh computes them.
  local params jvm dynamic
  params="$("$JAVA" -cp "$JAR" org.apache.flink.runtime.util.bash.BashJavaUtils GET_TM_RESOURCE_PARAMS \
      --configDir "$CLUSTER/conf" 2>/dev/null | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p')"
  jvm="$(sed -n 1p <<<"$params")"; dynamic="$(sed -n 2p <<<"$params")"
  [[ -n "$jvm" && -n "$dynamic" ]] || die "could not compute the TaskManager memory settings"
  say "starting a Flink TaskManager ($TM_MEMORY, 2 slots)"
  # shellcheck disable=SC2086  # word splitting of the computed flags is intended
  nohup "$JAVA" $jvm -Dlog.file="$CLUSTER/log/taskmanager.log" -cp "$JAR" \
      org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir "$CLUSTER/conf" $dynamic \
      >"$CLUSTER/log/taskmanager.out" 2>&1 &
  echo $! >"$CLUSTER/taskmanager.pid"
  for _ in $(seq 1 240); do
    if overview | grep -q '"slots-total":[1-9]'; then
      say "ready: --runner=FlinkRunner --flink_master=localhost:$REST_PORT (or --profile flink-cluster)"; return 0
    fi
    for role in jobmanager taskmanager; do
      role_alive "$role" || { tail -n 20 "$CLUSTER/log/$role.out" >&2; die "Flink $role exited"; }
    done
    sleep 0.5
  done
  die "no TaskManager registered after 120 s (logs: $CLUSTER/log)"
}

cluster_stop() {
  local role pid
  for role in taskmanager jobmanager; do
    role_alive "$role" || continue
    pid="$(cat "$CLUSTER/$role.pid")"
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    rm -f "$CLUSTER/$role.pid"
  done
  say "Flink cluster stopped"
}

case "${1:-}" in
  cluster-start) cluster_start; exit ;;
  cluster-stop) cluster_stop; exit ;;
  cluster-status) if rest_up; then overview; echo; else echo stopped; exit 3; fi; exit ;;
  cluster-logs) tail -n 50 "$CLUSTER"/log/*.log; exit ;;
esac

case "${1:-}" in
  fetch) fetch ;;
  jar) [[ -s "$JAR" ]] || { say "not fetched yet: run bash deploy/local/flink.sh fetch"; exit 1; }; printf '%s\n' "$JAR" ;;
  start) start ;;
  stop) stop ;;
  status) if pid_alive && port_open; then echo "running pid=$(cat "$PIDFILE") endpoint=localhost:$PORT"; else echo stopped; exit 3; fi ;;
  logs) cat "$LOG" ;;
  versions) echo "$BEAM_JOB_SERVER_VERSION $FLINK_VERSION" ;;
  *) die "usage: flink.sh fetch | jar | start | stop | status | logs | cluster-start | cluster-stop | cluster-status | cluster-logs | versions" ;;
esac
