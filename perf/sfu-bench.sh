#!/usr/bin/env bash
# The SFU comparison of perf/results/sfu.md: ./eddy loadgen against ./eddy sfu and against the minimal Pion forwarder
# (perf/peers/pion-sfu), on loopback, one scenario after the other: 1->10, 4x(1->4), 10x(1->10). Each server first
# takes a warm-up run (so the JIT has compiled the forwarding path before anything is measured), then the three.
# Writes every run's report, .hgrm and plot, and a plot per scenario overlaying both servers, to OUT.
# Each loadgen process warms up (WARMUP seconds, default 15) after its ramp-up before it measures.
# Usage: perf/sfu-bench.sh [OUT (default perf/results/sfu)] [STEADY seconds (default 30)]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/perf/results/sfu}"
steady="${2:-30}"
mkdir -p "$out"
# A shared machine's other work takes the CPU from under a server and its load, and a run then measures their
# queueing; both servers and the load generator run at a higher priority, alike (root may lower niceness). With the
# kernel's autogroups on, niceness counts only within a session's group, so the group's own is raised too.
nice="${NICE:--10}"
renice -n "$nice" -p $$ >/dev/null 2>&1 || echo "sfu-bench: cannot raise the priority; measuring at normal priority" >&2
if [[ -w /proc/self/autogroup ]]; then echo "$nice" >/proc/self/autogroup 2>/dev/null || true; fi
"$root/eddy" loadgen --help >/dev/null # builds the examples and writes their class path
java="${JAVA_HOME:-$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -1)}/bin/java"
[[ -x $java ]] || { echo "no JDK 25: set JAVA_HOME" >&2; exit 1; }
classes="$(mktemp -d)" # a copy: a build during the run must not change the classes under the running JVMs
cp -r "$root/examples/target/classes/." "$classes"
cp="$classes:$(<"$root/examples/target/classpath.txt")"
run_java() { "$java" --enable-native-access=ALL-UNNAMED -XX:+UseZGC -cp "$cp" "$@"; } # as ./eddy runs them
warmup="${WARMUP:-15}"

scenarios=("1 10" "4 4" "10 10")
loadgen() { # server label url pid rooms players steady
  run_java io.eddyrtc.examples.loadgen.LoadGenerator --url "$3" --rooms "$5" --players "$6" --ramp-up 10 --warmup "$warmup" --steady "$7" \
    --ramp-down 2 --sfu-pid "$4" --out "$out" --label "$2" | grep -v '^\[loadgen\]'
}
measure() { # server url pid
  loadgen "$1" "$1-warmup" "$2" "$3" 4 4 10 >/dev/null
  for s in "${scenarios[@]}"; do
    set -- "$1" "$2" "$3" $s
    loadgen "$1" "$1-$4x$5" "$2" "$3" "$4" "$5" "$steady"
  done
}

"$java" --enable-native-access=ALL-UNNAMED -XX:+UseZGC -cp "$cp" io.eddyrtc.examples.sfu.SfuServer --port 3990 --host-ip 127.0.0.1 \
  --max-peers 500 >"$out/eddy-sfu.log" 2>&1 &
eddy_pid=$! # java itself, not a subshell: its CPU time is what is measured
trap 'kill $eddy_pid 2>/dev/null || true' EXIT
sleep 3
measure eddy http://127.0.0.1:3990 "$eddy_pid"
kill "$eddy_pid"

"$root/perf/peers/pion-sfu/run.sh" --http 127.0.0.1:3991 >"$out/pion-sfu.log" 2>&1 &
pion_pid=$!
trap 'kill $pion_pid 2>/dev/null || true' EXIT
for _ in $(seq 120); do grep -q "pion-sfu:" "$out/pion-sfu.log" 2>/dev/null && break; sleep 1; done
measure pion http://127.0.0.1:3991 "$pion_pid"
kill "$pion_pid"

for s in "${scenarios[@]}"; do
  set -- $s
  run_java io.eddyrtc.examples.loadgen.LoadGenerator compare "$out/eddy-$1x$2-video.hgrm" "$out/pion-$1x$2-video.hgrm" \
    --out "$out/compare-$1x$2.svg"
done
rm -f "$out"/*-warmup*
