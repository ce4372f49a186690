#!/usr/bin/env bash
# A Nimbus node with a real TUN device against vcpeer.py (the independent implementation of the spec that was
# proven against VpnCloud): ping across the tunnel, with Nimbus as initiator and as responder.
# Usage: vcpeer_tun.sh NIMBUS_HELPER NIMBUSCTL VCPEER_PY
. "$(dirname "$0")/netns-lib.sh"
NIMBUS_HELPER=$1
NIMBUSCTL=$2
VCPEER=$3
skip_unless_root
python3 -c 'import cryptography' 2>/dev/null || { echo "SKIP: python3-cryptography is missing"; exit 77; }

make_lan nimbus vcpeer
start_vcpeer()
{
    ip netns exec "$(ns vcpeer)" python3 -u "$VCPEER" --password interop --listen 3210 --claim 10.99.0.2/32 \
        --duration 60 --info-interval 5 "$@" > "$NIMBUS_TEST_TMP/vcpeer.log" 2>&1 &
    vcpeer_pid=$!
}

# Round 1: Nimbus connects to the Python peer.
start_vcpeer
sleep 0.5
start_helper nimbus --password interop --ip 10.99.0.1/24 -c vcpeer:3210
connected() { "$NIMBUSCTL" --socket "$NIMBUS_TEST_TMP/nimbus.sock" --json peers | grep -q nodeId; }
wait_for "the handshake" 10 connected
in_ns nimbus ping -c 3 -i 0.3 -W 5 10.99.0.2 || die "no ping through the tunnel (nimbus initiator)"
log "ping across with nimbus as initiator"
kill "$(helper_pid nimbus)"
wait "$(helper_pid nimbus)" 2>/dev/null || true # its port must be free before the next helper binds it
wait_for "vcpeer to see the CLOSE" 5 grep -q "CLOSE from" "$NIMBUS_TEST_TMP/vcpeer.log"
kill "$vcpeer_pid"; wait "$vcpeer_pid" 2>/dev/null || true

# Round 2: the Python peer connects to Nimbus.
rm -f "$NIMBUS_TEST_TMP/nimbus.sock"
start_helper nimbus --password interop --ip 10.99.0.1/24
start_vcpeer --connect 192.0.2.11:3210
wait_for "the handshake" 10 connected
in_ns nimbus ping -c 3 -i 0.3 -W 5 10.99.0.2 || die "no ping through the tunnel (vcpeer initiator)"
log "ping across with vcpeer as initiator"
ctl nimbus peers
log "PASS"
