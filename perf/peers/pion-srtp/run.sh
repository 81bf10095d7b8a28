#!/usr/bin/env bash
# Builds Pion's own SRTP benchmarks offline from Debian's package and runs them beside eddy's, round after round
# in one run (io.eddyrtc.perf.srtp.SrtpSideBySide): CPU time per protect/unprotect, bytes allocated per packet.
# Needs: apt-get install golang-go golang-github-pion-srtp.v2-dev golang-github-stretchr-testify-dev
# (GOPATH mode: no module download), and perf/target/benchmarks.jar (./eddy build, or mvn install -DskipTests).
# Usage: perf/peers/pion-srtp/run.sh [rounds, default 5]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
command -v go >/dev/null || { echo "go is missing: apt-get install golang-go golang-github-pion-srtp.v2-dev" >&2; exit 1; }
[[ -d /usr/share/gocode/src/github.com/pion/srtp/v2 ]] || { echo "Pion SRTP is missing: apt-get install golang-github-pion-srtp.v2-dev" >&2; exit 1; }
jar="$root/perf/target/benchmarks.jar"
[[ -f "$jar" ]] || { echo "$jar is missing: ./eddy build first" >&2; exit 1; }
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$out/cache" go test -c -o "$out/pion-srtp.test" github.com/pion/srtp/v2
"$java" --enable-native-access=ALL-UNNAMED -cp "$jar" io.eddyrtc.perf.srtp.SrtpSideBySide "$out/pion-srtp.test" "${1:-5}"
