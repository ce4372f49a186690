#!/usr/bin/env bash
# The address policy of networks.connect with real uids (issue 14 item 3): an operator (group nimbus) is refused
# a device address that would take over the host's traffic (128.0.0.1/1) or overlap the host's LAN or routes, and
# may use a private range; root may connect 128.0.0.1/1. profiles.validate tells the operator the same before a
# connect (an error of field ip), and tells root nothing. The operator's limits, with a real uid: four networks at
# most, only its own to disconnect, and a connection that never says hello is closed after 5 s. Creates group nimbus
# for the run if it does not exist.
# Usage: address_policy.sh NIMBUS_HELPER NIMBUSCTL
. "$(dirname "$0")/netns-lib.sh"
NIMBUS_HELPER=$1
NIMBUSCTL=$2
skip_unless_root
command -v setpriv >/dev/null || { echo "SKIP: setpriv is missing"; exit 77; }
id nobody >/dev/null 2>&1 || { echo "SKIP: no user nobody"; exit 77; }
created_group=
if ! getent group nimbus >/dev/null; then
    command -v groupadd >/dev/null || { echo "SKIP: no group nimbus and no groupadd"; exit 77; }
    groupadd --system nimbus
    created_group=1
fi
# cleanup (netns-lib) reads $? first: keep it.
trap 'status=$?; [ -n "$created_group" ] && groupdel nimbus; (exit $status); cleanup' EXIT

make_lan desktop
chmod 0755 "$NIMBUS_TEST_TMP"
# A routed private range on the LAN, as a home network or a corporate route would be.
in_ns desktop ip addr add 192.168.77.1/24 dev eth0
in_ns desktop ip route add 172.20.0.0/16 via 192.168.77.254
start_helper desktop --service --allow-range 192.0.2.0/24
sock=$NIMBUS_TEST_TMP/desktop.sock
[ "$(stat -c %G "$sock")" = nimbus ] || die "the socket is not group nimbus: $(stat -c '%G %a' "$sock")"
as_operator() { setpriv --reuid=nobody --regid=nimbus --clear-groups "$NIMBUSCTL" --socket "$sock" "$@"; }
[ "$(as_operator --json status >/dev/null && echo ok)" = ok ] || die "the operator cannot open the socket"

printf 'pw\n' > "$NIMBUS_TEST_TMP/pw"
profile() # NAME IP LISTEN
{
    printf 'ip: %s\nlisten: %s\ndevice:\n  name: "%s%%d"\n' "$2" "$3" "$1" > "$NIMBUS_TEST_TMP/$1.yaml"
    chmod 0644 "$NIMBUS_TEST_TMP/$1.yaml" "$NIMBUS_TEST_TMP/pw"
}
refused() # NAME IP RULE
{
    profile "$1" "$2" 3300
    local out code
    set +e
    out=$(as_operator connect "$NIMBUS_TEST_TMP/$1.yaml" --name "$1" --password-file "$NIMBUS_TEST_TMP/pw" 2>&1)
    code=$?
    set -e
    [ "$code" != 0 ] || die "the operator connected ip $2"
    grep -q "PERMISSION_DENIED\|not allowed\|permission\|only root may" <<<"$out" || die "ip $2: not a permission error: $out"
    grep -q "$3" <<<"$out" || die "ip $2: the message does not name the rule ($3): $out"
    in_ns desktop ip link show "${1}0" >/dev/null 2>&1 && die "ip $2: a device was created"
    log "operator refused $2: $out"
}
refused half 128.0.0.1/1 "wider than /8"
refused lan 192.0.2.99/24 "overlaps 192.0.2.0/24"
refused home 192.168.77.20/24 "overlaps 192.168.77.0/24"
refused routed 172.20.3.1/24 "overlaps 172.20.0.0/16"
refused public 8.8.8.8/32 "not in a private range"

# validate AS IP: what profiles.validate answers (one line of JSON) for a profile with that ip, asked by root or by
# the operator over a plain socket.
validate()
{
    local code
    code=$(cat <<'PY'
import json, socket, struct, sys
def call(s, i, method, params):
    body = json.dumps({"id": i, "method": method, "params": params}).encode()
    s.sendall(struct.pack(">I", len(body)) + body)
    size = struct.unpack(">I", s.recv(4, socket.MSG_WAITALL))[0]
    return json.loads(s.recv(size, socket.MSG_WAITALL))
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
call(s, 1, "hello", {"versions": [1], "client": "address_policy.sh"})
print(json.dumps(call(s, 2, "profiles.validate", {"profile": {"name": "v", "ip": sys.argv[2]}})["result"]))
PY
)
    if [ "$1" = operator ]; then
        setpriv --reuid=nobody --regid=nimbus --clear-groups /usr/bin/python3 -c "$code" "$sock" "$2"
    else
        python3 -c "$code" "$sock" "$2"
    fi
}
answer=$(validate operator 192.168.77.20/24)
grep -q '"valid": false' <<<"$answer" && grep -q '"field": "ip"' <<<"$answer" && grep -q "overlaps 192.168.77.0/24" <<<"$answer" \
    || die "profiles.validate did not warn the operator: $answer"
answer=$(validate operator 10.44.0.1/24)
grep -q '"valid": true' <<<"$answer" || die "profiles.validate refused the operator a good address: $answer"
answer=$(validate root 128.0.0.1/1)
grep -q '"valid": true' <<<"$answer" || die "profiles.validate applied the policy to root: $answer"
log "profiles.validate applies the policy to the operator only"

profile ok 10.44.0.1/24 3301
as_operator connect "$NIMBUS_TEST_TMP/ok.yaml" --name ok --password-file "$NIMBUS_TEST_TMP/pw" \
    || die "the operator could not connect 10.44.0.1/24"
in_ns desktop ip -o addr show | grep -q " inet 10.44.0.1/24 " || die "no address 10.44.0.1/24"
log "operator connected 10.44.0.1/24"

profile root 128.0.0.1/1 3302
ctl desktop connect "$NIMBUS_TEST_TMP/root.yaml" --name root --password-file "$NIMBUS_TEST_TMP/pw" \
    || die "root could not connect 128.0.0.1/1"
in_ns desktop ip -o addr show | grep -q " inet 128.0.0.1/1 " || die "no address 128.0.0.1/1"
log "root connected 128.0.0.1/1"

# The operator has "ok"; three more make four, the limit per user; a fifth is refused and creates nothing.
for i in 2 3 4; do
    profile "more$i" "10.44.$i.1/24" $((3310 + i))
    as_operator connect "$NIMBUS_TEST_TMP/more$i.yaml" --name "more$i" --password-file "$NIMBUS_TEST_TMP/pw" >/dev/null \
        || die "the operator could not connect network $i of 4"
done
profile more5 10.44.5.1/24 3315
set +e
out=$(as_operator connect "$NIMBUS_TEST_TMP/more5.yaml" --name more5 --password-file "$NIMBUS_TEST_TMP/pw" 2>&1)
code=$?
set -e
[ "$code" = 1 ] && grep -q "limit per user" <<<"$out" || die "a fifth network of the operator: exit $code, $out"
in_ns desktop ip link show more50 >/dev/null 2>&1 && die "the refused fifth network created a device"
log "operator refused a fifth network: $out"
set +e
out=$(as_operator disconnect root 2>&1)
code=$?
set -e
[ "$code" = 1 ] && grep -q "PERMISSION_DENIED\|only" <<<"$out" || die "the operator disconnected root's network: $out"
ctl desktop --json status | grep -q '"name": *"root"' || die "root's network is gone"
as_operator disconnect more4 >/dev/null || die "the operator could not disconnect its own network"
log "operator may disconnect its own network, not root's: $out"
# A connection that never says hello is closed by the helper after 5 s (a generous bound catches a hang).
waited=$(setpriv --reuid=nobody --regid=nimbus --clear-groups /usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.settimeout(30)
start = time.monotonic()
print("%.1f" % (time.monotonic() - start) if s.recv(1) == b"" else "data")' "$sock") || die "the silent client failed"
python3 -c "import sys; sys.exit(0 if 4.0 <= float('$waited') <= 15.0 else 1)" 2>/dev/null \
    || die "a client without hello was closed after $waited s, expected about 5"
log "a client without hello was closed after $waited s"
log "PASS"
