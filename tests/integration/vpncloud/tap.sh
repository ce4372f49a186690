#!/usr/bin/env bash
# TAP mode: one switched Ethernet made of 2 nimbus-helper and 2 real VpnCloud 2.3.0 nodes (all --type tap, --ip on
# the tap device), run twice: with the default mode (normal, which is a learning switch for tap in both programs)
# and with --mode switch. The first round starts as a chain (Nimbus -> VpnCloud, VpnCloud -> Nimbus, Nimbus ->
# VpnCloud), the second as a star around a VpnCloud node; both must become a full mesh through the peer lists.
# In each round it proves:
#   - both programs put the --ip address on their tap device;
#   - every node pings every other one, each sender starting with an empty ARP cache (its ARP broadcast must be
#     flooded to Nimbus and VpnCloud peers alike);
#   - unknown unicast is flooded: frames to a MAC nobody owns, sent by a Nimbus and by a VpnCloud node, reach the tap
#     devices of all three other nodes (this also shows that the rx counters used below see flooded frames);
#   - (first round) the same over VLAN 10 on top of the taps: 802.1Q frames are switched and learned too;
#   - MAC learning: once the addresses are known, unicast between two nodes is NOT flooded. For a Nimbus/VpnCloud
#     pair and a VpnCloud/Nimbus pair: 300 pings (requests one way, replies the other), a one-way UDP burst in each
#     direction (so each program's learning is checked alone) and a TCP transfer (SHA-256 checked) must each leave
#     the rx packet counters of the two uninvolved nodes' tap devices almost unchanged.
# IPv6 is off in the namespaces so that no router solicitations or MLD reports blur the counters.
# Nimbus has no control method that lists learned MAC addresses (claims are address ranges; tap nodes claim none),
# so learning is judged from the traffic only.
# Usage: tap.sh NIMBUS_HELPER NIMBUSCTL REFERENCE_STATE_DIR
. "$(dirname "$0")/vc-lib.sh"
started=$(date +%s)

hosts=(n1 n2 v1 v2)
declare -A kind=([n1]=nimbus [n2]=nimbus [v1]=vpncloud [v2]=vpncloud)
declare -A addr=([n1]=10.2.0.1 [n2]=10.2.0.2 [v1]=10.2.0.3 [v2]=10.2.0.4)
declare -A dev=()
BURST=300
# Frames an uninvolved node may see during a burst: ARP refreshes and other stray broadcasts, never the burst.
STRAY_LIMIT=20
UNKNOWN_MAC=02:00:5e:10:00:99
UNKNOWN_IP=10.2.0.99

make_lan "${hosts[@]}"
for h in "${hosts[@]}"; do
    in_ns "$h" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
common=(--type tap --password tap-pw --peer-timeout 30 --keepalive 5)

# tap_of HOST : the name of the device that carries HOST's 10.2.0.x address.
tap_of() { in_ns "$1" ip -o -4 addr show to 10.2.0.0/24 | awk '{ print $2; exit }'; }
# rx HOST : frames the node wrote into its tap device so far.
rx() { in_ns "$1" cat "/sys/class/net/${dev[$1]}/statistics/rx_packets"; }
rx_reached() { [ "$(rx "$1")" -ge "$2" ]; }
# nimbus_peers HOST : how many peers a Nimbus node has.
nimbus_peers() { ctl "$1" --json peers | grep -c nodeId || true; }
has_peers() { [ "$(nimbus_peers "$1")" -ge "$2" ]; }

# udp_burst FROM ADDRESS COUNT : COUNT datagrams from FROM to ADDRESS:9000, 2 ms apart (nothing comes back).
udp_burst()
{
    in_ns "$1" python3 - "$2" "$3" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(int(sys.argv[2])):
    s.sendto(b"nimbus tap test %6d " % i * 4, (sys.argv[1], 9000))
    time.sleep(0.002)
PY
}

# quiet_during DESCRIPTION "UNINVOLVED..." COMMAND... : runs COMMAND; the tap rx counters of the uninvolved hosts
# must grow by at most STRAY_LIMIT meanwhile.
quiet_during()
{
    local what=$1 uninvolved=$2; shift 2
    local h
    declare -A before=()
    for h in $uninvolved; do before[$h]=$(rx "$h"); done
    "$@"
    # Nothing to wait for when nothing should arrive: give frames still queued in a node a moment to show up.
    sleep 1
    local report="" grown flooded=0
    for h in $uninvolved; do
        grown=$(( $(rx "$h") - before[$h] ))
        report+=" $h(${kind[$h]}) +$grown"
        [ "$grown" -le "$STRAY_LIMIT" ] || flooded=1
    done
    [ "$flooded" = 0 ] || die "$what was flooded: uninvolved taps received$report frames (at most $STRAY_LIMIT allowed)"
    log "$what: uninvolved taps:$report frames"
}

# ping_burst FROM ADDRESS : BURST pings from FROM to ADDRESS, at least 90 % answered.
ping_burst()
{
    local out received
    out=$(in_ns "$1" ping -c "$BURST" -i 0.01 -W 1 -q "$2" || true)
    received=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$out")
    [ "${received:-0}" -ge $((BURST * 9 / 10)) ] || die "ping burst $1 -> $2: only ${received:-0} of $BURST answered"
}

# one_way FROM TO : a UDP burst FROM -> TO that must arrive (TO's tap counts at least 90 % of it).
one_way()
{
    local from=$1 to=$2 start
    start=$(rx "$to")
    udp_burst "$from" "${addr[$to]}" "$BURST"
    wait_for "$to to receive the UDP burst from $from" 15 rx_reached "$to" $((start + BURST * 9 / 10))
}

# learning_pair A B : the MAC learning checks for the pair A, B (both directions); the other two hosts look on.
learning_pair()
{
    local a=$1 b=$2 h uninvolved=""
    for h in "${hosts[@]}"; do [ "$h" = "$a" ] || [ "$h" = "$b" ] || uninvolved+="$h "; done
    # Addresses learned on both sides (each has sent the other a frame).
    wait_for "$a to reach $b" 15 reaches "$a" "${addr[$b]}"
    wait_for "$b to reach $a" 15 reaches "$b" "${addr[$a]}"
    quiet_during "$BURST pings $a(${kind[$a]}) -> $b(${kind[$b]})" "$uninvolved" ping_burst "$a" "${addr[$b]}"
    quiet_during "$BURST UDP datagrams $a(${kind[$a]}) -> $b(${kind[$b]})" "$uninvolved" one_way "$a" "$b"
    quiet_during "$BURST UDP datagrams $b(${kind[$b]}) -> $a(${kind[$a]})" "$uninvolved" one_way "$b" "$a"
    quiet_during "TCP transfer $a(${kind[$a]}) -> $b(${kind[$b]})" "$uninvolved" \
        tcp_transfer "$a" "$b" "${addr[$b]}" 3000000
}

# flood_unknown FROM : 100 datagrams to a MAC nobody has must reach every other tap (unknown unicast is flooded).
flood_unknown()
{
    local from=$1 h
    declare -A before=()
    for h in "${hosts[@]}"; do before[$h]=$(rx "$h"); done
    in_ns "$from" ip neigh replace "$UNKNOWN_IP" lladdr "$UNKNOWN_MAC" dev "${dev[$from]}" nud permanent
    udp_burst "$from" "$UNKNOWN_IP" 100
    local report=""
    for h in "${hosts[@]}"; do
        [ "$h" = "$from" ] && continue
        wait_for "the frames of $from to $UNKNOWN_MAC to be flooded to $h" 15 rx_reached "$h" $((before[$h] + 90))
        report+=" $h +$(( $(rx "$h") - before[$h] ))"
    done
    in_ns "$from" ip neigh del "$UNKNOWN_IP" dev "${dev[$from]}"
    log "100 frames $from(${kind[$from]}) -> unknown MAC $UNKNOWN_MAC flooded to:$report"
}

# vlan_checks : VLAN 10 on top of every tap device (10.3.0.x): both programs key 802.1Q frames by VLAN id and MAC.
# Every node reaches every other one over the VLAN, and unicast on it between a Nimbus and a VpnCloud node is learned
# (not flooded to the two other taps).
vlan_checks()
{
    local h from to i=1
    declare -A vaddr=()
    # Containers without the 8021q module cannot make VLAN devices: say so and go on with the rest.
    if ! in_ns n1 ip link add link "${dev[n1]}" name vlanprobe type vlan id 11 2>/dev/null; then
        log "VLAN 10: SKIPPED, this kernel cannot make VLAN devices (no 8021q module)"
        return 0
    fi
    in_ns n1 ip link del vlanprobe
    for h in "${hosts[@]}"; do
        vaddr[$h]=10.3.0.$i; i=$((i + 1))
        in_ns "$h" ip link add link "${dev[$h]}" name vlan10 type vlan id 10
        in_ns "$h" ip addr add "${vaddr[$h]}/24" dev vlan10
        in_ns "$h" ip link set vlan10 up
    done
    for from in "${hosts[@]}"; do
        for to in "${hosts[@]}"; do
            [ "$from" = "$to" ] && continue
            wait_for "$from (${kind[$from]}) to reach $to (${kind[$to]}) at ${vaddr[$to]} over VLAN 10" 15 \
                reaches "$from" "${vaddr[$to]}"
        done
    done
    log "VLAN 10: all 12 directions answer pings"
    quiet_during "$BURST pings over VLAN 10 n2(nimbus) -> v1(vpncloud)" "n1 v2" ping_burst n2 "${vaddr[v1]}"
    quiet_during "$BURST pings over VLAN 10 v2(vpncloud) -> n1(nimbus)" "n2 v1" ping_burst v2 "${vaddr[n1]}"
}

# run_round NAME TOPOLOGY MODE_ARGS... : starts the four nodes, HOST[:PEER...] in TOPOLOGY's order, each dialling
# its PEERs, and runs all checks; stops the nodes again.
run_round()
{
    local round=$1 topology=$2; shift 2
    local mode_args=("$@") entry h peer
    log "---- round: $round (${mode_args[*]:-default mode}), connections: $topology"
    for entry in $topology; do
        h=${entry%%:*}
        local args=("${common[@]}" "${mode_args[@]}" --ip "${addr[$h]}/24")
        if [ "$entry" != "$h" ]; then
            for peer in ${entry#*:}; do args+=(-c "$peer:3210"); done
        fi
        start_node "${kind[$h]}" "$h" "${args[@]}"
        # Whoever is dialled must listen before the dialler starts (start_helper already waits for Nimbus).
        wait_for "$h to listen on UDP 3210" 10 \
            bash -c "ip netns exec '$(ns "$h")' ss -Hlun 'sport = :3210' | grep -q ."
    done
    local mtus=""
    for h in "${hosts[@]}"; do
        wait_for "$h (${kind[$h]}) to put ${addr[$h]} on its tap device" 10 has_address "$h" "${addr[$h]}"
        dev[$h]=$(tap_of "$h")
        in_ns "$h" ip -d link show "${dev[$h]}" | grep -qw tun || die "$h's ${dev[$h]} is not a tun/tap device"
        in_ns "$h" ip -d link show "${dev[$h]}" | grep -q 'type tap' || die "$h's ${dev[$h]} is not a tap device"
        in_ns "$h" ip link show "${dev[$h]}" | grep -q '[<,]UP[,>]' || die "$h's ${dev[$h]} is not up"
        mtus+=" $h:${dev[$h]}/$(in_ns "$h" cat "/sys/class/net/${dev[$h]}/mtu")"
    done
    log "tap devices (name/MTU):$mtus"
    # Full mesh: each Nimbus node sees the three others (the VpnCloud nodes show it by the pings below).
    wait_for "n1 to have 3 peers" 30 has_peers n1 3
    wait_for "n2 to have 3 peers" 30 has_peers n2 3
    # Every node resolves every other one from an empty ARP cache: its broadcast must reach both kinds of peers.
    local from to
    for from in "${hosts[@]}"; do
        in_ns "$from" ip neigh flush dev "${dev[$from]}"
        for to in "${hosts[@]}"; do
            [ "$from" = "$to" ] && continue
            wait_for "$from (${kind[$from]}) to reach $to (${kind[$to]}) at ${addr[$to]}" 15 \
                reaches "$from" "${addr[$to]}"
        done
    done
    log "all 12 directions answer pings (ARP resolved by flooded broadcasts from every node)"
    # Listeners for the one-way UDP bursts, so that no ICMP port-unreachable travels back.
    local listeners=()
    for h in "${hosts[@]}"; do
        ip netns exec "$(ns "$h")" socat -u "UDP-RECV:9000,bind=${addr[$h]}" /dev/null &
        listeners+=("$!")
    done
    flood_unknown n1
    flood_unknown v1
    learning_pair n1 v1
    learning_pair v2 n2
    if [ "$round" = normal ]; then vlan_checks; fi
    # Tap nodes claim nothing (auto-claim is for tun devices only, in both programs).
    if ctl n1 claims | grep -q '10\.2\.0\.'; then die "Nimbus lists a claim for a tap address: $(ctl n1 claims)"; fi
    no_crash "${hosts[@]}"
    kill "${listeners[@]}" 2>/dev/null || true
    wait "${listeners[@]}" 2>/dev/null || true
    for h in "${hosts[@]}"; do stop_node "$h"; done
    for h in "${hosts[@]}"; do cp "$NIMBUS_TEST_TMP/$h.log" "$NIMBUS_TEST_TMP/$h-$round.txt"; done
}

# Round 1, default mode: v1 alone; n1 dials v1 (Nimbus initiates), v2 dials n1 (VpnCloud initiates), n2 dials v2.
run_round normal "v1 n1:v1 v2:n1 n2:v2"
# Round 2, --mode switch: a star around v2; the others learn each other from VpnCloud's peer list.
run_round switch "v2 n1:v2 v1:v2 n2:v2" --mode switch
log "PASS ($(( $(date +%s) - started )) s)"
