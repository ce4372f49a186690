#!/usr/bin/env bash
# Recovery from the ways a path dies (issue 13, docs/failover.md), with real processes in network namespaces.
# Every node runs with --peer-timeout 300: a recovery that waited for the timeout would take five minutes, so each
# case proves that probing, roaming or resume handling did the work. The client is always nimbus-helper.
#
#   path_faults.sh NIMBUS_HELPER NIMBUSCTL REFERENCE_STATE_DIR FAULT SERVERS
#
# FAULT, on the server that serves 10.0.0.1 (two servers claim it, the client knows both):
#   kill    kill -9 of its process (the host answers with ICMP port unreachable)
#   vanish  the host drops every packet, both ways (no ICMP: only the client's probes can tell)
#   freeze  SIGSTOP: the process still holds its socket, answers nothing
#   oneway  the server's packets to the client are lost; the client's reach the server
# FAULT, on the client (one server, 10.0.0.1):
#   roam    the client's address changes (a laptop on another network): it must renew its sessions at once, and
#           the server must follow it to the new address
#   sleep   the client's helper is stopped for 12 s and continued (a laptop waking up)
#   restart the server's helper is killed and started again
# SERVERS: nimbus or vpncloud (VpnCloud 2.3.0, the reference; skipped visibly when it cannot be built).
# Figures: the longest gap between ping replies is printed; the test fails only above 3 s (a hang or the old
# timeout path), the speed itself is measured by bench/failover.
if [ "$5" = vpncloud ]; then
    . "$(dirname "$0")/vpncloud/vc-lib.sh"
else
    . "$(dirname "$0")/netns-lib.sh"
    NIMBUS_HELPER=$1
    NIMBUSCTL=$2
    skip_unless_root
    # start_node KIND HOST ARGS... (nimbus only without the reference)
    start_node() { shift; start_helper "$@"; }
fi
fault=$4
servers=$5
command -v iptables >/dev/null || { echo "SKIP: iptables is missing"; exit 77; }
LIMIT=3.0
common=(--password faults-pw --peer-timeout 300)

max_gap()
{
    awk -F'[][]' '/bytes from/ { t = $2 + 0; if (last && t - last > max) max = t - last; last = t }
                  END { printf "%.3f", max }' "$1"
}
# events_of HOST EVENT : the control events of that name HOST's helper published so far, one JSON per line.
events_of() { ctl "$1" --json events | grep "\"event\": *\"$2\"" || true; }

case "$fault" in
kill | vanish | freeze | oneway)
    make_lan server-a server-b client
    start_node "$servers" server-a "${common[@]}" --ip 10.0.0.1/24 -c server-b:3210
    start_node "$servers" server-b "${common[@]}" --ip 10.0.0.1/24 -c server-a:3210
    sleep 1
    start_helper client "${common[@]}" --ip 10.0.0.100/24 -c server-a:3210 -c server-b:3210
    # The servers answer with their name on 10.0.0.1:8000.
    start_responder server-a server-a 10.0.0.1
    start_responder server-b server-b 10.0.0.1
    answered() { [ -n "$(ask client 10.0.0.1)" ]; }
    wait_for "the client to reach 10.0.0.1" 20 answered
    active=$(ask client 10.0.0.1)
    case "$active" in
        server-a) other=server-b ;;
        server-b) other=server-a ;;
        *) die "unexpected answer '$active'" ;;
    esac
    log "10.0.0.1 is served by $active ($servers); fault: $fault"
    in_ns client ping -D -i 0.05 10.0.0.1 > "$NIMBUS_TEST_TMP/ping.txt" 2>&1 &
    ping_pid=$!
    sleep 1
    case "$fault" in
        kill) kill -9 "$(helper_pid "$active")" ;;
        vanish)
            in_ns "$active" iptables -A INPUT -i eth0 -j DROP
            in_ns "$active" iptables -A OUTPUT -o eth0 -j DROP
            ;;
        freeze) kill -STOP "$(helper_pid "$active")" ;;
        oneway) in_ns "$active" iptables -A OUTPUT -o eth0 -d 192.0.2.13 -j DROP ;;
    esac
    fault_at=$(date +%s.%N)
    other_answers() { [ "$(ask client 10.0.0.1)" = "$other" ]; }
    wait_for "traffic to move to $other" 30 other_answers
    sleep 1
    kill "$ping_pid" 2>/dev/null || true
    wait "$ping_pid" 2>/dev/null || true
    gap=$(max_gap "$NIMBUS_TEST_TMP/ping.txt")
    log "10.0.0.1 is now served by $other; longest reply gap ${gap} s"
    failover=$(events_of client route.failover | tail -n 1)
    log "client event: $failover"
    case "$fault" in
        kill) echo "$failover" | grep -Eq '"reason": *"(unreachable|silent)"' || die "no failover event" ;;
        *) echo "$failover" | grep -Eq '"reason": *"silent"' || die "no failover event with reason silent" ;;
    esac
    [ "$fault" = freeze ] && kill -CONT "$(helper_pid "$active")"
    ;;
roam | sleep | restart)
    make_lan server client
    start_node "$servers" server "${common[@]}" --ip 10.0.0.1/24
    start_helper client "${common[@]}" --ip 10.0.0.100/24 -c server:3210
    wait_for "the client to reach 10.0.0.1" 20 reaches client 10.0.0.1
    in_ns client ping -D -i 0.05 10.0.0.1 > "$NIMBUS_TEST_TMP/ping.txt" 2>&1 &
    ping_pid=$!
    sleep 1
    case "$fault" in
        roam)
            # The laptop moves: its old address goes, a new one comes (DHCP on another network).
            log "the client's address changes from 192.0.2.12 to 192.0.2.112"
            in_ns client ip addr del 192.0.2.12/24 dev eth0
            in_ns client ip addr add 192.0.2.112/24 dev eth0
            ;;
        sleep)
            log "the client's helper is stopped for 12 s"
            kill -STOP "$(helper_pid client)"
            sleep 12
            kill -CONT "$(helper_pid client)"
            ;;
        restart)
            log "the server's node is killed and started again"
            kill -9 "$(helper_pid server)"
            wait "$(helper_pid server)" 2>/dev/null || true
            rm -f "$NIMBUS_TEST_TMP/server.sock"
            sleep 0.5
            start_node "$servers" server "${common[@]}" --ip 10.0.0.1/24
            ;;
    esac
    resumed_at=$(date +%s.%N)
    wait_for "traffic to flow again" 30 reaches client 10.0.0.1
    sleep 1
    kill "$ping_pid" 2>/dev/null || true
    wait "$ping_pid" 2>/dev/null || true
    # For sleep, the 12 s the client was stopped are no gap of the path: measure from the moment it continued.
    if [ "$fault" = sleep ]; then
        first=$(awk -F'[][]' -v t="$resumed_at" '/bytes from/ && $2 + 0 > t { printf "%.3f", $2 - t; exit }' \
            "$NIMBUS_TEST_TMP/ping.txt")
        gap=${first:-99}
        log "first reply ${gap} s after the client continued"
        events_of client network.resumed | grep -q 'stopped' || die "the client did not notice it was stopped"
    else
        gap=$(max_gap "$NIMBUS_TEST_TMP/ping.txt")
        log "longest reply gap ${gap} s"
    fi
    if [ "$fault" = roam ]; then
        events_of client network.changed | grep -q 'address' || die "the client did not notice its address change"
        if [ "$servers" = nimbus ]; then
            ctl server --json peers | grep -q '192.0.2.112:3210' || die "the server does not know the new address: $(ctl server peers)"
            events_of server path.recovered | grep -q 'peer-roamed' || die "no path.recovered event on the server"
        fi
        reaches client 10.0.0.1 || die "no answer after roaming"
    fi
    ;;
*) die "unknown fault $fault" ;;
esac
no_crash_nimbus() { for h in "$@"; do kill -0 "$(helper_pid "$h")" 2>/dev/null || die "$h's helper exited"; done; }
no_crash_nimbus client
awk -v g="$gap" -v l="$LIMIT" 'BEGIN { exit !(g != "" && g + 0 < l) }' \
    || die "recovery took ${gap} s (a hang or the peer timeout path; limit ${LIMIT} s)"
log "PASS ($fault, $servers servers): gap ${gap} s"
