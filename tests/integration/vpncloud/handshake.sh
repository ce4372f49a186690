#!/usr/bin/env bash
# Handshake and data between nimbus-helper and the real VpnCloud 2.3.0, in all three roles: Nimbus initiates,
# VpnCloud initiates, both at once. ALGORITHM (default, chacha20, aes256, plain) is given to both sides. In each role:
# the negotiated algorithm and the initiator as Nimbus reports them, ping both ways through both TUN devices and a
# TCP transfer both ways whose SHA-256 must match.
# Usage: handshake.sh NIMBUS_HELPER NIMBUSCTL REFERENCE_STATE_DIR ALGORITHM
. "$(dirname "$0")/vc-lib.sh"
algorithm=$4
algo_args=()
case "$algorithm" in
    default) expect='AES256|CHACHA20' ;;
    chacha20) expect=CHACHA20; algo_args=(--algorithm chacha20) ;;
    aes256)
        grep -qw aes /proc/cpuinfo || { echo "SKIP: this CPU has no AES-NI; Nimbus offers AES-256 only with it"; exit 77; }
        expect=AES256; algo_args=(--algorithm aes256) ;;
    plain) expect=PLAIN; algo_args=(--algorithm plain) ;;
    *) die "unknown algorithm $algorithm" ;;
esac

make_lan nim vc
common=(--password interop-pw --peer-timeout 30 --keepalive 5 "${algo_args[@]}")

# peer_json : Nimbus's view of its one peer, as JSON.
peer_json() { ctl nim --json peers | python3 -c 'import json,sys; p=json.load(sys.stdin)["peers"]; print(json.dumps(p[0] if len(p)==1 else {}))'; }
connected() { [ "$(peer_json)" != "{}" ]; }

run_role()
{
    local role=$1
    log "---- role: $role, algorithm: $algorithm"
    case "$role" in
        nimbus-initiates)
            start_vpncloud vc "${common[@]}" --ip 10.1.0.2/24
            sleep 0.5
            start_helper nim "${common[@]}" --ip 10.1.0.1/24 -c vc:3210 ;;
        vpncloud-initiates)
            start_helper nim "${common[@]}" --ip 10.1.0.1/24
            start_vpncloud vc "${common[@]}" --ip 10.1.0.2/24 -c nim:3210 ;;
        both)
            start_vpncloud vc "${common[@]}" --ip 10.1.0.2/24 -c nim:3210
            start_helper nim "${common[@]}" --ip 10.1.0.1/24 -c vc:3210 ;;
    esac
    wait_for "the nodes to connect ($role)" 20 connected
    local info negotiated initiator
    info=$(peer_json)
    negotiated=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["algorithm"])' "$info")
    initiator=$(python3 -c 'import json,sys; print(str(json.loads(sys.argv[1])["initiator"]).lower())' "$info")
    log "Nimbus sees VpnCloud: algorithm $negotiated, Nimbus initiated: $initiator"
    [[ "$negotiated" =~ ^($expect)$ ]] || die "negotiated $negotiated, expected $expect"
    case "$role" in
        nimbus-initiates) [ "$initiator" = true ] || die "Nimbus should have been the initiator" ;;
        vpncloud-initiates) [ "$initiator" = false ] || die "VpnCloud should have been the initiator" ;;
    esac
    wait_for "VpnCloud to answer a ping through the tunnel" 15 reaches nim 10.1.0.2
    wait_for "Nimbus to answer a ping through the tunnel" 15 reaches vc 10.1.0.1
    in_ns nim ping -c 20 -i 0.05 -W 1 -q 10.1.0.2 | grep -q ' 20 received' || die "ping nim -> vc lost replies"
    in_ns vc ping -c 20 -i 0.05 -W 1 -q 10.1.0.1 | grep -q ' 20 received' || die "ping vc -> nim lost replies"
    tcp_transfer nim vc 10.1.0.2 4000000
    tcp_transfer vc nim 10.1.0.1 4000000
    no_crash nim vc
    grep -Eq "Connected to|Connection to .* established|Added peer" "$NIMBUS_TEST_TMP/vc.log" \
        || log "note: VpnCloud's log has no connect line"
    # A clean shutdown on both sides (SIGTERM: both send CLOSE).
    stop_node nim
    stop_node vc
    cp "$NIMBUS_TEST_TMP/vc.log" "$NIMBUS_TEST_TMP/vc-$role.txt"
    cp "$NIMBUS_TEST_TMP/nim.log" "$NIMBUS_TEST_TMP/nim-$role.txt"
}

for role in nimbus-initiates vpncloud-initiates both; do
    run_role "$role"
done
log "PASS"
