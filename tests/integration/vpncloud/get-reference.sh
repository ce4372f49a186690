#!/usr/bin/env bash
# CTest fixture of the `vpncloud` tests: builds the real VpnCloud 2.3.0 once per run with
# ../shared/reference/vpncloud/build (offline, cached in /var/cache/nimbus-reference; a second call is instant) and
# records where it is for the tests.
# Usage: get-reference.sh SHARED_DIR STATE_DIR
#   writes STATE_DIR/path (the binary) or STATE_DIR/unavailable (why it cannot be had). NIMBUS_VPNCLOUD=PATH uses
#   that binary instead of building. Exits 0 with the binary, 77 (skip, with the reason on stdout) when the build is
#   impossible here (not root, no build script), 1 when the build was tried and failed.
set -uo pipefail
shared=$1
state=$2
mkdir -p "$state"
rm -f "$state/path" "$state/unavailable"

unavailable()
{
    echo "$1" > "$state/unavailable"
    echo "SKIP: reference VpnCloud unavailable: $1"
    exit "${2:-77}"
}

if [ -n "${NIMBUS_VPNCLOUD:-}" ]; then
    [ -x "$NIMBUS_VPNCLOUD" ] || unavailable "NIMBUS_VPNCLOUD=$NIMBUS_VPNCLOUD is not an executable" 1
    echo "$NIMBUS_VPNCLOUD" > "$state/path"
    echo "reference VpnCloud (NIMBUS_VPNCLOUD): $NIMBUS_VPNCLOUD"
    exit 0
fi
script=$shared/reference/vpncloud/build
[ -f "$script" ] || unavailable "no build script at $script"
[ "$(id -u)" -eq 0 ] || unavailable "building it needs root (apt-get, /var/cache/nimbus-reference)"

start=$SECONDS
log=$state/build.log
if ! bash "$script" > "$log" 2>&1; then
    tail -n 30 "$log"
    # Tried and failed: the tests that need it skip with this reason, and this fixture fails so the run shows it.
    unavailable "$script failed (exit status; log: $log)" 1
fi
bin=$(tail -n 1 "$log")
[ -x "$bin" ] || unavailable "$script printed no executable ('$bin')" 1
"$bin" --version > "$state/version" 2>&1 || unavailable "$bin --version failed" 1
echo "$bin" > "$state/path"
echo "reference VpnCloud: $bin ($(cat "$state/version")), $((SECONDS - start)) s"
