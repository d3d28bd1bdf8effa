#!/usr/bin/env bash
# Makes tests/data/state-0.1/beds/ with a real vigild of release 0.1 (git 612dcb0).
#
#   make.sh VIGILD VIGIL_REPLAY MOSQUITTO [WORKDIR]
#
# Starts mosquitto on 127.0.0.1 at a free port, a subscriber on clinic/# (payloads in hex),
# vigild with vigild.toml (state_dir "state", relative to WORKDIR), then plays chair-1.csv,
# chair-2.csv and chair-3.csv into the broker at once, in real time (61 s), stops vigild with
# SIGTERM and reads the retained topics. Leaves in WORKDIR (default: a new /tmp directory):
#   state/beds/bed-chair-{1,2,3}.state   the state files (what tests/data/state-0.1/beds/ holds)
#   vigild.log                           vigild's log
#   published.txt                        every message on clinic/# while vigild ran: time, retain flag, topic, payload hex
#   retained.txt                         the retained messages after vigild stopped, same layout
#   decoded.txt                          both of them decoded, if PROTO_DIR (the repository's proto/) is set and protoc exists
# Needs mosquitto_sub on PATH.
set -euo pipefail
[[ $# -ge 3 ]] || { echo "usage: $0 VIGILD VIGIL_REPLAY MOSQUITTO [WORKDIR]" >&2; exit 2; }
vigild=$(realpath "$1"); replay=$(realpath "$2"); mosquitto=$(realpath "$3")
here=$(cd "$(dirname "$0")" && pwd)
work=${4:-$(mktemp -d /tmp/vigil-state-0.1.XXXXXX)}
mkdir -p "$work"; work=$(cd "$work" && pwd)
[[ ! -e $work/state ]] || { echo "$work/state exists; give an empty WORKDIR" >&2; exit 1; }

pids=()
cleanup() { for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done; }
trap cleanup EXIT

port=18840
while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$port" >"$work/mosquitto.conf"
[[ $(id -u) -ne 0 ]] || echo "user root" >>"$work/mosquitto.conf"
"$mosquitto" -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
broker=tcp://127.0.0.1:$port
fmt='%I %r %t %x'

mosquitto_sub -p "$port" -q 1 -t 'clinic/#' -F "$fmt" >"$work/published.txt" &
sub=$!
pids+=($sub)

for b in 1 2 3; do
  "$replay" import-csv "$here/chair-$b.csv" --bed "chair-$b" -o "$work/chair-$b.rec"
done

(cd "$work" && exec "$vigild" --config "$here/vigild.toml" --broker "$broker") 2>"$work/vigild.log" &
vd=$!
pids+=($vd)
# vigild is subscribed once it has published its retained ONLINE status.
mosquitto_sub -p "$port" -t 'clinic/daemon/default/status' -C 1 -W 15 >/dev/null
sleep 1

rp=()
for b in 1 2 3; do
  "$replay" publish "$work/chair-$b.rec" --broker "$broker" --speed 1 &
  rp+=($!)
done
for p in "${rp[@]}"; do wait "$p"; done
sleep 2  # the last messages reach vigild; well inside hr_stale_s (10 s), so no HR_SIGNAL_LOST

kill -TERM "$vd"
wait "$vd"  # exits 0 after saving every bed
sleep 1
kill "$sub"; wait "$sub" 2>/dev/null || true
# --retained-only stops at its -W timeout here ("Timed out"): nothing but retained messages is left.
mosquitto_sub -p "$port" -t 'clinic/#' --retained-only -W 3 -F "$fmt" >"$work/retained.txt" 2>/dev/null || true

if [[ -n ${PROTO_DIR:-} ]] && command -v protoc >/dev/null; then
  type_of() {
    case $1 in
      */alarms/events | */escalations) echo AlarmEvent ;;
      */alarms/active) echo ActiveAlarms ;;
      */alarms/ack) echo AlarmAck ;;
      */session) echo SessionState ;;
      */infusion) echo InfusionEvent ;;
      */vitals/heart_rate) echo HeartRate ;;
      */vitals/blood_pressure) echo BloodPressure ;;
      */monitor/status) echo MonitorStatus ;;
      */daemon/*/status) echo DaemonStatus ;;
    esac
  }
  for f in published retained; do
    while read -r when retained topic hex; do
      echo "== $f $when retained=$retained $topic"
      echo "$hex" | xxd -r -p |
        protoc -I "$PROTO_DIR" --decode="vigil.v1.$(type_of "$topic")" "$PROTO_DIR"/vigil/v1/*.proto
    done <"$work/$f.txt"
  done >"$work/decoded.txt"
fi
ls -l "$work/state/beds"
echo "done: $work"
