#!/usr/bin/env bash
# Installs what is needed, builds, checks the house style (scripts/check-style.sh), and runs
# every test (unit, component, replay, integration, fuzz corpora) under AddressSanitizer + UBSan,
# then every test that starts a thread again under ThreadSanitizer, then the flood test at full
# rate on the release build, then the Debian package (scripts/package-test.sh: build, lintian,
# install, remove, purge; as root). Sanitizer options come from the test presets
# (CMakePresets.json).
#
# Usage: scripts/test.sh                  the above (what CI runs)
#        scripts/test.sh PRESET [ARGS...] one preset alone, every test, ARGS passed to ctest
#                                         (dev, release, asan, tsan)
set -euo pipefail
cd "$(dirname "$0")/.."

# Runs ctest for `preset`, then fails on any sanitizer report: the presets write them to
# build/<preset>/sanitizer.<pid>, so a report from a child process (vigild under an
# integration test) fails the run even when its test did not notice.
run_tests() {
  local preset=$1 status=0
  shift
  rm -f "build/$preset"/sanitizer.*
  ctest --preset "$preset" -j2 --timeout 300 "$@" || status=1
  local reports
  reports=$(find "build/$preset" -maxdepth 1 -name 'sanitizer.*')
  if [[ -n $reports ]]; then
    for r in $reports; do echo "==== $r" && cat "$r"; done >&2
    echo "sanitizer reports above ($preset)" >&2
    status=1
  fi
  return "$status"
}

# chromium: the dashboard's browser tests; clang-format, clang-tidy: the house style;
# prometheus: promtool for the alerting rules, and the server the metrics test scrapes with;
# postgresql: the server the pair's and the PostgreSQL store's tests start (as its own user).
scripts/install-deps.sh chromium clang-format clang-tidy prometheus postgresql

if (($# > 0)); then
  preset=$1
  shift
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  run_tests "$preset" "$@"
  exit
fi

status=0
cmake --preset asan >/dev/null
cmake --build --preset asan
# The house style (.clang-format, .clang-tidy) on the build's compile_commands.json.
# clang-tidy parses every daemon file (about 5 CPU minutes): it runs at the lowest priority
# beside the ASan tests, which spend much of their time waiting on real brokers, databases and
# timers, and the tests keep the CPU whenever they want it.
nice -n 19 scripts/check-style.sh build/asan >build/asan/style.log 2>&1 &
style=$!
run_tests asan || status=1
wait "$style" || status=1
cat build/asan/style.log

# TSan checks only what threads share, so it gets only the tests that start threads: the
# shell's component and integration tiers (Paho's threads, the Asio loop, the store thread,
# the recorder inside vigild, vigilctl and vigil-replay, a pair's standby and takeover) and
# the store thread's unit tests.
# The rest are single-threaded and ran under ASan above; building them again costs ~3 CPU
# minutes for nothing TSan could find.
cmake --preset tsan >/dev/null
cmake --build --preset tsan --target \
  component_tests integration_tests pair_tests vigilctl_tests replay_mqtt_tests store_unit_tests
run_tests tsan -L 'component|integration' || status=1
run_tests tsan -R '^store_thread_test\.' || status=1

# The flood test's bound (every other bed's alarm within 1 s while one device sends 5,000
# messages/s) is a property of the daemon as shipped, optimised and unsanitized: the sanitizer
# presets run it at 500 messages/s, where it checks the drops and counters, and the release
# build runs it at full rate. Only vigild, the flooder and the test are built.
cmake --preset release >/dev/null
cmake --build --preset release --target flood_tests
run_tests release -R '^flood_test\.' || status=1

# The Debian package, from the same release tree (vigild is built; vigilctl, vigil-replay and
# the dashboard are added): lintian, then install, start, remove and purge on this machine,
# which it leaves as it found it (scripts/package-test.sh).
scripts/package-test.sh || status=1
exit "$status"
