#!/usr/bin/env bash
# Primary and secondary: server-b claims 10.0.0.0/31 and is connected first (announced longest), server-a claims
# 10.0.0.1/32. The /32 wins; when server-a's helper is killed traffic moves to server-b; when server-a comes back
# traffic returns to it without losing packets.
# Usage: primary_secondary.sh NIMBUS_HELPER NIMBUSCTL
. "$(dirname "$0")/netns-lib.sh"
NIMBUS_HELPER=$1
NIMBUSCTL=$2
skip_unless_root

make_lan server-a server-b client
common=(--password seedpw --peer-timeout 5 --keepalive 2)
start_helper server-b "${common[@]}" --ip 10.0.0.1 --no-auto-claim --claim 10.0.0.0/31 -c server-a:3210
start_helper server-a "${common[@]}" --ip 10.0.0.1 -c server-b:3210
start_responder server-a server-a 10.0.0.1
start_responder server-b server-b 10.0.0.1
start_helper client "${common[@]}" --ip 10.0.0.100 -c server-b:3210
answers() { [ "$(ask client 10.0.0.1)" = "$1" ]; }
# The client learns server-a from server-b's peer list and connects to it: the /32 beats the older /31.
wait_for "the primary to serve 10.0.0.1" 20 answers server-a
log "primary serves 10.0.0.1"

log "kill -9 the primary's helper"
kill -9 "$(helper_pid server-a)"
wait_for "the secondary to take over" 30 answers server-b
log "secondary serves 10.0.0.1"

# Bring the primary back while pinging every 50 ms; every ping must be answered.
in_ns client ping -q -i 0.05 -c 160 -W 2 10.0.0.1 > "$NIMBUS_TEST_TMP/ping.txt" 2>&1 &
ping_pid=$!
sleep 1
log "restart the primary"
start_helper server-a "${common[@]}" --ip 10.0.0.1 -c server-b:3210
wait_for "traffic to return to the primary" 20 answers server-a
log "primary serves 10.0.0.1 again"
wait "$ping_pid" || true
cat "$NIMBUS_TEST_TMP/ping.txt"
received=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$NIMBUS_TEST_TMP/ping.txt")
[ "$received" = 160 ] || die "lost $((160 - received)) of 160 pings while the primary came back"

ctl client --json events > "$NIMBUS_TEST_TMP/events.json"
python3 - "$NIMBUS_TEST_TMP/events.json" <<'PY'
import json, sys
events = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
moves = [e["data"] for e in events if e.get("event") == "route.failover" and e["data"].get("from") and e["data"].get("to")
         and e["data"].get("address") == "10.0.0.1"]
for m in moves:
    print("failover %s -> %s (%s, %d ms)" % (m["from"]["address"], m["to"]["address"], m["reason"], m["unreachableMs"]))
assert any(m["to"]["address"] == "192.0.2.12:3210" for m in moves), "no failover to the secondary"
assert moves[-1]["to"]["address"] == "192.0.2.11:3210" and moves[-1]["reason"] == "more-specific", moves[-1]
PY
log "PASS"
