#!/usr/bin/env bash
# Apache Beam's Prism runner (a local portable runner, in Go) built from the Go module proxy at the
# same version as the pinned apache-beam, and cached. Beam's PrismRunner would otherwise download a
# release binary from the internet at run time; newsbeam passes this one with --prism_location.
#
#   deploy/local/prism.sh install   build once (go install ...@vBEAM_VERSION), print the binary's path
#   deploy/local/prism.sh path      print the binary's path; exit 1 when it is not built yet
#   deploy/local/prism.sh version   print the Beam version the script builds
#
# Environment:
#   NEWSBEAM_CACHE   cache root (default ~/.cache/newsbeam); Go's GOPATH, GOMODCACHE, GOCACHE and
#                    the binary live under $NEWSBEAM_CACHE/go
#   GO               go binary (default: go on PATH, else /usr/local/go/bin/go); Go >= 1.23
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CACHE="${NEWSBEAM_CACHE:-$HOME/.cache/newsbeam}"
GOROOT_DIR="$CACHE/go"

say() { echo "prism.sh: $*" >&2; }
die() { say "error: $*"; exit 1; }

beam_version() {
  # The one pin: apache-beam in pyproject.toml. Prism and the Python SDK must be the same release.
  local v
  v="$(sed -n 's/^[[:space:]]*"apache-beam==\([0-9][0-9.]*\)".*/\1/p' "$ROOT/pyproject.toml" | head -n 1)"
  [[ -n "$v" ]] || die "no apache-beam==X.Y.Z pin found in $ROOT/pyproject.toml"
  printf '%s' "$v"
}

VERSION="$(beam_version)"
BIN_DIR="$GOROOT_DIR/bin/beam-$VERSION"
BIN="$BIN_DIR/prism"

find_go() {
  if [[ -n "${GO:-}" ]]; then printf '%s' "$GO"; return; fi
  if command -v go >/dev/null; then command -v go; return; fi
  [[ -x /usr/local/go/bin/go ]] && { printf '%s' /usr/local/go/bin/go; return; }
  die "Go is needed once to build prism (apt-get install -y golang-go, or set GO=/path/to/go)"
}

install() {
  if [[ -x "$BIN" ]]; then printf '%s\n' "$BIN"; return 0; fi
  local go; go="$(find_go)"
  say "building prism v$VERSION with $("$go" version | cut -d' ' -f3) (first time only; a few minutes)"
  mkdir -p "$BIN_DIR"
  local tmp="$BIN_DIR/.tmp.$$"
  rm -rf "$tmp" && mkdir -p "$tmp"
  # GOFLAGS=-modcacherw: the module cache stays deletable. GOTOOLCHAIN=local: never fetch a toolchain.
  if ! env GOPATH="$GOROOT_DIR" GOMODCACHE="$GOROOT_DIR/pkg/mod" GOCACHE="$GOROOT_DIR/build-cache" \
      GOBIN="$tmp" GOFLAGS=-modcacherw GOTOOLCHAIN=local CGO_ENABLED=0 \
      "$go" install "github.com/apache/beam/sdks/v2/go/cmd/prism@v$VERSION" >"$tmp.log" 2>&1; then
    tail -n 30 "$tmp.log" >&2
    rm -rf "$tmp" "$tmp.log"
    die "go install github.com/apache/beam/sdks/v2/go/cmd/prism@v$VERSION failed"
  fi
  mv "$tmp/prism" "$BIN"   # rename in one step: a half-built binary is never at $BIN
  rm -rf "$tmp" "$tmp.log"
  say "built $BIN"
  printf '%s\n' "$BIN"
}

case "${1:-install}" in
  install) install ;;
  path) [[ -x "$BIN" ]] || { say "prism v$VERSION is not built: run bash deploy/local/prism.sh install"; exit 1; }
        printf '%s\n' "$BIN" ;;
  version) printf '%s\n' "$VERSION" ;;
  *) die "usage: prism.sh install|path|version" ;;
esac
