#!/usr/bin/env bash
# Recovery from the ways a path dies (issue 13, docs/failover.md), with real processes in network namespaces.
# The client runs with --peer-timeout 300 (the seed's literal client: VpnCloud's default), the servers with the
# seed's --peer-timeout 5 --keepalive 2. A recovery that waited for the client's timeout would take five minutes,
# so each case proves that probing, roaming, knocking or resume handling did the work.
#
#   path_faults.sh NIMBUS_HELPER NIMBUSCTL REFERENCE_STATE_DIR FAULT SERVERS [CLIENT]
#
# FAULT, on the server that serves 10.0.0.1 (two servers claim it, the client knows both; the client is Nimbus):
#   kill       kill -9 of its process (the host answers with ICMP port unreachable)
#   vanish     the host drops every packet, both ways (no ICMP: only the client's probes can tell)
#   freeze     SIGSTOP: the process still holds its socket, answers nothing
#   oneway     the server's packets to the client are lost; the client's reach the server
# FAULT, on the client (one server, 10.0.0.1):
#   roam       the client's address changes (a laptop on another network): it renews its sessions at once, and
#              the server follows it to the new address
#   nat-rebind the client sits behind a NAT namespace whose mapping changes to another port; nothing changes
#              inside the client: the server must follow it
#   sleep      the client's node is stopped for 12 s, past the server's 5 s timeout, and continued
#   restart    the client's node is killed and started again
# SERVERS, CLIENT: nimbus or vpncloud (VpnCloud 2.3.0, the reference; skipped visibly when it cannot be built).
# CLIENT vpncloud only with Nimbus servers and the client faults (the server must do the work).
# Figures: the longest gap between ping replies is printed; the test fails only above 3 s (a hang or a timeout
# path); the speed itself is measured by bench/failover.
fault=$4
servers=$5
client_kind=${6:-nimbus}
if [ "$servers" = vpncloud ] || [ "$client_kind" = vpncloud ]; then
    . "$(dirname "$0")/vpncloud/vc-lib.sh"
else
    . "$(dirname "$0")/netns-lib.sh"
    NIMBUS_HELPER=$1
    NIMBUSCTL=$2
    skip_unless_root
    # start_node KIND HOST ARGS... (nimbus only without the reference)
    start_node() { shift; start_helper "$@"; }
fi
command -v iptables >/dev/null || { echo "SKIP: iptables is missing"; exit 77; }
if [ "$fault" = nat-rebind ] && ! command -v conntrack >/dev/null; then
    echo "SKIP: conntrack is missing (Debian package conntrack; scripts/deps.sh installs it)"
    exit 77
fi
LIMIT=3.0
server_flags=(--password faults-pw --peer-timeout 5 --keepalive 2)
client_flags=(--password faults-pw --peer-timeout 300)

# client_up : the client's node answers (Nimbus: its control socket; VpnCloud: its TUN address).
client_reaches() { reaches client 10.0.0.1; }

case "$fault" in
kill | vanish | freeze | oneway)
    make_lan server-a server-b client
    start_node "$servers" server-a "${server_flags[@]}" --ip 10.0.0.1/24 -c server-b:3210
    start_node "$servers" server-b "${server_flags[@]}" --ip 10.0.0.1/24 -c server-a:3210
    sleep 1
    start_helper client "${client_flags[@]}" --ip 10.0.0.100/24 -c server-a:3210 -c server-b:3210
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
    gap=$(max_reply_gap "$NIMBUS_TEST_TMP/ping.txt")
    log "10.0.0.1 is now served by $other; longest reply gap ${gap} s"
    failover=$(events_of client route.failover | tail -n 1)
    log "client event: $failover"
    case "$fault" in
        kill) echo "$failover" | grep -Eq '"reason": *"(unreachable|silent)"' || die "no failover event" ;;
        *) echo "$failover" | grep -Eq '"reason": *"silent"' || die "no failover event with reason silent" ;;
    esac
    [ "$fault" = freeze ] && kill -CONT "$(helper_pid "$active")"
    ;;
roam | nat-rebind | sleep | restart)
    client_addr=192.0.2.12
    if [ "$fault" = nat-rebind ]; then
        # client (10.9.0.2) -> nat (10.9.0.1 | 192.0.2.12, masquerading) -> server (192.0.2.11)
        make_lan server nat
        client_ns=$(ns client)
        ip netns add "$client_ns"; _nimbus_namespaces+=("$client_ns")
        ip -n "$(ns nat)" link add eth1 type veth peer name eth0 netns "$client_ns"
        ip -n "$(ns nat)" addr add 10.9.0.1/24 dev eth1
        ip -n "$(ns nat)" link set eth1 up
        ip -n "$client_ns" link set lo up
        ip -n "$client_ns" addr add 10.9.0.2/24 dev eth0
        ip -n "$client_ns" link set eth0 up
        ip -n "$client_ns" route add default via 10.9.0.1
        in_ns nat sysctl -qw net.ipv4.ip_forward=1
        in_ns nat iptables -t nat -A POSTROUTING -o eth0 -p udp -j MASQUERADE --to-ports 20000-20099
        server_at=192.0.2.11
    else
        make_lan server client
        server_at=server
    fi
    start_node "$servers" server "${server_flags[@]}" --ip 10.0.0.1/24
    start_client() { start_node "$client_kind" client "${client_flags[@]}" --ip 10.0.0.100/24 -c "$server_at:3210"; }
    start_client
    wait_for "the client to reach 10.0.0.1" 20 client_reaches
    in_ns client ping -D -i 0.05 10.0.0.1 > "$NIMBUS_TEST_TMP/ping.txt" 2>&1 &
    ping_pid=$!
    sleep 1
    case "$fault" in
        roam)
            # The laptop moves: its old address goes, a new one comes (DHCP on another network).
            log "the client's address changes from $client_addr to 192.0.2.112"
            in_ns client ip addr del "$client_addr/24" dev eth0
            in_ns client ip addr add 192.0.2.112/24 dev eth0
            [ "$client_kind" = vpncloud ] && { in_ns client ip route add default dev eth0 2>/dev/null || true; }
            new_addr=192.0.2.112
            ;;
        nat-rebind)
            log "the NAT's mapping moves to another port range (nothing changes inside the client)"
            in_ns nat iptables -t nat -R POSTROUTING 1 -o eth0 -p udp -j MASQUERADE --to-ports 30000-30099
            in_ns nat conntrack -D -p udp >/dev/null 2>&1 || true
            new_addr=192.0.2.12:300
            ;;
        sleep)
            log "the client's node is stopped for 12 s (the server's peer timeout is 5 s)"
            kill -STOP "$(helper_pid client)"
            sleep 12
            kill -CONT "$(helper_pid client)"
            ;;
        restart)
            log "the client's node is killed and started again"
            kill "$ping_pid" 2>/dev/null || true
            wait "$ping_pid" 2>/dev/null || true
            kill -9 "$(helper_pid client)"
            wait "$(helper_pid client)" 2>/dev/null || true
            rm -f "$NIMBUS_TEST_TMP/client.sock"
            started_at=$(date +%s.%N)
            start_client
            in_ns client ping -D -i 0.05 10.0.0.1 > "$NIMBUS_TEST_TMP/ping.txt" 2>&1 &
            ping_pid=$!
            ;;
    esac
    resumed_at=$(date +%s.%N)
    wait_for "traffic to flow again" 30 client_reaches
    sleep 1
    kill "$ping_pid" 2>/dev/null || true
    wait "$ping_pid" 2>/dev/null || true
    case "$fault" in
        sleep | restart)
            # The 12 s the client was stopped (or the restart itself) are no gap of the path: measure from the
            # moment it continued (or was started again) until the first reply.
            [ "$fault" = restart ] && resumed_at=$started_at
            first=$(awk -F'[][]' -v t="$resumed_at" '/bytes from/ && $2 + 0 > t { printf "%.3f", $2 - t; exit }' \
                "$NIMBUS_TEST_TMP/ping.txt")
            gap=${first:-99}
            log "first reply ${gap} s after the client $([ "$fault" = sleep ] && echo continued || echo started)"
            ;;
        *)
            gap=$(max_reply_gap "$NIMBUS_TEST_TMP/ping.txt")
            log "longest reply gap ${gap} s"
            ;;
    esac
    if [ "$client_kind" = nimbus ] && [ "$fault" = sleep ]; then
        events_of client network.resumed | grep -q 'stopped' || die "the client did not notice it was stopped"
    fi
    if [ "$client_kind" = nimbus ] && [ "$fault" = roam ]; then
        events_of client network.changed | grep -q 'address' || die "the client did not notice its address change"
    fi
    if [ "$servers" = nimbus ] && { [ "$fault" = roam ] || [ "$fault" = nat-rebind ]; }; then
        ctl server --json peers | grep -q "\"$new_addr" || die "the server does not know the new address: $(ctl server peers)"
        events_of server path.recovered | grep -q 'peer-roamed' || die "no path.recovered event on the server"
        log "server: $(events_of server path.recovered | tail -n 1 | cut -c1-200)"
    fi
    ;;
*) die "unknown fault $fault" ;;
esac
for h in client server server-a server-b; do
    v="HELPER_PID_${h//-/_}"
    pid=${!v:-}
    [ -z "$pid" ] || [ "$h" = "${active:-}" ] || kill -0 "$pid" 2>/dev/null || die "$h's node exited"
done
awk -v g="$gap" -v l="$LIMIT" 'BEGIN { exit !(g != "" && g + 0 < l) }' \
    || die "recovery took ${gap} s (a hang or the peer timeout path; limit ${LIMIT} s)"
log "PASS ($fault, $servers servers, $client_kind client): ${gap} s"
