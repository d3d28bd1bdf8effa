#!/usr/bin/env bash
# Installs every Debian package Vigil needs to build, test and run. Idempotent: when all are
# present it does not touch apt at all. The infusion record's PDF (daemon/report) is drawn
# with cairo in DejaVu Sans; its tests read it back with poppler-utils. HL7 times without an
# offset are read in the sender's IANA zone from tzdata's /usr/share/zoneinfo (daemon/hl7).
# A pair of vigild shares PostgreSQL through libpqxx (the server itself is the tests' extra:
# scripts/test.sh asks for postgresql).
set -euo pipefail

packages=(
  cmake g++ make pkg-config libssl-dev libboost-dev
  libpaho-mqttpp-dev libpaho-mqtt-dev libprotobuf-dev protobuf-compiler
  libspdlog-dev libgtest-dev libgmock-dev libbenchmark-dev
  libtomlplusplus-dev libcli11-dev libsqlite3-dev sqlite3
  mosquitto mosquitto-clients
  libcairo2-dev fonts-dejavu-core poppler-utils
  tzdata
  libpqxx-dev
)
# Extra packages a caller asks for (e.g. the browser tests' chromium).
packages+=("$@")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
echo "installing: ${missing[*]}" >&2
sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
  "${missing[@]}" >/dev/null
