#!/usr/bin/env bash
# The main job on an embedded default: installs what is needed, builds, starts a local mosquitto
# on 127.0.0.1, vigild, and a dashboard-style watcher, then replays a recorded 2½-minute
# ketamine session into the broker in real time so the alarms scroll by. Ctrl-C stops it all.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target vigild vigil-replay vigilctl

bin=$root/build/release/daemon
work=$(mktemp -d /tmp/vigil-demo.XXXXXX)
pids=()
cleanup() {
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

port=${VIGIL_DEMO_PORT:-18830}
while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
cat >"$work/mosquitto.conf" <<CONF
listener $port 127.0.0.1
allow_anonymous true
persistence false
set_tcp_nodelay true
CONF
[[ $(id -u) -eq 0 ]] && echo "user root" >>"$work/mosquitto.conf"
/usr/sbin/mosquitto -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
broker=tcp://127.0.0.1:$port
echo "mosquitto on $broker"

sed "s|^state_dir = .*|state_dir = \"$work/state\"|" config/vigild.toml >"$work/vigild.toml"
mkdir -p "$work/state"
"$bin/app/vigild" --config "$work/vigild.toml" --broker "$broker" --instance demo \
  2>"$work/vigild.log" &
pids+=($!)

"$bin/ctl/vigilctl" --broker "$broker" watch &
pids+=($!)

"$bin/replay/vigil-replay" import-csv scripts/demo/scenario.csv --bed chair-1 \
  --start-ms 0 -o "$work/demo.rec"
echo "replaying scripts/demo/scenario.csv (2½ minutes, real time) into $broker"
"$bin/replay/vigil-replay" publish "$work/demo.rec" --broker "$broker" --speed 1
sleep 2  # let the last alarms reach the watcher before everything stops
echo "demo finished; vigild's log was:"
cat "$work/vigild.log"
