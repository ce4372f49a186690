#!/usr/bin/env bash
# The systemd units as they would be installed (helper path pointing at the build) pass systemd-analyze verify,
# and the service unit keeps the hardening the helper relies on.
# Usage: check-units.sh INSTALLER_SOURCE_DIR NIMBUS_HELPER
set -euo pipefail
src=$1
helper=$2
command -v systemd-analyze >/dev/null || { echo "SKIP: systemd-analyze is missing"; exit 77; }
tmp=$(mktemp -d /tmp/nimunits.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
for unit in nimbus-helper.service nimbus@.service; do
    sed "s|@NIMBUS_HELPER_PATH@|$helper|" "$src/linux/$unit.in" > "$tmp/$unit"
done
cp "$src/linux/nimbus.target" "$tmp/"
cd "$tmp"
out=$(systemd-analyze verify --man=no ./nimbus-helper.service ./nimbus@office.service 2>&1 || true)
if [ -n "$out" ]; then echo "systemd-analyze: $out"; exit 1; fi
for line in "CapabilityBoundingSet=CAP_NET_ADMIN" "AmbientCapabilities=CAP_NET_ADMIN" "DeviceAllow=/dev/net/tun rw" \
            "ProtectSystem=strict" "NoNewPrivileges=yes" "User=nimbus" "RuntimeDirectory=nimbus"; do
    grep -qxF "$line" nimbus-helper.service || { echo "nimbus-helper.service lacks $line"; exit 1; }
done
grep -q -- "--config /etc/nimbus/%i.net" nimbus@.service || { echo "nimbus@.service does not read /etc/nimbus/NAME.net"; exit 1; }
grep -q '^u nimbus' "$src/linux/nimbus.sysusers" || { echo "sysusers lacks the nimbus user"; exit 1; }
echo "1 passed, 0 failed"
