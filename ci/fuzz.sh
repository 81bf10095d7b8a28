#!/usr/bin/env bash
# Coverage-guided fuzzing of every Jazzer @FuzzTest in the repository: ./eddy fuzz [MINUTES] [REGEX].
#
# Usage: ci/fuzz.sh [MINUTES] [REGEX], with JAVA_HOME at a JDK 25 (./eddy fuzz sets it). It builds the
# modules that hold fuzz targets, then spends MINUTES of fuzzing in all, split evenly among the targets
# (those whose Class#method matches REGEX, if given), which run one after another: one target is one JVM
# that keeps one core busy. Each target runs through Jazzer's standalone driver (its JUnit runner), so the
# test class's own set-up runs as under `mvn test`, with the JVM flags of the parent pom's eddy.test.jvmFlags,
# and every class under io.eddyrtc is instrumented, whichever module's jar it comes from.
#
# Where things go, for target CLASS#METHOD of module MOD:
#   MOD/.cifuzz-corpus/CLASS/METHOD/   the working corpus (git-ignored; a later run resumes from it)
#   MOD/src/test/resources/PKG/SIMPLEInputs/METHOD/
#                                      the committed inputs: the seeds the fuzzer starts from, the inputs
#                                      this run found that add coverage (libFuzzer's set-cover merge: the
#                                      fewest inputs that reach every new feature), and
#                                      crash-* files for findings (git-ignored until renamed); `mvn test`
#                                      replays every file there as a regression test
#   target/fuzz/                       logs per target and summary.md (under the repository root)
#
# Everything runs from main(), so bash has read the whole script before it starts: editing or checking out
# this file during a long run does not change the run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/target/fuzz"
MIN_SECONDS_PER_TARGET=10
# Start-up of the fuzzing JVM plus the merge, per target, for the time estimate (about 20 s on a quiet
# 2-core machine, about 40 s on a busy one).
OVERHEAD_SECONDS_PER_TARGET=30
# libFuzzer's per-input limit: an input that runs this long is a finding (a hang). The first input also
# pays for loading and instrumenting every class the target touches, which on a busy machine has taken
# more than 10 s for RtcFuzzTest.
INPUT_TIMEOUT_SECONDS=60

die() { echo "eddy fuzz: $*" >&2; exit 1; }

# Sets MODULES: the modules whose test sources use @FuzzTest.
find_modules() {
  mapfile -t MODULES < <(cd "$ROOT" && grep -rl --include='*.java' '@FuzzTest' -- */src/test/java 2>/dev/null | cut -d/ -f1 | sort -u)
  [[ ${#MODULES[@]} -gt 0 ]] || die "no @FuzzTest found under */src/test/java"
}

# Sets JVM_FLAGS: the parent pom's test JVM flags, native access for the class path (the targets run there,
# so every module is unnamed) and where the shared fixtures are.
read_jvm_flags() {
  local flags
  flags=$(sed -n 's:.*<eddy.test.jvmFlags>\(.*\)</eddy.test.jvmFlags>.*:\1:p' "$ROOT/pom.xml")
  [[ -n "$flags" ]] || die "could not read eddy.test.jvmFlags from pom.xml"
  read -r -a JVM_FLAGS <<<"$flags"
  JVM_FLAGS+=(--enable-native-access=ALL-UNNAMED "-Deddy.shared=$ROOT/../shared")
}

# Installs the modules (their test classes and inputs included) and writes each one's test class path.
build() {
  local list; list=$(IFS=,; echo "${MODULES[*]}")
  echo "eddy fuzz: building ${list//,/, } and resolving their test class paths" >&2
  (cd "$ROOT" && mvn -B -ntp -q -DskipTests install -pl "$list" -am \
    && mvn -B -ntp -q dependency:build-classpath -Dmdep.outputFile=target/fuzz-classpath.txt -pl "$list") \
    >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log" >&2; die "the build failed (output above)"; }
}

jazzer() { # module, log file, Jazzer and libFuzzer arguments...
  local module=$1 log=$2; shift 2
  local cp="$ROOT/$module/target/test-classes:$ROOT/$module/target/classes:$(<"$ROOT/$module/target/fuzz-classpath.txt")"
  (cd "$ROOT/$module" && "$JAVA_HOME/bin/java" "${JVM_FLAGS[@]}" -cp "$cp" \
    com.code_intelligence.jazzer.Jazzer '--instrument=io.eddyrtc.**' "$@") >"$log" 2>&1
}

# Sets TARGETS: "module class method" for every fuzz test Jazzer lists whose Class#method matches $1.
list_targets() {
  local filter=$1 m line
  TARGETS=()
  for m in "${MODULES[@]}"; do
    jazzer "$m" "$OUT/list-$m.log" --list_fuzz_tests= || { cat "$OUT/list-$m.log" >&2; die "could not list the fuzz targets of $m"; }
    while IFS= read -r line; do
      [[ "$line" == *::* ]] || continue
      if [[ -z "$filter" || "${line%%::*}#${line##*::}" =~ $filter ]]; then
        TARGETS+=("$m ${line%%::*} ${line##*::}")
      fi
    done <"$OUT/list-$m.log"
  done
  [[ ${#TARGETS[@]} -gt 0 ]] || die "no fuzz target matches '$filter'"
}

field() { # libFuzzer status line, name → the number after "name: ", or ? when the line has none
  local v; v=$(sed -n "s/.* $2: \([0-9]*\).*/\1/p" <<<"$1")
  echo "${v:-?}"
}

count_inputs() { # directory → files in it, findings not counted
  find "$1" -maxdepth 1 -type f ! -name 'crash-*' ! -name 'timeout-*' | wc -l
}

# Fuzzes one target for $4 seconds, merges what it found into the committed inputs and appends a row to
# the summary; a finding or an error is added to FAILED. -merge=1 makes Jazzer's driver write the wrapper
# script libFuzzer's merge re-runs; -set_cover_merge=1 then keeps a set-cover of the new features, which
# is less than half the inputs a plain merge keeps, so mvn test replays fewer.
fuzz_target() { # module, class, method, seconds
  local module=$1 class=$2 method=$3 seconds=$4
  local name="${class##*.}#$method"
  local inputs="$ROOT/$module/src/test/resources/$(tr . / <<<"${class%.*}")/${class##*.}Inputs/$method"
  local corpus="$ROOT/$module/.cifuzz-corpus/$class/$method"
  local log="$OUT/$class.$method.fuzz.log" merge_log="$OUT/$class.$method.merge.log"
  local started=$SECONDS result=ok status=0
  mkdir -p "$inputs" "$corpus"
  local before; before=$(count_inputs "$inputs")

  jazzer "$module" "$log" "--target_class=$class" "--target_method=$method" "--max_duration=${seconds}s" \
    "-timeout=$INPUT_TIMEOUT_SECONDS" || status=$?

  local inited last execs secs rate="?"
  inited=$(grep -a -m1 'INITED' "$log" || true)
  last=$(grep -a -E '^#[0-9]+' "$log" | tail -1 || true)
  execs=$(sed -n 's/^Done \([0-9]*\) runs in [0-9]* second.*/\1/p' "$log" | tail -1)
  secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
  [[ -n "$execs" ]] || { execs=$(sed -n 's/^#\([0-9]*\).*/\1/p' <<<"$last"); secs="?"; }
  [[ "$secs" =~ ^[1-9][0-9]*$ && -n "$execs" ]] && rate=$(( execs / secs ))

  if [[ $status -ne 0 ]]; then
    local finding; finding=$(sed -n 's/.*Test unit written to \(.*\)/\1/p' "$log" | tail -1)
    if [[ -n "$finding" ]]; then
      result="**finding**: \`${finding#"$ROOT"/}\`"
    else
      result="**error** (exit $status, see target/fuzz/${log##*/})"
    fi
  elif ! jazzer "$module" "$merge_log" "--target_class=$class" "--target_method=$method" \
      -merge=1 -set_cover_merge=1 "-timeout=$INPUT_TIMEOUT_SECONDS" "$inputs" "$corpus"; then
    result="**merge failed** (see target/fuzz/${merge_log##*/})"
    status=1
  fi

  local after; after=$(count_inputs "$inputs")
  echo "$result; cov $(field "$inited" cov) → $(field "$last" cov), ft $(field "$inited" ft) → $(field "$last" ft), $((after - before)) new inputs, $((SECONDS - started)) s in all" >&2
  echo "| \`$name\` | ${secs} s | ${execs:-?} | $rate | $(field "$inited" cov) → $(field "$last" cov) | $(field "$inited" ft) → $(field "$last" ft) | $(field "$last" corp) | $before → $after | $result |" >>"$OUT/summary.md"
  [[ "$result" == ok ]] || FAILED+=("$name: $result")
  return 0
}

main() {
  local minutes="${1:-10}" filter="${2:-}"
  [[ "$minutes" =~ ^[0-9]+$ && "$minutes" -gt 0 ]] || die "MINUTES must be a whole number > 0, not '$minutes'"
  [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]] || die "JAVA_HOME must point at a JDK 25 (run it as ./eddy fuzz)"
  mkdir -p "$OUT"
  find_modules
  read_jvm_flags
  build
  list_targets "$filter"

  local n=${#TARGETS[@]}
  local seconds=$(( minutes * 60 / n ))
  (( seconds >= MIN_SECONDS_PER_TARGET )) || seconds=$MIN_SECONDS_PER_TARGET
  echo "eddy fuzz: $n targets, $seconds s of fuzzing each, one at a time (about $(( (n * (seconds + OVERHEAD_SECONDS_PER_TARGET) + 59) / 60 )) minutes with start-up and merging)" >&2
  {
    echo "| target | fuzzed | execs | exec/s | cov (edges) start → end | ft (features) start → end | corpus | committed inputs before → after | result |"
    echo "|---|---:|---:|---:|---|---|---:|---|---|"
  } >"$OUT/summary.md"

  FAILED=()
  local i=0 t module class method
  for t in "${TARGETS[@]}"; do
    read -r module class method <<<"$t"
    i=$((i + 1))
    echo -n "eddy fuzz: [$i/$n] ${class##*.}#$method ... " >&2
    fuzz_target "$module" "$class" "$method" "$seconds"
  done

  echo >&2
  cat "$OUT/summary.md"
  echo >&2
  echo "eddy fuzz: summary in target/fuzz/summary.md, logs in target/fuzz/" >&2
  if [[ ${#FAILED[@]} -gt 0 ]]; then
    printf 'eddy fuzz: %s\n' "${FAILED[@]}" >&2
    echo "eddy fuzz: mvn test replays a crash-*/timeout-* file from its inputs directory; git ignores it until it is renamed to say what it checks (do that with the fix)" >&2
    exit 1
  fi
  echo "eddy fuzz: no findings; the new inputs are in the src/test/resources/**/*Inputs/ directories (git status shows them): commit them" >&2
}

main "$@"
exit
