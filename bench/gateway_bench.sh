#!/usr/bin/env bash
# vigil-gateway's throughput (bench/README.md): PCD-01 reports per second through the gateway
# on one core, beside its floor (vigil_mllp_floor: the same Asio loop and MLLP framing answering
# a fixed ACK, nothing else) on the same load, in one run. The server under test is pinned to
# CPU 1, the senders (vigil_mllp_load) and mosquitto to CPU 0; each server runs under
# /usr/bin/time -v for its CPU time and peak memory. Never part of scripts/test.sh.
#
#   bench/gateway_bench.sh [--gateway LABEL=PATH ...]   # default: this tree's release build
#
# Loads, each with every bed new to the gateway at its start (its first report also announces
# the bed, and writes it to gateway.db):
#   steady   1,000 beds, 32 senders, 50,000 reports (an HR each, a new NIBP every 5th)
#   burst    20,000 beds, 64 senders, 20,000 reports: every report is a bed's first
#   outage   1,000 beds, 32 senders, 60,000 reports, the broker stopped for 3 s in the middle:
#            reports are refused meanwhile (CE 207) and the senders send them again
set -euo pipefail
cd "$(dirname "$0")/.."
build=${VIGIL_BENCH_BUILD_DIR:-build/release}
gateways=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --gateway) gateways+=("$2"); shift 2 ;;
    *) echo "usage: $0 [--gateway LABEL=PATH ...]" >&2; exit 2 ;;
  esac
done
if [[ ! -d $build ]]; then cmake --preset release >/dev/null; fi
cmake --build "$build" -j2 --target vigil-gateway vigil_mllp_load vigil_mllp_floor >/dev/null
[[ ${#gateways[@]} -gt 0 ]] || gateways=("this=$build/daemon/gateway/vigil-gateway")
load=$build/bench/vigil_mllp_load
floor=$build/bench/vigil_mllp_floor

tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
wait_port() {
  for _ in $(seq 100); do
    (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "nothing listens on port $1" >&2
  return 1
}

broker_port=$(free_port)
start_broker() {
  taskset -c 0 mosquitto -p "$broker_port" >>"$tmp/mosquitto.log" 2>&1 &
  broker_pid=$!
  pids+=("$broker_pid")
  wait_port "$broker_port"
}
start_broker

gateway_config() {  # beds
  local dir=$tmp/state-$RANDOM
  {
    printf '[mqtt]\nbroker_uri = "tcp://127.0.0.1:%s"\n' "$broker_port"
    printf '[daemon]\nlog_level = "warn"\nstate_dir = "%s"\n' "$dir"
    printf '[metrics]\nlisten = ""\n[mllp]\nlisten = "127.0.0.1:%s"\nmax_connections = 1024\n' "$port"
    printf '[beds]\n'
    for ((i = 0; i < $1; i++)); do printf '"BENCH^R^%d" = "bed-%d"\n' "$i" "$i"; done
  } >"$tmp/gateway.toml"
}

# run LABEL CMD... -- LOAD_ARGS...: the server pinned to CPU 1 under time -v, the load on CPU 0.
run() {
  local label=$1 case=$2 beds=$3 conns=$4 reports=$5 outage=$6
  shift 6
  port=$(free_port)
  local cmd=("$@")
  [[ $label == floor ]] && cmd=("$floor" --port "$port")
  [[ $label != floor ]] && gateway_config "$beds" && cmd=("$@" --config "$tmp/gateway.toml")
  taskset -c 1 /usr/bin/time -v -o "$tmp/time" "${cmd[@]}" >"$tmp/server.log" 2>&1 &
  local server=$!
  pids+=("$server")
  wait_port "$port"
  sleep 0.5  # the gateway connects to the broker
  local out outage_pid=""
  if [[ $outage == yes ]]; then
    # The broker away for 3 s, 1.5 s in; the restarted one's PID comes back through a file.
    (sleep 1.5; kill "$broker_pid"; sleep 3; start_broker; echo "$broker_pid" >"$tmp/broker.pid") &
    outage_pid=$!
  fi
  out=$(taskset -c 0 "$load" --port "$port" --beds "$beds" --connections "$conns" \
    --reports "$reports" ${retry:+--retry-refused}) || { cat "$tmp/server.log" >&2; return 1; }
  if [[ -n $outage_pid ]]; then
    wait "$outage_pid"
    broker_pid=$(cat "$tmp/broker.pid")
    pids+=("$broker_pid")
  fi
  pkill -INT -P "$server" 2>/dev/null || true  # the server, /usr/bin/time's child
  wait "$server" 2>/dev/null || true
  local user sys rss
  user=$(awk -F': ' '/User time/ {print $2}' "$tmp/time")
  sys=$(awk -F': ' '/System time/ {print $2}' "$tmp/time")
  rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$tmp/time")
  local rate p50 p99 refused
  rate=$(sed -E 's/.* rate=([0-9]+).*/\1/' <<<"$out")
  p50=$(sed -E 's/.* ack_p50_ms=([0-9.]+).*/\1/' <<<"$out")
  p99=$(sed -E 's/.* ack_p99_ms=([0-9.]+).*/\1/' <<<"$out")
  refused=$(sed -E 's/.* refused=([0-9]+).*/\1/' <<<"$out")
  printf '| %s | %s | %s | %s | %s | %s | %.1f | %s | %s |\n' "$case" "$label" "$rate" "$p50" "$p99" \
    "$(awk -v u="$user" -v s="$sys" -v n="$reports" 'BEGIN {printf "%.1f", (u + s) * 1e6 / n}')" \
    "$(awk -v r="$rss" 'BEGIN {print r / 1024}')" "$refused" "$(sed -E 's/.* not_accepted=([0-9]+).*/\1/' <<<"$out")"
}

echo "vigil-gateway beside its floor, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo '| load | server | reports/s | ACK p50 ms | ACK p99 ms | CPU µs/report | peak RSS MiB | refused (sent again) | not accepted |'
echo '|---|---|---|---|---|---|---|---|---|'
for g in "${gateways[@]}"; do
  label=${g%%=*}
  path=${g#*=}
  for l in floor "$label"; do
    retry="" run "$l" steady 1000 32 50000 no "$path"
    retry="" run "$l" burst 20000 64 20000 no "$path"
    retry=1 run "$l" outage 1000 32 60000 yes "$path"
  done
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
