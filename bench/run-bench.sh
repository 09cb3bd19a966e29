#!/usr/bin/env bash
# Runs TradeFlow's benchmarks and writes the results under bench/results/ (bench/results/quick/ with --quick):
#   1. the JMH suite with -prof gc         -> jmh-<stamp>.json, jmh-<stamp>.txt (log), jmh-<stamp>.md
#   2. the end-to-end load harness (A-D)   -> load-<stamp>.json, load-<stamp>.md
#      (ramp, latency and server CPU per alert, then a burst of 50,000 alerts from 1,000 connections;
#      --scenario ramp|burst picks one)
#   3. both summaries in one file          -> summary-<stamp>.md
#
#   bench/run-bench.sh [--quick] [--jmh-only | --load-only] [--jmh-args "..."] [load harness options...]
#
# --quick is a smoke run (under two minutes once built): one short iteration per benchmark and a
# short ramp. Harness options are passed through (see README.md or `--help`). MVN_ARGS adds Maven
# flags to the build (e.g. MVN_ARGS=-o); BENCH_JAVA_OPTS adds JVM options to the harness.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

quick=false
run_jmh=true
run_load=true
jmh_args=()
harness_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=true ;;
    --jmh-only) run_load=false ;;
    --load-only) run_jmh=false ;;
    --jmh-args) shift; read -r -a jmh_args <<< "${1:-}" ;;
    -h|--help)
      awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}"
      java -cp bench/target/benchmarks.jar io.tradeflow.bench.load.LoadHarness --help 2>&1 | sed -n '/^Usage/,$p' || true
      exit 0 ;;
    *) harness_args+=("$1") ;;
  esac
  shift
done

benchmarks_jar="$root/bench/target/benchmarks.jar"
tradeflow_jar="$root/server/target/tradeflow.jar"

stale() {
  [ ! -f "$benchmarks_jar" ] || [ ! -f "$tradeflow_jar" ] && return 0
  local older="$benchmarks_jar"
  [ "$tradeflow_jar" -ot "$older" ] && older="$tradeflow_jar"
  [ -n "$(find "$root" -path "$root/data" -prune -o -path "$root/bench/results" -prune -o \
      \( -name pom.xml -o -path '*/src/main/*' \) -newer "$older" -print -quit 2>/dev/null)" ]
}

if stale; then
  echo "Building TradeFlow and the benchmarks..." >&2
  # shellcheck disable=SC2086
  ./mvnw -B -q ${MVN_ARGS:-} -DskipTests package -pl server,bench -am
fi

stamp="$(date -u +%Y-%m-%dT%H%M%SZ)"
out="bench/results"
if $quick; then
  out="bench/results/quick"
fi
mkdir -p "$out"
echo "Results go to $out/ (stamp $stamp)" >&2

status=0
if $run_jmh; then
  base=(-prof gc -rf json -rff "$out/jmh-$stamp.json")
  if $quick; then
    base+=(-f 1 -wi 1 -i 1 -w 1s -r 1s -p waitStrategy=blocking)
  fi
  java -jar "$benchmarks_jar" "${base[@]}" ${jmh_args[@]+"${jmh_args[@]}"} 2>&1 | tee "$out/jmh-$stamp.txt" || status=$?
  if [ -f "$out/jmh-$stamp.json" ]; then
    java -cp "$benchmarks_jar" io.tradeflow.bench.report.JmhReport "$out/jmh-$stamp.json" "$out/jmh-$stamp.md" > /dev/null
  fi
fi

if $run_load; then
  # The burst opens 1,000 connections per target (more with --burst-connections): each is a descriptor
  # in the harness and in the server, which inherits this limit.
  if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 8192 ]; then
    ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  fi
  quick_flag=()
  if $quick; then
    quick_flag=(--quick)
  fi
  # shellcheck disable=SC2086
  java -Xms256m -Xmx1g ${BENCH_JAVA_OPTS:-} -cp "$benchmarks_jar" io.tradeflow.bench.load.LoadHarness \
    ${quick_flag[@]+"${quick_flag[@]}"} --out "$out" --stamp "$stamp" \
    --tradeflow-jar "$tradeflow_jar" --config bench/bench.conf \
    ${harness_args[@]+"${harness_args[@]}"} || status=$?
fi

summary="$out/summary-$stamp.md"
: > "$summary"
for part in "$out/jmh-$stamp.md" "$out/load-$stamp.md"; do
  if [ -f "$part" ]; then
    cat "$part" >> "$summary"
    echo >> "$summary"
  fi
done
echo "Summary: $summary" >&2
exit "$status"
