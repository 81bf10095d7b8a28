#!/usr/bin/env bash
# Builds the Pion DTLS handshake benchmark offline from Debian's packages and runs it on one core.
# Needs: apt-get install golang-go golang-github-pion-dtls.v2-dev (GOPATH mode: no module download).
# Usage: perf/peers/pion-dtls/run.sh [handshakes]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
command -v go >/dev/null || { echo "go is missing: apt-get install golang-go golang-github-pion-dtls.v2-dev" >&2; exit 1; }
[[ -d /usr/share/gocode/src/github.com/pion/dtls/v2 ]] || { echo "Pion DTLS is missing: apt-get install golang-github-pion-dtls.v2-dev" >&2; exit 1; }
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
(cd "$here" && GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$out/cache" go build -o "$out/pion-dtls-bench" .)
GOMAXPROCS=1 "$out/pion-dtls-bench" "${1:-2000}"
