#!/usr/bin/env bash
# Build and run newsbeam as a Dataflow Flex Template (see deploy/dataflow/README.md).
#
#   deploy/dataflow/launch.sh build     build and push the image (launcher + worker), then write the
#                                       template spec to $TEMPLATE (gcloud dataflow flex-template build)
#   deploy/dataflow/launch.sh run NAME PARAM=VALUE [PARAM=VALUE ...]
#                                       start a job from the template (gcloud dataflow flex-template run)
#   deploy/dataflow/launch.sh check     print the settings and check the tools, change nothing
#
# Environment (required: PROJECT, REGION, BUCKET):
#   PROJECT      Google Cloud project id          REGION   Dataflow region, e.g. europe-west1
#   BUCKET       gs://BUCKET for templates and temp files (no trailing slash)
#   REPOSITORY   Artifact Registry Docker repository (default newsbeam)
#   IMAGE        image to build/use (default $REGION-docker.pkg.dev/$PROJECT/$REPOSITORY/newsbeam:$TAG)
#   TAG          image tag (default: the git commit, or "dev")
#   TEMPLATE     template spec file (default $BUCKET/templates/newsbeam-$TAG.json)
#   STREAMING    1: run with Streaming Engine (for kafka_unbounded=true)
#   SERVICE_ACCOUNT  worker service account e-mail (optional)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

say() { echo "launch.sh: $*" >&2; }
die() { say "error: $*"; exit 1; }
need() { [[ -n "${!1:-}" ]] || die "set $1 (see the top of $0)"; }

settings() {
  need PROJECT; need REGION; need BUCKET
  [[ "$BUCKET" == gs://* ]] || die "BUCKET must start with gs://"
  REPOSITORY="${REPOSITORY:-newsbeam}"
  TAG="${TAG:-$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo dev)}"
  IMAGE="${IMAGE:-$REGION-docker.pkg.dev/$PROJECT/$REPOSITORY/newsbeam:$TAG}"
  TEMPLATE="${TEMPLATE:-$BUCKET/templates/newsbeam-$TAG.json}"
  BEAM_VERSION="$(sed -n 's/^[[:space:]]*"apache-beam==\([0-9][0-9.]*\)".*/\1/p' "$ROOT/pyproject.toml" | head -n 1)"
  [[ -n "$BEAM_VERSION" ]] || die "no apache-beam pin in pyproject.toml"
}

build() {
  settings
  command -v gcloud >/dev/null || die "gcloud is needed (Google Cloud SDK)"
  command -v docker >/dev/null || die "docker is needed to build the image"
  say "building $IMAGE (apache-beam $BEAM_VERSION)"
  DOCKER_BUILDKIT=1 docker build -f "$HERE/Dockerfile" --build-arg "BEAM_VERSION=$BEAM_VERSION" -t "$IMAGE" "$ROOT"
  gcloud auth configure-docker "$REGION-docker.pkg.dev" --quiet
  docker push "$IMAGE"
  say "writing the template spec $TEMPLATE"
  gcloud dataflow flex-template build "$TEMPLATE" \
    --project "$PROJECT" \
    --image "$IMAGE" \
    --sdk-language PYTHON \
    --metadata-file "$HERE/metadata.json"
  echo "$TEMPLATE"
}

run() {
  settings
  command -v gcloud >/dev/null || die "gcloud is needed (Google Cloud SDK)"
  local name="${1:-}"; shift || true
  [[ -n "$name" ]] || die "usage: launch.sh run JOB_NAME PARAM=VALUE [PARAM=VALUE ...]"
  local params="sdk_container_image=$IMAGE"  # workers run the same image: nothing installed at start
  for p in "$@"; do
    [[ "$p" == *=* ]] || die "parameter $p is not PARAM=VALUE"
    params="$params~$p"
  done
  local extra=()
  [[ "${STREAMING:-0}" == 1 ]] && extra+=(--enable-streaming-engine)
  [[ -n "${SERVICE_ACCOUNT:-}" ]] && extra+=(--service-account-email "$SERVICE_ACCOUNT")
  # '^~^' switches gcloud's list separator to '~' so values may contain commas (Kafka bootstrap lists).
  gcloud dataflow flex-template run "$name" \
    --project "$PROJECT" \
    --region "$REGION" \
    --template-file-gcs-location "$TEMPLATE" \
    --temp-location "$BUCKET/tmp" \
    --staging-location "$BUCKET/staging" \
    "${extra[@]}" \
    --parameters "^~^$params"
}

check() {
  settings
  for tool in gcloud docker; do
    command -v "$tool" >/dev/null && say "$tool: $(command -v "$tool")" || say "$tool: missing"
  done
  printf 'PROJECT=%s\nREGION=%s\nBUCKET=%s\nIMAGE=%s\nTEMPLATE=%s\nBEAM_VERSION=%s\n' \
    "$PROJECT" "$REGION" "$BUCKET" "$IMAGE" "$TEMPLATE" "$BEAM_VERSION"
}

case "${1:-}" in
  build) build ;;
  run) shift; run "$@" ;;
  check) check ;;
  *) die "usage: launch.sh build | run JOB_NAME PARAM=VALUE ... | check" ;;
esac
