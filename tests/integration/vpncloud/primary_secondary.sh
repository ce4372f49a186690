#!/usr/bin/env bash
# Primary and secondary in a mixed network: SERVERS (nimbus or vpncloud) server-b claims 10.0.0.0/31 and is
# connected first (announced longest), server-a claims 10.0.0.1/32; a CLIENT of the other kind knows only server-b
# and learns server-a from its peer list. The /32 wins; when server-a is killed traffic moves to server-b; when
# server-a comes back traffic returns to it, and every ping (every 50 ms) is answered while it returns.
# Usage: primary_secondary.sh NIMBUS_HELPER NIMBUSCTL REFERENCE_STATE_DIR SERVERS CLIENT
. "$(dirname "$0")/vc-lib.sh"
servers=$4
client=$5

make_lan server-a server-b client
common=(--password seedpw --peer-timeout 5 --keepalive 2)
start_node "$servers" server-b "${common[@]}" --ip 10.0.0.1 --no-auto-claim --claim 10.0.0.0/31 -c server-a:3210
start_responder server-b server-b 10.0.0.1
start_node "$servers" server-a "${common[@]}" --ip 10.0.0.1 -c server-b:3210
start_responder server-a server-a 10.0.0.1
start_node "$client" client "${common[@]}" --ip 10.0.0.100 -c server-b:3210
answers() { [ "$(ask client 10.0.0.1)" = "$1" ]; }
wait_for "the primary to serve 10.0.0.1" 40 answers server-a
log "primary ($servers) serves 10.0.0.1 for the $client client"

log "kill -9 the primary"
kill -9 "$(helper_pid server-a)"
wait_for "the secondary to take over" 40 answers server-b
log "secondary serves 10.0.0.1"
# The client must have dropped the dead primary before it comes back (a VpnCloud client only by its peer timeout),
# else the returning primary would just resume an old session.
sleep 7

in_ns client ping -q -i 0.05 -c 200 -W 2 10.0.0.1 > "$NIMBUS_TEST_TMP/ping.txt" 2>&1 &
ping_pid=$!
sleep 1
log "restart the primary"
start_node "$servers" server-a "${common[@]}" --ip 10.0.0.1 -c server-b:3210
start_responder server-a server-a 10.0.0.1
wait_for "traffic to return to the primary" 40 answers server-a
log "primary serves 10.0.0.1 again"
wait "$ping_pid" || true
cat "$NIMBUS_TEST_TMP/ping.txt"
received=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$NIMBUS_TEST_TMP/ping.txt")
[ "$received" = 200 ] || die "lost $((200 - received)) of 200 pings while the primary came back"
no_crash server-a server-b client
log "PASS"
