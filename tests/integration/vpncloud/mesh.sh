#!/usr/bin/env bash
# A mixed mesh: three VpnCloud and three Nimbus nodes, each told only one other node (a chain
# v1 <- n1 <- v2 <- n2 <- v3 <- n3, alternating kinds). Peer lists must complete the mesh: every node reaches every
# other node's address directly (neither program relays in TUN mode), and each Nimbus node lists all five others.
# Usage: mesh.sh NIMBUS_HELPER NIMBUSCTL REFERENCE_STATE_DIR
. "$(dirname "$0")/vc-lib.sh"

nodes=(v1 n1 v2 n2 v3 n3)
make_lan "${nodes[@]}"
common=(--password meshpw --peer-timeout 30 --keepalive 5)
address() { case "$1" in v1) echo 10.3.0.1 ;; n1) echo 10.3.0.2 ;; v2) echo 10.3.0.3 ;; n2) echo 10.3.0.4 ;;
                         v3) echo 10.3.0.5 ;; n3) echo 10.3.0.6 ;; esac; }
kind() { case "$1" in v*) echo vpncloud ;; n*) echo nimbus ;; esac; }
previous=""
for node in "${nodes[@]}"; do
    args=("${common[@]}" --ip "$(address "$node")/24")
    [ -n "$previous" ] && args+=(-c "$previous:3210")
    start_node "$(kind "$node")" "$node" "${args[@]}"
    previous=$node
done

peer_count() { ctl "$1" --json peers | grep -c nodeId || true; }
full_mesh() { local n; for n in n1 n2 n3; do [ "$(peer_count "$n")" = 5 ] || return 1; done; }
wait_for "every Nimbus node to list five peers" 60 full_mesh
log "each Nimbus node has five peers"

pairs=0
for from in "${nodes[@]}"; do
    for to in "${nodes[@]}"; do
        [ "$from" = "$to" ] && continue
        wait_for "$from ($(kind "$from")) to reach $to ($(kind "$to"))" 30 reaches "$from" "$(address "$to")"
        pairs=$((pairs + 1))
    done
done
log "all $pairs ordered pairs reach each other"
no_crash "${nodes[@]}"
log "PASS"
