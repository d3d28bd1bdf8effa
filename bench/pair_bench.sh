#!/usr/bin/env bash
# The pair's benchmark (bench/README.md, "Pair: takeover and PostgreSQL latency"): builds the
# release preset's vigil_pair_bench (with vigild and vigil_loadgen), runs it, and prints
# Markdown tables headed by the machine, the date and the load average, as bench/run.sh does.
# Never part of scripts/test.sh. About 4 minutes on 2 cores at the defaults.
#
#   bench/pair_bench.sh                         1,000 beds, 20 kills and 200 alarms per subject
#   bench/pair_bench.sh --kills 5 --alarms 50   shorter
#   bench/pair_bench.sh --only pair             the pair alone (or --only floor)
#   bench/pair_bench.sh --nagle                 Nagle's algorithm left on (Paho's default)
# Arguments go to vigil_pair_bench. VIGIL_BENCH_BUILD_DIR=build/x uses an existing (Release)
# build directory instead of the preset's.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -n ${VIGIL_BENCH_BUILD_DIR:-} ]]; then
  build=$VIGIL_BENCH_BUILD_DIR
  nice cmake --build "$build" -j2 --target vigil_pair_bench
else
  build=build/release
  cmake --preset release >/dev/null
  nice cmake --build "$build" -j2 --target vigil_pair_bench
fi

results="$build/bench/pair-results-$(date -u +%Y%m%dT%H%M).md"
{
  cpu=$(lscpu | sed -n 's/^Model name: *//p')
  echo "## Pair run, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: ${cpu:-unknown CPU}, $(nproc) cores," \
    "$(free -g | awk '/^Mem:/ {print $2}') GB RAM," \
    "$(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)," \
    "$(/usr/sbin/mosquitto -h 2>/dev/null | sed -n 's/^mosquitto version /mosquitto /p')," \
    "PostgreSQL $(ls /usr/lib/postgresql | sort -n | tail -1)."
  echo "Load average before: $(cut -d' ' -f1-3 /proc/loadavg)" \
    "(anything else running shares the cores)."
  # Running figures go to stderr, the tables to stdout.
  "$build/bench/vigil_pair_bench" "$@"
  echo
  echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)."
} | tee "$results"
echo "(saved in $results)" >&2
