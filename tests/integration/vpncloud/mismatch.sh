#!/usr/bin/env bash
# Algorithm mismatch: one side allows only plain, the other only encryption. VpnCloud 2.3.0 and Nimbus both refuse
# the handshake (no common algorithm): no peer on either side, no traffic, and nothing crashes, in both pairings.
# Usage: mismatch.sh NIMBUS_HELPER NIMBUSCTL REFERENCE_STATE_DIR
. "$(dirname "$0")/vc-lib.sh"

make_lan nim vc
common=(--password interop-pw --peer-timeout 30 --keepalive 5)

run_pair()
{
    local nim_algo=$1 vc_algo=$2
    log "---- Nimbus --algorithm $nim_algo, VpnCloud --algorithm $vc_algo (both initiate)"
    start_vpncloud vc "${common[@]}" --algorithm "$vc_algo" --ip 10.1.0.2/24 -c nim:3210
    start_helper nim "${common[@]}" --algorithm "$nim_algo" --ip 10.1.0.1/24 -c vc:3210
    # Several handshake retransmissions (1 s apart on both sides) pass in this time.
    sleep 6
    no_crash nim vc
    local peers
    peers=$(ctl nim --json peers | grep -c nodeId || true)
    [ "$peers" = 0 ] || die "Nimbus connected despite the mismatch: $(ctl nim peers)"
    reaches nim 10.1.0.2 && die "a ping passed despite the mismatch"
    reaches vc 10.1.0.1 && die "a ping passed despite the mismatch"
    ctl nim status >/dev/null || die "Nimbus's control socket stopped answering"
    grep -Eiq 'panic|thread .* panicked' "$NIMBUS_TEST_TMP/vc.log" && die "VpnCloud panicked"
    # Each side logs a refusal when it answers the other's PING as responder. In a simultaneous open the side whose
    # own PING wins ignores the other's (spec 3.11), so which side logs depends on the random salted ids: at least
    # one of them must have refused, and neither connected (checked above).
    local vc_refusals nim_refusals
    vc_refusals=$(grep -c 'error in crypto init' "$NIMBUS_TEST_TMP/vc.log" || true)
    nim_refusals=$(grep -c 'no common algorithms' "$NIMBUS_TEST_TMP/nim.log" || true)
    log "VpnCloud: $vc_refusals refusals; Nimbus: $nim_refusals refusals"
    [ $((vc_refusals + nim_refusals)) -gt 0 ] || die "neither side refused the handshake"
    stop_node nim
    stop_node vc
}

run_pair plain chacha20
run_pair chacha20 plain
log "PASS"
