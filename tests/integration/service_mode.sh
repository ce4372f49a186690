#!/usr/bin/env bash
# Service mode: a helper started with --service has no network until a client connects profiles over the control
# socket. Two networks run at once (own device and port each); disconnecting one sends CLOSE to its peers and
# leaves the other running. The profiles are VpnCloud YAML files imported by nimbusctl. Status shows who connected
# each network; a network-mode helper refuses networks.connect.
# Usage: service_mode.sh NIMBUS_HELPER NIMBUSCTL
. "$(dirname "$0")/netns-lib.sh"
NIMBUS_HELPER=$1
NIMBUSCTL=$2
skip_unless_root

make_lan server desktop
start_helper server --password officepw --ip 10.0.0.1 --peer-timeout 5 --keepalive 2
ip netns exec "$(ns server)" "$NIMBUS_HELPER" --control-socket "$NIMBUS_TEST_TMP/lab.sock" --password labpw \
    --ip 10.5.0.1 --listen 3212 --device lab%d > "$NIMBUS_TEST_TMP/lab.log" 2>&1 &
start_responder server office 10.0.0.1
start_responder server lab 10.5.0.1

start_helper desktop --service
[ "$(ctl desktop --json status | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["networks"]))')" = 0 ] \
    || die "a service-mode helper must start without networks"

cat > "$NIMBUS_TEST_TMP/office.yaml" <<'YAML'
ip: 10.0.0.100/24
crypto:
  password: officepw
peers:
  - server:3210
peer-timeout: 5
keepalive: 2
YAML
cat > "$NIMBUS_TEST_TMP/lab.yaml" <<'YAML'
device:
  name: "lab%d"
ip: 10.5.0.100/24
listen: 3213
peers:
  - server:3212
YAML
printf 'labpw\n' > "$NIMBUS_TEST_TMP/lab.password"
ctl desktop connect "$NIMBUS_TEST_TMP/office.yaml" --name office || die "connect office failed"
ctl desktop connect "$NIMBUS_TEST_TMP/lab.yaml" --name lab --password-file "$NIMBUS_TEST_TMP/lab.password" \
    || die "connect lab failed"
# A profile that cannot work gives a clear error and exit code 1, and changes nothing.
if ctl desktop connect "$NIMBUS_TEST_TMP/lab.yaml" --name lab --password-file "$NIMBUS_TEST_TMP/lab.password" \
    2> "$NIMBUS_TEST_TMP/dup.txt"; then
    die "connecting a network twice must fail"
fi
grep -qi "already" "$NIMBUS_TEST_TMP/dup.txt" || die "unclear error: $(cat "$NIMBUS_TEST_TMP/dup.txt")"

answers() { [ "$(ask desktop "$1")" = "$2" ]; }
wait_for "the office network" 15 answers 10.0.0.1 office
wait_for "the lab network" 15 answers 10.5.0.1 lab
ctl desktop status
[ "$(ctl desktop --json status | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["networks"]))')" = 2 ] \
    || die "expected two networks"

# Networks remember who connected them (root here).
owners=$(ctl desktop --json status | python3 -c 'import json,sys; print(sorted(n.get("owner") for n in json.load(sys.stdin)["networks"]))')
[ "$owners" = "[0, 0]" ] || die "status must show who connected each network: $owners"
# A network-mode helper runs the one network of its configuration and takes none over the socket, even from root.
if ctl server connect "$NIMBUS_TEST_TMP/lab.yaml" --name lab2 --password-file "$NIMBUS_TEST_TMP/lab.password" \
    2> "$NIMBUS_TEST_TMP/netmode.txt"; then
    die "a network-mode helper must refuse networks.connect"
fi
grep -q "network mode" "$NIMBUS_TEST_TMP/netmode.txt" || die "unclear error: $(cat "$NIMBUS_TEST_TMP/netmode.txt")"
[ "$(ctl server --json status | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["networks"]))')" = 1 ] \
    || die "the network-mode helper must still run just its own network"

ctl desktop disconnect lab || die "disconnect failed"
# The lab server got our CLOSE at once (no peer timeout needed).
lab_peers() { "$NIMBUSCTL" --socket "$NIMBUS_TEST_TMP/lab.sock" --json peers | grep -q nodeId; }
wait_for "the lab server to drop us" 3 bash -c "! '$NIMBUSCTL' --socket '$NIMBUS_TEST_TMP/lab.sock' --json peers | grep -q nodeId"
in_ns desktop ip link show lab0 >/dev/null 2>&1 && die "the lab device is still there"
answers 10.0.0.1 office || die "the office network must keep running"
log "PASS"
