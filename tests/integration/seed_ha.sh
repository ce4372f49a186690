#!/usr/bin/env bash
# The seed's high-availability example, literally: server-a and server-b both claim 10.0.0.1 and know each
# other, a client connects to both; each server runs a responder on port 8000 that answers with its name.
# The active server's helper is killed with SIGKILL; traffic must resume on the other one, and the client's
# control socket must report the failover with from, to and the unreachable time.
# Usage: seed_ha.sh NIMBUS_HELPER NIMBUSCTL
. "$(dirname "$0")/netns-lib.sh"
NIMBUS_HELPER=$1
NIMBUSCTL=$2
skip_unless_root

make_lan server-a server-b client
start_helper server-a --password seedpw --ip 10.0.0.1 --peer-timeout 5 --keepalive 2 -c server-b:3210
start_helper server-b --password seedpw --ip 10.0.0.1 --peer-timeout 5 --keepalive 2 -c server-a:3210
start_responder server-a server-a 10.0.0.1
start_responder server-b server-b 10.0.0.1
wait_for "servers to connect" 15 bash -c "'$NIMBUSCTL' --socket '$NIMBUS_TEST_TMP/server-a.sock' --json peers | grep -q nodeId"

start_helper client --password seedpw --ip 10.0.0.100 -c server-a:3210 -c server-b:3210
answered() { [ -n "$(ask client 10.0.0.1)" ]; }
wait_for "the client to reach 10.0.0.1" 20 answered
active=$(ask client 10.0.0.1)
case "$active" in
    server-a) other=server-b; active_addr=192.0.2.11:3210; other_addr=192.0.2.12:3210 ;;
    server-b) other=server-a; active_addr=192.0.2.12:3210; other_addr=192.0.2.11:3210 ;;
    *) die "unexpected answer '$active'" ;;
esac
log "10.0.0.1 is served by $active"
for i in 1 2 3; do [ "$(ask client 10.0.0.1)" = "$active" ] || die "answers flap before the failover"; done
ctl server-a claims | tee "$NIMBUS_TEST_TMP/claims-before.txt"

in_ns client ping -D -i 0.1 10.0.0.1 > "$NIMBUS_TEST_TMP/ping.txt" 2>&1 &
ping_pid=$!
sleep 1.5
log "kill -9 the helper of $active"
kill -9 "$(helper_pid "$active")"
other_answers() { [ "$(ask client 10.0.0.1)" = "$other" ]; }
wait_for "traffic to resume on $other" 30 other_answers
sleep 1
kill "$ping_pid" 2>/dev/null || true
log "10.0.0.1 is now served by $other"

# The longest gap between echo replies is the traffic lost to the failover.
gap=$(max_reply_gap "$NIMBUS_TEST_TMP/ping.txt")
log "longest reply gap during the failover: ${gap}s"

# The client's control socket reported the failover: from the dead server to the other, with its duration.
expect_failover client "$active_addr" "$other_addr"
ctl client status
log "PASS"
