#!/usr/bin/env bash
# Instructions per reading of `vigil-replay offline`, counted by callgrind (bench/README.md).
#
# Writes two recordings of the same synthetic ward (ward_stream.hpp: a heart rate per bed per
# second, a cuff every 5 minutes, infusions started and stopped, a tachycardia that raises and
# ends HR_HIGH, the recovery deadline; the beds staggered over a 2-hour cycle), a short one and
# a long one that starts with the short one, and runs `vigil-replay offline` on each under
# `valgrind --tool=callgrind`. Start-up (loading, configuration, the first beds) costs the same
# in both, so
#
#   instructions per reading = (Ir_long - Ir_short) / (readings_long - readings_short)
#
# Readings are heart rate and blood pressure frames (infusion frames are played but not
# counted). Then the functions that cost the most per reading, inclusive and self: each
# function's count in the long run minus the short run, over the same reading difference.
#
#   bench/replay_instructions.sh [--beds N] [--short S] [--long S] [--top N] [--keep DIR]
#
# Defaults: 100 beds, 600 s and 4,200 s (a 60-minute difference: 361,200 readings), top 15.
# --keep DIR leaves the recordings, the callgrind files and the outputs in DIR.
# Builds vigil-replay and vigil_ward_recording in build/release (the `release` preset,
# configured with the dashboard off if not configured yet), or in VIGIL_BENCH_BUILD_DIR, which
# must be a Release build with VIGIL_BUILD_BENCH=ON. About a minute once built.
set -euo pipefail
cd "$(dirname "$0")/.."

beds=100
short_s=600
long_s=4200
top=15
keep=
while [[ $# -gt 0 ]]; do
  case $1 in
    --beds) beds=$2; shift 2 ;;
    --short) short_s=$2; shift 2 ;;
    --long) long_s=$2; shift 2 ;;
    --top) top=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "replay_instructions.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if (( long_s <= short_s )); then
  echo "replay_instructions.sh: --long must be longer than --short" >&2
  exit 2
fi
for tool in valgrind callgrind_annotate; do
  command -v "$tool" >/dev/null || { echo "replay_instructions.sh: needs $tool (apt-get install valgrind)" >&2; exit 1; }
done

# ---- build ----
targets=(vigil-replay vigil_ward_recording)
jobs=${VIGIL_BUILD_JOBS:-2}
if [[ -n ${VIGIL_BENCH_BUILD_DIR:-} ]]; then
  build=$VIGIL_BENCH_BUILD_DIR
else
  build=build/release
  if [[ ! -f $build/CMakeCache.txt ]]; then
    nice cmake --preset release -DVIGIL_BUILD_DASHBOARD=OFF >/dev/null
  fi
fi
if ! grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' "$build/CMakeCache.txt" ||
   ! grep -q '^VIGIL_BUILD_BENCH:BOOL=ON$' "$build/CMakeCache.txt"; then
  echo "replay_instructions.sh: $build is not a Release build with VIGIL_BUILD_BENCH=ON" >&2
  exit 1
fi
nice cmake --build "$build" -j "$jobs" --target "${targets[@]}" >&2
replay=$build/daemon/replay/vigil-replay
generate=$build/bench/vigil_ward_recording

if [[ -n $keep ]]; then
  mkdir -p "$keep"
  work=$keep
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi

# ---- record and profile ----
declare -A readings ir events
for run in short long; do
  seconds=$short_s
  [[ $run == long ]] && seconds=$long_s
  # "frames F readings R"
  read -r _ _ _ readings[$run] < <("$generate" --beds "$beds" --seconds "$seconds" -o "$work/$run.rec")
  valgrind --tool=callgrind --callgrind-out-file="$work/$run.callgrind" \
    "$replay" offline "$work/$run.rec" >"$work/$run.jsonl" 2>"$work/$run.valgrind.log" || {
    echo "replay_instructions.sh: vigil-replay offline failed on the $run recording:" >&2
    cat "$work/$run.valgrind.log" >&2
    exit 1
  }
  ir[$run]=$(sed -n 's/^totals: *//p' "$work/$run.callgrind")
  events[$run]=$(wc -l <"$work/$run.jsonl")
done

d_readings=$(( readings[long] - readings[short] ))
d_ir=$(( ir[long] - ir[short] ))
per_reading=$(awk -v i="$d_ir" -v r="$d_readings" 'BEGIN { printf "%.0f", i / r }')

echo "## vigil-replay offline: instructions per reading (callgrind)"
echo
echo "Ward of $beds beds (bench/ward_stream.hpp), tree $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- daemon bench || echo ' + local changes'), $(valgrind --version)."
echo
echo "| recording | simulated s | readings | events printed | Ir |"
echo "|---|---:|---:|---:|---:|"
echo "| short | $short_s | ${readings[short]} | ${events[short]} | ${ir[short]} |"
echo "| long | $long_s | ${readings[long]} | ${events[long]} | ${ir[long]} |"
echo
echo "**instructions per reading: $per_reading** ((Ir_long - Ir_short) / (readings_long - readings_short) = $d_ir / $d_readings)"

# Per function: (long - short) / reading difference, from callgrind_annotate's listing.
per_function() {  # $1: yes (inclusive) or no (self)
  for run in short long; do
    callgrind_annotate --inclusive="$1" --threshold=100 --auto=no "$work/$run.callgrind" 2>/dev/null |
      sed -n 's/^ *\([0-9,][0-9,]*\) ([ 0-9.]*%)  \(.*\)$/\1\t\2/p' |
      grep -v $'\tPROGRAM TOTALS$' | sed "s/^/$run\t/"
  done | awk -F'\t' -v r="$d_readings" -v total="$d_ir" -v top="$top" '
    { gsub(",", "", $2); name = $3
      sub(/^\?\?\?:/, "", name)                      # no source file known
      sub(/ \[[^]]*\/([^]\/]*)\]$/, "", name)        # the object file path
      gsub(/std::basic_string_view<char, std::char_traits<char> >/, "std::string_view", name)
      gsub(/std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >/, "std::string", name)
      cost[name] += ($1 == "long" ? $2 : -$2) }
    END {
      n = 0
      # main and the frames above it cost everything: not worth a row
      for (f in cost) if (cost[f] > 0 && cost[f] < 0.99 * total) { order[++n] = f }
      # insertion sort by cost, descending (a few thousand names at most)
      for (i = 2; i <= n; i++) { f = order[i]; j = i - 1
        while (j > 0 && cost[order[j]] < cost[f]) { order[j + 1] = order[j]; j-- }
        order[j + 1] = f }
      for (i = 1; i <= n && i <= top; i++) {
        f = order[i]; if (length(f) > 150) f = substr(f, 1, 147) "..."
        printf "| %.0f | `%s` |\n", cost[order[i]] / r, f }
    }'
}
echo
echo "### Top $top by inclusive cost, instructions per reading"
echo
echo "(main and the frames down to play_offline, the whole cost, left out)"
echo
echo "| Ir/reading | function |"
echo "|---:|---|"
per_function yes
echo
echo "### Top $top by self cost, instructions per reading"
echo
echo "| Ir/reading | function |"
echo "|---:|---|"
per_function no
