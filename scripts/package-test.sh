#!/usr/bin/env bash
# Builds the Debian package (release preset, cpack -G DEB), runs lintian on it (any error
# fails; warnings, infos and overrides are printed), then on this machine, as root: installs it
# with apt (dependencies resolved), checks every file is in place and the service is enabled
# the Debian way, starts the installed vigild against a private broker, removes the package
# (binaries gone, configuration and state kept), purges it (/etc/vigil and the state directory
# gone) and checks nothing is left. Part of scripts/test.sh; alone: scripts/package-test.sh.
#
# It leaves the machine as it found it: vigil purged, its broker stopped, any package apt
# pulled in for it purged again. It refuses to run if vigil is already installed (that is an
# installation someone may rely on, or a run that was killed: `apt-get purge vigil` first).
set -euo pipefail
cd "$(dirname "$0")/.."

# lintian checks the package; dpkg-dev's dpkg-shlibdeps computes its dependencies (CPack writes
# the archive itself: no fakeroot).
scripts/install-deps.sh lintian dpkg-dev

fail() {
  echo "package-test: FAIL: $*" >&2
  exit 1
}
check() { # description, command...
  local what=$1
  shift
  "$@" || fail "$what"
  echo "  ok: $what"
}
known() { dpkg-query -W -f='${Status}' vigil 2>/dev/null | grep -qv "not-installed"; }
unknown() { ! known; }

[[ $(id -u) -eq 0 ]] || fail "run as root: it installs and purges the package"
if known; then
  fail "vigil is already on this machine ($(dpkg-query -W -f='${Status}' vigil)): apt-get purge vigil first"
fi

echo "== build"
rm -f build/release/vigil_*.deb
cmake --preset release >/dev/null
nice cmake --build --preset release --target deb
debs=(build/release/vigil_*_amd64.deb)
if ((${#debs[@]} != 1)) || [[ ! -f ${debs[0]} ]]; then
  fail "no single vigil_*_amd64.deb in build/release"
fi
deb=${debs[0]}
version=$(dpkg-deb -f "$deb" Version)
[[ $(basename "$deb") == "vigil_${version}_amd64.deb" ]] || fail "file name $(basename "$deb")"
dpkg-deb -I "$deb" | sed -n '/Package:/,$p'

echo "== lintian"
# Exit status 2 on an error tag (--fail-on error); warnings and infos are printed, with the
# package's overrides and their reasons (packaging/deb/lintian-overrides, README).
lintian --fail-on error --display-info --show-overrides "$deb" 2>&1 |
  grep -v "running with root privileges" || true
lintian --fail-on error "$deb" >/dev/null 2>&1 || fail "lintian reports errors"

# What was here before, to leave it so.
before_pkgs=$(dpkg-query -W -f='${Package}\n' | sort)
made_private=0
[[ -e /var/lib/private ]] || made_private=1
broker_pid=""
vigild_pid=""
cleanup() {
  [[ -n $vigild_pid ]] && kill "$vigild_pid" 2>/dev/null && wait "$vigild_pid" 2>/dev/null
  [[ -n $broker_pid ]] && kill "$broker_pid" 2>/dev/null && wait "$broker_pid" 2>/dev/null
  if known; then
    echo "package-test: purging vigil after a failure" >&2
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq vigil >/dev/null 2>&1 || true
  fi
  local extra
  extra=$(comm -13 <(echo "$before_pkgs") <(dpkg-query -W -f='${Package}\n' | sort))
  if [[ -n $extra ]]; then
    echo "package-test: purging what apt pulled in for vigil: $extra" >&2
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq $extra >/dev/null 2>&1 || true
  fi
  if ((made_private)) && [[ -d /var/lib/private ]]; then
    rmdir /var/lib/private 2>/dev/null || true
  fi
  return 0
}
trap cleanup EXIT

echo "== install"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$deb" >/dev/null
check "dpkg says vigil $version is installed" \
  test "$(dpkg-query -W -f='${Status} ${Version}' vigil)" = "install ok installed $version"
files=$(dpkg -L vigil)
for f in /usr/bin/vigild /usr/bin/vigilctl /usr/bin/vigil-replay /usr/bin/vigil-gateway \
  /etc/vigil/vigild.toml /etc/vigil/mosquitto-dashboard.conf /etc/vigil/prometheus-rules.yml \
  /etc/vigil/vigil-gateway.toml /usr/lib/systemd/system/vigil-gateway.service \
  /usr/lib/systemd/system/vigild.service /usr/share/vigil/dashboard/index.html \
  /usr/share/man/man8/vigild.8.gz /usr/share/man/man8/vigil-gateway.8.gz /usr/share/man/man1/vigilctl.1.gz \
  /usr/share/man/man1/vigil-replay.1.gz /usr/share/doc/vigil/README.md \
  /usr/share/doc/vigil/service.md /usr/share/doc/vigil/copyright \
  /usr/share/doc/vigil/changelog.gz /usr/share/lintian/overrides/vigil; do
  if ! grep -qx "$f" <<<"$files" || [[ ! -f $f ]]; then
    fail "$f is not installed by the package"
  fi
done
echo "  ok: every file in place (dpkg -L vigil)"
check "the configuration files are conffiles" \
  test "$(dpkg-query -W -f='${Conffiles}' vigil | awk 'NF {print $1}' | sort | tr '\n' ' ')" \
  = "/etc/vigil/mosquitto-dashboard.conf /etc/vigil/prometheus-rules.yml /etc/vigil/vigil-gateway.toml /etc/vigil/vigild.toml "
check "the binaries are stripped" \
  bash -c '! file -L /usr/bin/vigild /usr/bin/vigilctl /usr/bin/vigil-replay /usr/bin/vigil-gateway | grep -q "not stripped"'
check "the dashboard's broker configuration points at the installed page" \
  grep -qx "http_dir /usr/share/vigil/dashboard" /etc/vigil/mosquitto-dashboard.conf
check "man finds vigild(8)" bash -c 'man -w 8 vigild | grep -q /usr/share/man/man8/vigild.8.gz'
check "vigild --check-config accepts the installed configuration" \
  bash -c '/usr/bin/vigild --check-config --config /etc/vigil/vigild.toml >/dev/null'
check "vigild --version is $version" test "$(/usr/bin/vigild --version)" = "$version"
check "vigil-gateway --check-config accepts the installed configuration" \
  bash -c '/usr/bin/vigil-gateway --check-config --config /etc/vigil/vigil-gateway.toml >/dev/null'
check "vigil-gateway is installed, not enabled (it needs the site's [beds] first)" \
  test ! -e /etc/systemd/system/multi-user.target.wants/vigil-gateway.service

# Enabled the Debian way: deb-systemd-helper made the WantedBy= symlink and recorded it (so
# purge can remove it). With systemd running, systemctl agrees; in a container without
# systemd (CI) the postinst skipped daemon-reload and start, as dh_installsystemd's does.
# (On merged-/usr Debian 12, deb-systemd-helper finds the unit as /lib/systemd/system/..., the
# same file.)
wants=/etc/systemd/system/multi-user.target.wants/vigild.service
check "the service is enabled ($wants)" \
  test "$(readlink -f "$wants")" = "$(readlink -f /usr/lib/systemd/system/vigild.service)"
check "deb-systemd-helper recorded the enable" \
  grep -qx "$wants" /var/lib/systemd/deb-systemd-helper-enabled/vigild.service.dsh-also
if [[ -d /run/systemd/system ]]; then
  check "systemctl is-enabled vigild" bash -c 'systemctl is-enabled vigild | grep -qx enabled'
else
  echo "  (systemd is not running here: checked the enable symlink and deb-systemd-helper's state)"
fi

echo "== start the installed vigild"
# Against a private broker on a free port, so the machine's own mosquitto is never touched.
# Outside systemd it runs as root on /var/lib/vigil; it is laid out as systemd's DynamicUser=
# would make it (/var/lib/vigil -> private/vigil), so that purge is seen to remove both.
# A random port; a broker that exits (the port was taken) is tried again on another.
for _ in $(seq 20); do
  port=$((20000 + RANDOM % 40000))
  /usr/sbin/mosquitto -p "$port" >/dev/null 2>&1 &
  broker_pid=$!
  for _ in $(seq 50); do
    kill -0 "$broker_pid" 2>/dev/null || break
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
  kill -0 "$broker_pid" 2>/dev/null && break
  wait "$broker_pid" 2>/dev/null || true
  broker_pid=""
done
[[ -n $broker_pid ]] || fail "no broker could start"
# A real /var/lib/vigil (a vigild run by hand as root) would take the link inside it, and is
# someone's state: never touched, the test stops instead.
if [[ -e /var/lib/vigil && ! -L /var/lib/vigil ]]; then
  fail "/var/lib/vigil exists and is not a link to private/vigil (state of a vigild run by hand?): move it away and run again"
fi
[[ -d /var/lib/private ]] || mkdir -m 0700 /var/lib/private
[[ -d /var/lib/private/vigil ]] || mkdir -m 0750 /var/lib/private/vigil
ln -sfn private/vigil /var/lib/vigil
/usr/bin/vigild --config /etc/vigil/vigild.toml --broker "tcp://127.0.0.1:$port" \
  --instance package-test >build/release/package-test-vigild.log 2>&1 &
vigild_pid=$!
online=0
for _ in $(seq 30); do
  if /usr/bin/vigilctl --broker "tcp://127.0.0.1:$port" status --timeout 0.5 2>/dev/null |
    grep -q "package-test.*ONLINE"; then
    online=1
    break
  fi
  kill -0 "$vigild_pid" 2>/dev/null || break
done
((online)) || { cat build/release/package-test-vigild.log >&2; fail "vigild did not come ONLINE"; }
echo "  ok: vigild is ONLINE (vigilctl status)"
kill -TERM "$vigild_pid"
status=0
wait "$vigild_pid" || status=$?
vigild_pid=""
check "vigild exits 0 on SIGTERM" test "$status" -eq 0
check "vigild kept its state in /var/lib/private/vigil/vigil.db" test -f /var/lib/private/vigil/vigil.db
kill "$broker_pid"
wait "$broker_pid" 2>/dev/null || true
broker_pid=""

# A file of the admin's, to see remove keep it and purge remove it.
printf 'user\npassword\n' >/etc/vigil/broker-credentials
chmod 600 /etc/vigil/broker-credentials

echo "== upgrade (the same version again: prerm upgrade, postinst configure OLD-VERSION)"
# An admin's edit of a conffile survives (the shipped file did not change: no question asked).
sed -i 's/^log_level = "info"/log_level = "debug"/' /etc/vigil/vigild.toml
DEBIAN_FRONTEND=noninteractive dpkg -i "$deb" >/dev/null
check "dpkg says vigil $version is installed" \
  test "$(dpkg-query -W -f='${Status} ${Version}' vigil)" = "install ok installed $version"
check "the edited conffile is kept" grep -qx 'log_level = "debug"' /etc/vigil/vigild.toml
check "the service is still enabled" test -L "$wants"

echo "== remove"
DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq vigil >/dev/null
check "dpkg keeps only vigil's configuration" \
  test "$(dpkg-query -W -f='${Status}' vigil)" = "deinstall ok config-files"
for f in /usr/bin/vigild /usr/bin/vigilctl /usr/bin/vigil-replay /usr/bin/vigil-gateway \
  /usr/lib/systemd/system/vigild.service /usr/lib/systemd/system/vigil-gateway.service /usr/share/vigil; do
  [[ ! -e $f ]] || fail "$f is still there after remove"
done
echo "  ok: binaries, unit and dashboard gone"
check "remove keeps /etc/vigil/vigild.toml" test -f /etc/vigil/vigild.toml
check "remove keeps the admin's /etc/vigil/broker-credentials" test -f /etc/vigil/broker-credentials
check "remove keeps the state (/var/lib/vigil/vigil.db)" test -f /var/lib/vigil/vigil.db

echo "== purge"
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq vigil >/dev/null
check "dpkg no longer knows vigil" unknown
for f in /etc/vigil /var/lib/vigil /var/lib/private/vigil "$wants" \
  /etc/systemd/system/vigild.service /var/lib/systemd/deb-systemd-helper-enabled/vigild.service.dsh-also \
  /var/lib/systemd/deb-systemd-helper-enabled/multi-user.target.wants/vigild.service \
  /var/lib/systemd/deb-systemd-helper-masked/vigild.service; do
  [[ ! -e $f && ! -L $f ]] || fail "$f is still there after purge"
done
echo "  ok: /etc/vigil, the state directory and the service's enable and mask state are gone"
echo "package-test: vigil $version passed"
