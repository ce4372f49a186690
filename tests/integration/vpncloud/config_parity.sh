#!/usr/bin/env bash
# Config parity between nimbus-helper and the real VpnCloud 2.3.0. Every config file — the shared vectors
# (../shared/vectors/config/node-a.yaml, node-b.yaml) and the small files in configs/ — is started with
# `--config FILE` by each program in turn, in the same fresh network namespace, from a folder of its own (relative
# paths in the file, e.g. stats-file and hooks, resolve against it). It proves:
#  - both accept the file (still running after 2 s) or both refuse it (exit within 2 s); VpnCloud's exit status is
#    checked too (255 = error exit, 101 = panic, 0 = no password or key, spec §9.1);
#  - where Nimbus refuses a file, it exits with status 2 and its message names the key (or the YAML line);
#  - where both accept a file, they end up alike: the device (name, TUN/TAP, MTU, up or down, IPv4 address and
#    prefix), the peers and claims a Nimbus observer node sees (the observer sits where the file's `peers` point,
#    192.0.2.12, or dials the node when the file names no peer), the negotiated algorithm where the file allows only
#    one, what the file's hook scripts wrote (node ids masked) and which files the node created.
# Every known difference is in the case table below with the reason: documented in the README ("Compatibility notes":
# 1.x config format, beacons), a VpnCloud quirk, or a deliberate Nimbus choice; any other difference fails the test.
# Usage: config_parity.sh NIMBUS_HELPER NIMBUSCTL REFERENCE_STATE_DIR
# The shared folder is $NIMBUS_SHARED_DIR, else ../../../../shared next to this script.
. "$(dirname "$0")/vc-lib.sh"

here=$(cd "$(dirname "$0")" && pwd)
NIMBUS_HELPER=$(readlink -f "$NIMBUS_HELPER") # each node runs in a folder of its own
shared=${NIMBUS_SHARED_DIR:-$here/../../../../shared}
vectors=$shared/vectors/config
configs=$here/configs
if [ ! -f "$vectors/node-a.yaml" ] || [ ! -f "$vectors/node-b.yaml" ]; then
    die "the config vectors are missing: $vectors (set NIMBUS_SHARED_DIR to the shared folder)"
fi

# Node B's key pair (vectors/config/node-b.yaml, from `vpncloud genkey --password mysecret`).
key_b_private=gl7NxDMlseGFwPinpMcAmi4zwJWFV9WqqfDld3Tz2Lg
key_b_public=BKjSRllQbxo8m6ooLv7WvOphbbq8WJsYzt55OS4UQWd

# The node under test is host 1 (192.0.2.11), the observer host 2 (192.0.2.12, named "obs" in /etc/hosts).
make_lan node obs
for host in node obs; do
    # VpnCloud finds its own address through the route to 8.8.8.8 and panics without one; the gateway need not exist.
    in_ns "$host" ip route add default via 192.0.2.1
    # Names resolve from /etc/hosts only, and a failed lookup fails at once (no DNS server to wait for).
    echo "nameserver 127.0.0.1" > "/etc/netns/$(ns "$host")/resolv.conf"
done

declare -A seen # field values of the current case, "KIND.FIELD" -> value
table=()        # rows of the result table, "config|vpncloud|nimbus|compared fields"
failures=()

fail_case() { failures+=("$1: $2"); log "  MISMATCH: $2"; }

# device_fields : the node's devices (all but lo and eth0) as device=, mtu=, up= and address= lines.
device_fields()
{
    ip -n "$(ns node)" -j addr show | python3 -c '
import json, sys
devices = [d for d in json.load(sys.stdin) if d["ifname"] not in ("lo", "eth0")]
def each(f): return ",".join(f(d) for d in devices) or "none"
print("device=" + each(lambda d: d["ifname"] + "/" + {"none": "tun", "ether": "tap"}.get(d.get("link_type"), d.get("link_type", "?"))))
print("mtu=" + each(lambda d: str(d.get("mtu"))))
print("up=" + each(lambda d: "up" if "UP" in d.get("flags", []) else "down"))
print("address=" + each(lambda d: " ".join(a["local"] + "/" + str(a["prefixlen"]) for a in d.get("addr_info", []) if a.get("family") == "inet") or "-"))'
}

# observer_fields : the peers as the observer sees them: peers= (address and who dialled), claims=, algorithm=.
observer_fields()
{
    ctl obs --json peers | python3 -c '
import json, sys
peers = sorted(json.load(sys.stdin)["peers"], key=lambda p: p["address"])
print("peers=" + (", ".join(p["address"] + (" observer dialled" if p["initiator"] else " node dialled") for p in peers) or "none"))
print("claims=" + (" ".join(sorted(c for p in peers for c in p["claims"])) or "-"))
print("algorithm=" + (" ".join(p["algorithm"] for p in peers) or "-"))'
}

# created_files DIR CONFIG : the files the node created in its folder, sorted.
created_files()
{
    local f names=()
    for f in "$1"/* "$1"/.[!.]*; do
        [ -e "$f" ] || continue
        f=${f##*/}
        case "$f" in "$2" | stdout.log | stderr.log | control.sock) ;; *) names+=("$f") ;; esac
    done
    echo "${names[*]}"
}

observer_connected() { ctl obs --json peers 2>/dev/null | grep -q '"nodeId"'; }

# run_one KIND CASE FILE OBSERVER_ARGS HOOKFILE : runs KIND (vpncloud or nimbus) with --config FILE. Sets outcome
# (accepted, or refused:STATUS) and, if accepted, seen[KIND.*]. The node's folder is $NIMBUS_TEST_TMP/CASE-KIND.
run_one()
{
    local kind=$1 name=$2 file=$3 observer=$4 hookfile=$5
    local dir=$NIMBUS_TEST_TMP/$name-$kind
    mkdir -p "$dir"
    cp "$file" "$dir/"
    local config; config=$(basename "$file")
    if [ -n "$observer" ]; then
        # shellcheck disable=SC2086 # the observer's arguments are words
        start_helper obs $observer
    fi
    local cmd=("$VPNCLOUD" --config "$config")
    [ "$kind" = nimbus ] && cmd=("$NIMBUS_HELPER" --control-socket "$dir/control.sock" --config "$config")
    # exec: $! is the program itself (ip netns exec execs it too).
    (cd "$dir" && exec ip netns exec "$(ns node)" "${cmd[@]}" >"$dir/stdout.log" 2>"$dir/stderr.log") &
    HELPER_PID_node=$!
    local pid=$HELPER_PID_node _
    for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if ! kill -0 "$pid" 2>/dev/null; then
        local status=0
        wait "$pid" || status=$?
        outcome=refused:$status
    else
        outcome=accepted
        if [ -n "$observer" ]; then
            local deadline=$(($(date +%s) + 10))
            until observer_connected || [ "$(date +%s)" -ge "$deadline" ]; do sleep 0.1; done
            sleep 0.3 # the claims and the hooks of the handshake
            if [ -n "$hookfile" ]; then
                deadline=$(($(date +%s) + 3))
                until grep -q connected "$dir/$hookfile" 2>/dev/null || [ "$(date +%s)" -ge "$deadline" ]; do
                    sleep 0.1
                done
            fi
        fi
        local line
        while IFS= read -r line; do seen[$kind.${line%%=*}]=${line#*=}; done < <(
            device_fields
            [ -n "$observer" ] && observer_fields
            if [ -n "$hookfile" ]; then
                # Node ids differ from run to run; hooks run in the background, so their order may vary. A
                # peer_disconnected without a node id is a handshake that failed for good; both programs run it, and
                # whether the harmless race of spec §3.10 (a duplicate PENG) happens differs from run to run.
                echo "hook=$(sed -E 's/\b[0-9a-f]{32}\b/<node-id>/g' "$dir/$hookfile" 2>/dev/null \
                    | grep -Ev '^(peer_)?disconnected( [^<]*)?$' | sort -u | paste -sd'|')"
            fi
            echo "files=$(created_files "$dir" "$config")"
        )
        stop_node node
    fi
    if [ -n "$observer" ]; then
        kill "$(helper_pid obs)" 2>/dev/null || true
        wait "$(helper_pid obs)" 2>/dev/null || true
        rm -f "$NIMBUS_TEST_TMP/obs.sock"
    fi
    # The next run must find the namespace as it was: no device left behind.
    local _left
    for _left in $(seq 50); do [ "$(device_fields | head -1)" = "device=none" ] && break; sleep 0.1; done
    [ "$(device_fields | head -1)" = "device=none" ] || die "a device of $kind ($name) was left behind"
}

# check NAME FILE [OPTION=VALUE...] : one case. Options:
#   vc=accept|STATUS      what VpnCloud must do (STATUS = its exit status when it refuses); default 255
#   nim=accept|STATUS     what Nimbus must do; default 2
#   key=TEXT              Nimbus's message (stderr) must contain TEXT when it refuses
#   observer=ARGS         compare the running nodes through an observer started with these nimbus-helper arguments
#   hook=FILE             compare what the hooks wrote to FILE (in the node's folder)
#   diff=FIELD:VC:NIM     a known difference of a compared field: VpnCloud shows VC, Nimbus NIM
#   log=TEXT              Nimbus's log must contain TEXT
#   algorithm=compare     compare the negotiated algorithm too (only where the file allows one: else VpnCloud picks
#                         by its speed test)
#   why=TEXT              the reason for a known difference (required for every difference)
check()
{
    local name=$1 file=$2; shift 2
    local vc=255 nim=2 key="" observer="" hook="" why="" nimlog="" algorithm=no diffs=() opt
    for opt in "$@"; do
        case "$opt" in
            vc=*) vc=${opt#vc=} ;;
            nim=*) nim=${opt#nim=} ;;
            key=*) key=${opt#key=} ;;
            observer=*) observer=${opt#observer=} ;;
            hook=*) hook=${opt#hook=} ;;
            diff=*) diffs+=("${opt#diff=}") ;;
            log=*) nimlog=${opt#log=} ;;
            algorithm=*) algorithm=${opt#algorithm=} ;;
            why=*) why=${opt#why=} ;;
            *) die "check $name: unknown option $opt" ;;
        esac
    done
    [ -f "$file" ] || die "check $name: no file $file"
    local differs=no
    [ "$vc" = accept ] && [ "$nim" != accept ] && differs=yes
    [ "$vc" != accept ] && [ "$nim" = accept ] && differs=yes
    [ ${#diffs[@]} -gt 0 ] && differs=yes
    [ $differs = yes ] && [ -z "$why" ] && die "check $name: a known difference needs why=..."
    log "---- $name"
    seen=()
    local vc_outcome nim_outcome
    run_one vpncloud "$name" "$file" "$observer" "$hook"
    # VpnCloud 2.3.0 gives up when two waits in a row are interrupted by a signal ("Poll wait failed again");
    # seen once in CI with the hook of ok-tap-switch. That is the reference tripping, not a verdict on the file:
    # run it once more.
    if [ "$outcome" != accepted ] \
        && grep -q 'Poll wait failed again' "$NIMBUS_TEST_TMP/$name-vpncloud/stdout.log" \
            "$NIMBUS_TEST_TMP/$name-vpncloud/stderr.log" 2>/dev/null; then
        log "  vpncloud: interrupted wait (VpnCloud's own failure), running it again"
        rm -rf "$NIMBUS_TEST_TMP/$name-vpncloud"
        run_one vpncloud "$name" "$file" "$observer" "$hook"
    fi
    vc_outcome=$outcome
    run_one nimbus "$name" "$file" "$observer" "$hook"
    nim_outcome=$outcome
    local nimdir=$NIMBUS_TEST_TMP/$name-nimbus vcdir=$NIMBUS_TEST_TMP/$name-vpncloud
    log "  vpncloud: $vc_outcome $(grep -Ehm1 '^ERROR|panicked' "$vcdir/stdout.log" "$vcdir/stderr.log" | cut -c1-150)"
    log "  nimbus:   $nim_outcome $(grep -Ehm1 '^nimbus-helper:' "$nimdir/stderr.log" | cut -c1-150)"

    local want_vc=accepted want_nim=accepted
    [ "$vc" = accept ] || want_vc=refused:$vc
    [ "$nim" = accept ] || want_nim=refused:$nim
    [ "$vc_outcome" = "$want_vc" ] || fail_case "$name" "VpnCloud: $vc_outcome, expected $want_vc"
    [ "$nim_outcome" = "$want_nim" ] || fail_case "$name" "Nimbus: $nim_outcome, expected $want_nim"

    local compared=""
    if [ "$nim_outcome" != accepted ] && [ -n "$key" ]; then
        if grep -qF -- "$key" "$nimdir/stderr.log"; then
            compared="Nimbus names \"$key\""
        else
            fail_case "$name" "Nimbus's message does not name \"$key\": $(head -c 300 "$nimdir/stderr.log")"
        fi
    fi
    if [ -n "$nimlog" ]; then
        grep -qF -- "$nimlog" "$nimdir/stdout.log" "$nimdir/stderr.log" \
            || fail_case "$name" "Nimbus's log does not say \"$nimlog\""
    fi
    if [ "$vc_outcome" = accepted ] && [ "$nim_outcome" = accepted ]; then
        local field fields=(device mtu up address) parts=() d known
        [ -n "$observer" ] && fields+=(peers claims)
        [ "$algorithm" = compare ] && fields+=(algorithm)
        [ -n "$hook" ] && fields+=(hook)
        fields+=(files)
        for field in "${fields[@]}"; do
            local a=${seen[vpncloud.$field]-} b=${seen[nimbus.$field]-}
            known=""
            for d in "${diffs[@]}"; do
                [ "${d%%:*}" = "$field" ] && known=$d
            done
            if [ -n "$known" ]; then
                local rest=${known#*:}
                if [ "$a" = "${rest%%:*}" ] && [ "$b" = "${rest#*:}" ]; then
                    parts+=("$field: vpncloud $a, nimbus $b (known)")
                else
                    fail_case "$name" "$field: vpncloud \"$a\", nimbus \"$b\"; the known difference is \"${rest%%:*}\" vs \"${rest#*:}\""
                fi
            elif [ "$a" = "$b" ]; then
                case "$field" in
                    hook) parts+=("hook ok") ;;
                    *) parts+=("$field $a") ;;
                esac
            else
                fail_case "$name" "$field differs: vpncloud \"$a\", nimbus \"$b\""
            fi
        done
        [ -n "$observer" ] && [ "${seen[vpncloud.peers]-none}" = none ] && fail_case "$name" "the observer saw no peer"
        compared=$(printf '%s; ' "${parts[@]}")
        compared=${compared%; }
    fi
    [ -n "$why" ] && compared+="${compared:+; }known difference: $why"
    table+=("$name|$vc_outcome|$nim_outcome|${compared:--}")
}

start=$(date +%s)

# ---- The shared vectors: accepted by both, compared.
# node-a names the observer's address as its peer; its hooks write to ./hook-a.txt, its stats to ./stats-a.txt.
check node-a "$vectors/node-a.yaml" vc=accept nim=accept hook=hook-a.txt \
    observer="--password mysecret --ip 10.0.2.2/24"
# node-b names no peer, so the observer dials it; node-b trusts only its own key, so the observer uses that key pair.
check node-b "$vectors/node-b.yaml" vc=accept nim=accept \
    observer="--private-key $key_b_private --public-key $key_b_public --ip 10.0.2.1/24 -c 192.0.2.11:3210"

# ---- Files of our own that both accept, compared.
check ok-password-and-key "$configs/ok-password-and-key.yaml" vc=accept nim=accept \
    observer="--private-key $key_b_private --public-key $key_b_public --ip 10.0.3.2/24 -c 192.0.2.11:3210"
check ok-claims-listen "$configs/ok-claims-listen.yaml" vc=accept nim=accept algorithm=compare \
    observer="--password mysecret --ip 10.0.9.2/16"
check ok-tap-switch "$configs/ok-tap-switch.yaml" vc=accept nim=accept hook=events.txt \
    observer="--password mysecret --ip 10.0.7.2/24 -c 192.0.2.11:3300"
# README: beacons are accepted and ignored with a warning, so only VpnCloud writes the beacon file.
check ok-beacons "$configs/ok-beacons.yaml" vc=accept nim=accept \
    observer="--password mysecret --ip 10.0.4.2/24 -c 192.0.2.11:3210" \
    "diff=files:beacon.out:" log="Beacons are not supported by Nimbus" \
    why="beacons accepted and ignored (README)"
# Without an address VpnCloud leaves the device down (it sets it up when it configures the address, spec §9.8);
# Nimbus sets it up anyway (helper/network.cpp; README, "Compatibility notes").
check ok-no-ip "$configs/ok-no-ip.yaml" vc=accept nim=accept \
    observer="--password mysecret -c 192.0.2.11:3210" \
    "diff=up:down:up" why="Nimbus sets a device without address up (README)"

# ---- Bad files of our own: both refuse; Nimbus exits with 2 and names the key.
# A stats file that cannot be created (its folder does not exist): both stop at start.
check bad-stats-file-dir "$configs/bad-stats-file-dir.yaml" key='stats-file:'
check bad-unknown-key "$configs/bad-unknown-key.yaml" key='"colour"'
check bad-unknown-nested-key "$configs/bad-unknown-nested-key.yaml" key='"device.nmae"'
check bad-snake-case-key "$configs/bad-snake-case-key.yaml" key='"peer_timeout"'
check bad-peers-not-a-list "$configs/bad-peers-not-a-list.yaml" key='peers:'
check bad-bool-no "$configs/bad-bool-no.yaml" key='auto-claim:'
check bad-quoted-bool "$configs/bad-quoted-bool.yaml" key='auto-claim:'
check bad-quoted-number "$configs/bad-quoted-number.yaml" key='peer-timeout:'
check bad-leading-zero "$configs/bad-leading-zero.yaml" key='switch-timeout:'
check bad-negative-timeout "$configs/bad-negative-timeout.yaml" key='peer-timeout:'
check bad-garbage-timeout "$configs/bad-garbage-timeout.yaml" key='peer-timeout:'
check bad-ip "$configs/bad-ip.yaml" key='ip:'
check bad-ip-prefix "$configs/bad-ip-prefix.yaml" key='ip:'
check bad-mode "$configs/bad-mode.yaml" key='mode:'
check bad-listen "$configs/bad-listen.yaml" key='listen:'
check bad-listen-port "$configs/bad-listen-port.yaml" key='listen:'
check bad-claim-not-a-range "$configs/bad-claim-not-a-range.yaml" key='claims[0]:'
check bad-duplicate-key "$configs/bad-duplicate-key.yaml" key='duplicate key "ip"'
check bad-peer-port "$configs/bad-peer-port.yaml" key='peers[0]:'
check bad-advertise-address "$configs/bad-advertise-address.yaml" key='advertise-addresses[0]:'
# Syntax errors name the line, not a key.
check bad-yaml-syntax "$configs/bad-yaml-syntax.yaml" key='YAML syntax error at line'
check bad-two-documents "$configs/bad-two-documents.yaml" key='single YAML document'
# VpnCloud checks keys, algorithms and the device name only when it starts the node, and panics (status 101).
check bad-algorithm "$configs/bad-algorithm.yaml" vc=101 key='crypto.algorithms[0]:'
check bad-private-key "$configs/bad-private-key.yaml" vc=101 key='crypto.private-key:'
check bad-key-mismatch "$configs/bad-key-mismatch.yaml" vc=101 key='crypto.public-key'
check bad-device-name "$configs/bad-device-name.yaml" vc=101 key='device.name:'
# VpnCloud exits with status 0 when there is neither password nor key (spec §9.1); Nimbus with 2, as for every bad
# configuration (its --help). An empty file is no 2.x file and no 1.x file for VpnCloud (255).
check bad-no-crypto "$configs/bad-no-crypto.yaml" vc=0 key='crypto.password'
check bad-empty "$configs/bad-empty.yaml" key='crypto.password'
# An unknown user is found when the program drops privileges: a runtime failure, status 1 for Nimbus (its --help).
check bad-unknown-user "$configs/bad-unknown-user.yaml" nim=1 key='no-such-user-nimbus'

# ---- Known differences: one program accepts what the other refuses.
# README: VpnCloud's 1.x config format is not supported. VpnCloud reads a file as 1.x when its 2.x reader fails.
check diff-1x-format "$configs/diff-1x-format.yaml" vc=accept key='"shared_key"' \
    why="1.x config format not supported (README)"
# The same fallback: with crypto: ~ the 2.x reader fails, the 1.x reader ignores every 2.x key and VpnCloud runs
# with the password "none" and no address. Nimbus reads the file as 2.x: no password or key.
check diff-crypto-null "$configs/diff-crypto-null.yaml" vc=accept key='crypto.password' \
    why="VpnCloud's 1.x fallback runs it with the password \"none\" (README: 1.x not supported)"
# Deliberate Nimbus leniency (tests/core/config/tst_yamlconfig.cpp "bool True", config.h "case-insensitive", spec §9.2
# "~ means not set", yaml-cpp's YAML 1.2 nulls): these files run on Nimbus; VpnCloud's YAML reader takes only
# lowercase true/false, exact lowercase names, no ~ for lists, and only ~/null as null.
check diff-capitalised-bool "$configs/diff-capitalised-bool.yaml" nim=accept \
    why="Nimbus takes YAML 1.2 True/False (deliberate)"
check diff-capitalised-mode "$configs/diff-capitalised-mode.yaml" nim=accept \
    why="Nimbus takes mode and device type in any case (deliberate)"
check diff-null-list "$configs/diff-null-list.yaml" nim=accept \
    why="Nimbus takes ~ for a list (spec §9.2: ~ means not set)"
check diff-null-spelling "$configs/diff-null-spelling.yaml" nim=accept \
    why="Nimbus takes YAML 1.2 Null/NULL as null (deliberate)"
# Deliberate Nimbus strictness (tests/core/config/tst_yamlconfig.cpp "bad hook event", "bad claim prefix too long",
# "bad statsd server"): VpnCloud takes any hook name (a misspelt one never runs), any prefix length up to 255 and a
# statsd server without a port (its sends then fail).
check diff-hook-event "$configs/diff-hook-event.yaml" vc=accept key='unknown hook event "peer_conected"' \
    why="Nimbus refuses unknown hook events (deliberate)"
check diff-claim-prefix "$configs/diff-claim-prefix.yaml" vc=accept key='claims[0]:' \
    why="Nimbus refuses prefix lengths beyond the address (deliberate)"
check diff-statsd-no-port "$configs/diff-statsd-no-port.yaml" vc=accept key='statsd.server:' \
    why="Nimbus requires HOST:PORT for statsd (deliberate)"
# Runtime: VpnCloud exits when a peer name does not resolve at start; Nimbus keeps running and looks it up again
# (docs/control-protocol.md, unresolvedPeers).
check diff-unresolvable-peer "$configs/diff-unresolvable-peer.yaml" nim=accept \
    why="Nimbus retries unresolvable peers (docs/control-protocol.md)"

# ---- The table.
echo
{
    echo "config|vpncloud|nimbus|compared fields"
    printf '%s\n' "${table[@]}"
} | awk -F'|' '{ rows[NR] = $0; for (i = 1; i <= 3; i++) if (length($i) > w[i]) w[i] = length($i) }
    END { for (r = 1; r <= NR; r++) { split(rows[r], f, "|");
              printf "%-*s | %-*s | %-*s | %s\n", w[1], f[1], w[2], f[2], w[3], f[3], f[4] } }'
echo
log "${#table[@]} configs in $(($(date +%s) - start)) s"
if [ ${#failures[@]} -gt 0 ]; then
    printf '  %s\n' "${failures[@]}"
    die "${#failures[@]} mismatches"
fi
log "PASS"
