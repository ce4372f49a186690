# shellcheck shell=bash
# shellcheck disable=SC2034 # the arrays and variables set here are read by the scripts that source this file
# Shell functions shared by the benchmark scripts (bench/throughput, bench/latency/run, bench/failover).
# Sourced, not run. check_reference works on its own; the others need tests/integration/netns-lib.sh sourced
# first (ns, in_ns, start_helper, wait_for, has_address, log) and NIMBUS_HELPER set.
#
# Per tunnel ("path") the functions fill these arrays: the address ping and iperf3 aim at in b (target), the
# tunnel device in a and in b (device[PATH/HOST]), the pids of its two processes (vpn_pids) and a description of
# its set-up (about).
declare -A target=() device=() vpn_pids=() about=()

# check_reference PATH : PATH must be an executable VpnCloud 2.x. Sets reference (its absolute path) and
# reference_version (the first line of --version); exits with status 2 otherwise.
check_reference() {
    reference=$1
    [ -x "$reference" ] || { echo "--reference: not executable: $reference" >&2; exit 2; }
    reference=$(realpath "$reference")
    reference_version=$("$reference" --version 2>&1 | head -n 1)
    case "$reference_version" in
        *VpnCloud\ v2.*|*vpncloud\ 2.*) ;;
        *) echo "--reference: $reference does not look like VpnCloud 2.x (--version: $reference_version)" >&2; exit 2 ;;
    esac
}

# make_veth_pair : namespaces "a" (192.0.2.1) and "b" (192.0.2.2) joined by one veth pair (eth0 in both), each
# with a default route on it: VpnCloud 2.3 connects a UDP socket to 8.8.8.8 to learn its own address (it panics
# without a route; nothing is sent) and takes its MTU from the default route's device. No forwarding: nothing
# leaves the namespaces. Sets veth_mtu.
make_veth_pair() {
    local host
    for host in a b; do
        ip netns add "$(ns $host)"
        _nimbus_namespaces+=("$(ns $host)")
        ip -n "$(ns $host)" link set lo up
    done
    ip -n "$(ns a)" link add eth0 type veth peer name eth0 netns "$(ns b)"
    ip -n "$(ns a)" addr add 192.0.2.1/24 dev eth0
    ip -n "$(ns b)" addr add 192.0.2.2/24 dev eth0
    for host in a b; do
        ip -n "$(ns $host)" link set eth0 up
        ip -n "$(ns $host)" route add default dev eth0
    done
    veth_mtu=$(in_ns a cat /sys/class/net/eth0/mtu)
}

# start_nimbus_pair ALGORITHM : a nimbus-helper ($NIMBUS_HELPER) in each namespace (10.1.0.1 and 10.1.0.2, port
# 3210, device vpncloud0; a connects to b), started with netns-lib's start_helper (helper_pid a, ctl a work);
# waits until the tunnel carries a ping. Fills the arrays for path "nimbus".
start_nimbus_pair() {
    local algorithm=$1
    start_helper b --password benchpw --ip 10.1.0.2 --algorithm "$algorithm"
    disown "$(helper_pid b)"
    start_helper a --password benchpw --ip 10.1.0.1 --algorithm "$algorithm" -c 192.0.2.2:3210
    disown "$(helper_pid a)"
    wait_for "the Nimbus tunnel" 20 in_ns a ping -c 1 -W 1 10.1.0.2
    target[nimbus]=10.1.0.2
    device[nimbus/a]=vpncloud0
    device[nimbus/b]=vpncloud0
    vpn_pids[nimbus]="$(helper_pid a) $(helper_pid b)"
    about[nimbus]="nimbus-helper, asked for $algorithm"
}

# start_other_nimbus_pair PATH BINARY NET PORT ALGORITHM : another nimbus-helper build (BINARY) beside the first
# pair, as path PATH: 10.NET.0.1 and 10.NET.0.2, UDP port PORT, device nbNET, control sockets
# $NIMBUS_TEST_TMP/PATH-HOST.sock; a connects to b. For comparing two builds in the same run.
start_other_nimbus_pair() {
    local path=$1 binary=$2 net=$3 port=$4 algorithm=$5 host n
    for host in b a; do
        n=$(host_number $host)
        local args=(--control-socket "$NIMBUS_TEST_TMP/$path-$host.sock" --password benchpw --ip "10.$net.0.$n"
            --algorithm "$algorithm" -l "$port" -d "nb$net")
        [ $host = a ] && args+=(-c "192.0.2.2:$port")
        start_vpn "$path" $host "$binary" "${args[@]}"
        wait_for "the control socket of $path in $host" 10 test -S "$NIMBUS_TEST_TMP/$path-$host.sock"
        device[$path/$host]=nb$net
    done
    target[$path]=10.$net.0.2
    wait_for "the $path tunnel" 20 in_ns a ping -c 1 -W 1 "10.$net.0.2"
    about[$path]="nimbus-helper $binary, asked for $algorithm"
}

# start_vpn PATH HOST COMMAND... : runs COMMAND in HOST's namespace with its output in
# $NIMBUS_TEST_TMP/PATH-HOST.log and adds its pid to vpn_pids[PATH] (ip netns exec and env exec it, so $! is
# the VPN process itself).
start_vpn() {
    local path=$1 host=$2; shift 2
    ip netns exec "$(ns "$host")" "$@" > "$NIMBUS_TEST_TMP/$path-$host.log" 2>&1 &
    vpn_pids[$path]="${vpn_pids[$path]:-}${vpn_pids[$path]:+ }$!"
    disown $!
}

host_number() { [ "$1" = a ] && echo 1 || echo 2; }

# start_vpncloud_pair ALGORITHM [MTU] : the real VpnCloud ($reference, see check_reference) in each namespace,
# with the helpers' flags but its own subnet (10.5.0.x), UDP port 3211 and device vcref0, so that it runs beside
# them; a connects to b. It has no control socket: waits for its TUN address (b first, so that a finds it
# listening), then for a ping through it. MTU (if given) is set on vcref0 where VpnCloud chose another. Fills
# the arrays for path "vpncloud"; about[vpncloud] names the algorithms its log says it allows (with one algorithm
# allowed, that is the one used).
start_vpncloud_pair() {
    local algorithm=$1 mtu=${2:-} host n own
    for host in b a; do
        n=$(host_number $host)
        local args=(--password benchpw --ip "10.5.0.$n" --algorithm "$algorithm" -l 3211 -d vcref0)
        [ $host = a ] && args+=(-c 192.0.2.2:3211)
        start_vpn vpncloud $host "$reference" "${args[@]}"
        wait_for "the TUN address of VpnCloud in $host" 10 has_address $host "10.5.0.$n"
        own=$(in_ns $host cat /sys/class/net/vcref0/mtu)
        if [ -n "$mtu" ] && [ "$own" != "$mtu" ]; then
            log "VpnCloud in $host set MTU $own on vcref0; setting $mtu like the other tunnels"
            in_ns $host ip link set vcref0 mtu "$mtu"
        fi
        device[vpncloud/$host]=vcref0
    done
    target[vpncloud]=10.5.0.2
    wait_for "the VpnCloud tunnel" 30 in_ns a ping -c 1 -W 1 10.5.0.2
    # VpnCloud logs the algorithms it allows ("Crypto speeds: NAME: SPEED, ..."), not the negotiated one.
    local allowed
    allowed=$(sed -n 's/.*Crypto speeds: //p' "$NIMBUS_TEST_TMP/vpncloud-a.log" | head -n 1 \
        | sed 's/: [0-9.]* MiB\/s//g')
    about[vpncloud]="$reference_version, asked for $algorithm, allows ${allowed:-(not logged)} (its log)"
}
