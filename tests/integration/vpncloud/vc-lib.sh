#!/usr/bin/env bash
# Helpers for the tests that run the real VpnCloud 2.3.0 next to nimbus-helper, on top of netns-lib.sh (every
# namespace, process and file named after a per-run prefix and removed on exit, also on failure).
# A test script is called as: SCRIPT NIMBUS_HELPER NIMBUSCTL REFERENCE_STATE_DIR [ARGS...]
# (REFERENCE_STATE_DIR is what get-reference.sh wrote: the binary's path, or why there is none).
. "$(dirname "${BASH_SOURCE[0]}")/../netns-lib.sh"
NIMBUS_HELPER=$1
NIMBUSCTL=$2
_vc_state=$3
skip_unless_root

# The reference binary, or a visible skip with the reason the fixture recorded.
if [ -s "$_vc_state/path" ]; then
    VPNCLOUD=$(cat "$_vc_state/path")
elif [ -s "$_vc_state/unavailable" ]; then
    echo "SKIP: reference VpnCloud unavailable: $(cat "$_vc_state/unavailable")"
    exit 77
else
    echo "SKIP: reference VpnCloud unavailable: the vpncloud_reference fixture has not run (ctest -L vpncloud runs it)"
    exit 77
fi
[ -x "$VPNCLOUD" ] || { echo "SKIP: reference VpnCloud unavailable: $VPNCLOUD is not executable"; exit 77; }

# start_vpncloud HOST ARGS... : runs the reference VpnCloud in HOST's namespace, log in $NIMBUS_TEST_TMP/HOST.log;
# sets the same pid variable as start_helper (helper_pid HOST works for both). VpnCloud 2.3.0 finds its own address
# by connecting a UDP socket to 8.8.8.8 (no packet is sent) and panics when there is no route; the test namespaces
# have none, so HOST gets a default route into its LAN (a bridge without uplink: nothing can leave).
start_vpncloud()
{
    local host=$1; shift
    ip -n "$(ns "$host")" route show default | grep -q . || ip -n "$(ns "$host")" route add default dev eth0
    ip netns exec "$(ns "$host")" "$VPNCLOUD" "$@" > "$NIMBUS_TEST_TMP/$host.log" 2>&1 &
    printf -v "HELPER_PID_${host//-/_}" '%s' "$!"
}

# start_node KIND HOST ARGS... : KIND is nimbus or vpncloud; the same VpnCloud flags work for both.
start_node()
{
    local kind=$1; shift
    case "$kind" in
        nimbus) start_helper "$@" ;;
        vpncloud) start_vpncloud "$@" ;;
        *) die "unknown node kind $kind" ;;
    esac
}

# alive HOST : the node process of HOST still runs.
alive() { kill -0 "$(helper_pid "$1")" 2>/dev/null; }


# tcp_transfer FROM TO ADDRESS BYTES : sends BYTES random bytes over TCP from FROM to ADDRESS:8001 in TO and
# checks that what arrived has the same SHA-256.
tcp_transfer()
{
    local from=$1 to=$2 address=$3 bytes=$4
    local data=$NIMBUS_TEST_TMP/tcp-$from-$to.bin got=$NIMBUS_TEST_TMP/tcp-$from-$to.got
    head -c "$bytes" /dev/urandom > "$data"
    rm -f "$got"
    in_ns "$to" timeout 60 socat -u "TCP-LISTEN:8001,bind=$address,reuseaddr" "CREATE:$got" &
    local listener=$!
    wait_for "a TCP listener on $address:8001 in $to" 10 \
        bash -c "ip netns exec '$(ns "$to")' ss -Hltn 'sport = :8001' | grep -q LISTEN"
    in_ns "$from" timeout 60 socat -u "OPEN:$data" "TCP:$address:8001,connect-timeout=5" \
        || die "TCP transfer $from -> $to ($address) failed"
    wait "$listener" || die "TCP receiver in $to failed"
    local want have
    want=$(sha256sum < "$data" | cut -c1-64)
    have=$(sha256sum < "$got" | cut -c1-64)
    [ "$want" = "$have" ] || die "TCP transfer $from -> $to: checksum differs ($(stat -c %s "$got") of $bytes bytes arrived)"
    log "TCP $from -> $to ($address): $bytes bytes, sha256 ${want:0:16}… matches"
}

# no_crash HOST... : each node still runs, and no log says it panicked or crashed.
no_crash()
{
    local host
    for host in "$@"; do
        alive "$host" || die "$host's node exited: $(tail -n 5 "$NIMBUS_TEST_TMP/$host.log")"
        if grep -Eiq 'panicked|segmentation|AddressSanitizer|runtime error' "$NIMBUS_TEST_TMP/$host.log"; then
            die "$host's log reports a crash"
        fi
    done
}

# stop_node HOST [SIGNAL] : stops HOST's node (default SIGTERM: an orderly shutdown that sends CLOSE) and waits up to
# 5 s; fails if it does not stop. Removes its control socket so the next start_helper waits for the new one.
stop_node()
{
    local pid; pid=$(helper_pid "$1")
    kill "-${2:-TERM}" "$pid" 2>/dev/null || true
    local _
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && die "$1's node did not stop on SIG${2:-TERM}"
    wait "$pid" 2>/dev/null || true
    rm -f "$NIMBUS_TEST_TMP/$1.sock"
}
