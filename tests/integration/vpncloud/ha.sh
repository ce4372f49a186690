#!/usr/bin/env bash
# The seed's high-availability scenario in a mixed network: SERVERS (nimbus or vpncloud) server-a and server-b both
# claim 10.0.0.1 and know each other; a CLIENT of the other kind connects to both. Each server runs a responder on
# port 8000 that answers with its name. The serving server's process is killed with SIGKILL; traffic must resume on
# the other one. A Nimbus client runs the seed's literal command (no --peer-timeout: its fast failover must do it);
# a VpnCloud client has no fast failover and gets --peer-timeout 5 --keepalive 2, else it would wait 300 s.
# Usage: ha.sh NIMBUS_HELPER NIMBUSCTL REFERENCE_STATE_DIR SERVERS CLIENT
. "$(dirname "$0")/vc-lib.sh"
servers=$4
client=$5

make_lan server-a server-b client
seed=(--password seedpw --ip 10.0.0.1 --peer-timeout 5 --keepalive 2)
start_node "$servers" server-a "${seed[@]}" -c server-b:3210
start_node "$servers" server-b "${seed[@]}" -c server-a:3210
start_responder server-a server-a 10.0.0.1
start_responder server-b server-b 10.0.0.1
client_args=(--password seedpw --ip 10.0.0.100 -c server-a:3210 -c server-b:3210)
[ "$client" = vpncloud ] && client_args+=(--peer-timeout 5 --keepalive 2)
start_node "$client" client "${client_args[@]}"
answered() { [ -n "$(ask client 10.0.0.1)" ]; }
wait_for "the client to reach 10.0.0.1" 30 answered
active=$(ask client 10.0.0.1)
case "$active" in
    server-a) other=server-b; active_addr=192.0.2.11:3210; other_addr=192.0.2.12:3210 ;;
    server-b) other=server-a; active_addr=192.0.2.12:3210; other_addr=192.0.2.11:3210 ;;
    *) die "unexpected answer '$active'" ;;
esac
log "10.0.0.1 is served by $active ($servers servers, $client client)"
for _ in 1 2 3; do [ "$(ask client 10.0.0.1)" = "$active" ] || die "answers flap before the failover"; done

in_ns client ping -D -i 0.1 10.0.0.1 > "$NIMBUS_TEST_TMP/ping.txt" 2>&1 &
ping_pid=$!
sleep 1.5
log "kill -9 $active ($servers)"
kill -9 "$(helper_pid "$active")"
other_answers() { [ "$(ask client 10.0.0.1)" = "$other" ]; }
wait_for "traffic to resume on $other" 40 other_answers
sleep 1
kill "$ping_pid" 2>/dev/null || true
log "10.0.0.1 is now served by $other; longest reply gap: $(max_reply_gap "$NIMBUS_TEST_TMP/ping.txt") s"
no_crash "$other" client

if [ "$client" = nimbus ]; then
    # The Nimbus client reported the failover from the dead server to the other one.
    expect_failover client "$active_addr" "$other_addr"
fi
log "PASS"
