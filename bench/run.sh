#!/usr/bin/env bash
# Measures vigild's performance side by side (bench/README.md): builds the release preset's
# benchmark targets, runs the engine benchmark (Google Benchmark), then the end-to-end runs
# through a real mosquitto, and prints Markdown tables with the machine and the date.
# Never part of scripts/test.sh. About 9 minutes on 2 cores.
#
#   bench/run.sh                 everything
#   bench/run.sh --quick         shorter runs, 100 and 1,000 beds, no rate search (~2 min)
#   bench/run.sh --scale [--vigild LABEL=PATH ...]
#                                the state store's scale runs only (steady state at 1,000, 5,000
#                                and 20,000 beds, first start at 100, 5,000 and 20,000), each
#                                vigild given side by side with the minimal subscriber; without
#                                --vigild, this tree's. ~25 min for one vigild on 2 cores.
# Further arguments go to vigil_e2e_bench (e.g. --beds 1000 --no-rate-search).
# VIGIL_BENCH_BUILD_DIR=build/x uses an existing build directory instead of the preset's.
set -euo pipefail
cd "$(dirname "$0")/.."

engine_args=(--benchmark_repetitions=3 --benchmark_report_aggregates_only=true)
e2e_args=()
scale=false
if [[ ${1:-} == --scale ]]; then
  shift
  scale=true
  e2e_args=(--scale)
elif [[ ${1:-} == --quick ]]; then
  shift
  engine_args=(--benchmark_min_time=0.3)
  e2e_args=(--beds 100,1000 --warmup-s 2 --window-s 14 --no-rate-search)
fi

targets=(engine_bench vigil_e2e_bench)
$scale && targets=(vigil_e2e_bench)
if [[ -n ${VIGIL_BENCH_BUILD_DIR:-} ]]; then
  build=$VIGIL_BENCH_BUILD_DIR
  cmake --build "$build" --target "${targets[@]}"
else
  build=build/release
  cmake --preset release >/dev/null
  cmake --build --preset release --target "${targets[@]}"
fi

results="$build/bench/results-$($scale && echo scale-)$(date -u +%Y%m%dT%H%M).md"
{
  cpu=$(lscpu | sed -n 's/^Model name: *//p')
  echo "## Performance run, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: ${cpu:-unknown CPU}, $(nproc) cores," \
    "$(free -g | awk '/^Mem:/ {print $2}') GB RAM," \
    "$(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)," \
    "$(/usr/sbin/mosquitto -h 2>/dev/null | sed -n 's/^mosquitto version /mosquitto /p')."
  echo "Load average before: $(cut -d' ' -f1-3 /proc/loadavg)" \
    "(anything else running shares the cores)."
  # Running figures go to stderr, the tables to stdout.
  if ! $scale; then
    "$build/bench/engine_bench" "${engine_args[@]}"
    echo
  fi
  "$build/bench/vigil_e2e_bench" "${e2e_args[@]}" "$@"
  echo
  echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)."
} | tee "$results"
echo "(saved in $results)" >&2
