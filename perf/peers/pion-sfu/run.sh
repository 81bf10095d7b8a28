#!/usr/bin/env bash
# Builds the minimal Pion WHIP/WHEP forwarder offline from Debian's packages and runs it.
# Needs: apt-get install golang-go golang-github-pion-webrtc.v3-dev (GOPATH mode: nothing is downloaded).
# Usage: perf/peers/pion-sfu/run.sh [--http 127.0.0.1:3001] [--udp 127.0.0.1:0]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
command -v go >/dev/null || { echo "go is missing: apt-get install golang-go golang-github-pion-webrtc.v3-dev" >&2; exit 1; }
webrtc=/usr/share/gocode/src/github.com/pion/webrtc
[[ -f $webrtc/go.mod ]] || { echo "Pion WebRTC is missing: apt-get install golang-github-pion-webrtc.v3-dev" >&2; exit 1; }
out="${PION_SFU_BUILD:-$HOME/.cache/eddy-pion-sfu}"
# Debian installs the v3 module at .../pion/webrtc; GOPATH mode finds an import path's /v3 only where a directory
# has that name, so a GOPATH of our own names it.
mkdir -p "$out/gopath/src/github.com/pion/webrtc"
ln -sfn "$webrtc" "$out/gopath/src/github.com/pion/webrtc/v3"
(cd "$here" && GO111MODULE=off GOPATH="$out/gopath:/usr/share/gocode" GOCACHE="$out/cache" go build -o "$out/pion-sfu" .)
exec "$out/pion-sfu" "$@"
