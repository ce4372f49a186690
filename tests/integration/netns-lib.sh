#!/usr/bin/env bash
# Shared helpers for integration tests that run real nimbus-helper processes in network namespaces.
# Every namespace, device, process and file is named after a per-run prefix and removed on exit (also on failure).
set -euo pipefail

NIMBUS_TEST_PREFIX=${NIMBUS_TEST_PREFIX:-nim$$}
NIMBUS_TEST_TMP=$(mktemp -d "/tmp/${NIMBUS_TEST_PREFIX}.XXXXXX")
_nimbus_namespaces=()
NIMBUS_EXTRA_PIDS=() # processes outside the namespaces (e.g. a GUI) that cleanup must end too

skip_unless_root()
{
    if [ "$(id -u)" -ne 0 ]; then
        echo "SKIP: needs root (network namespaces, TUN devices)"
        exit 77
    fi
    for tool in ip socat ping; do
        command -v "$tool" >/dev/null || { echo "SKIP: $tool is missing"; exit 77; }
    done
}

log() { printf '[%s] %s\n' "$(date +%T.%3N)" "$*"; }
die() { log "FAIL: $*"; exit 1; }

ns() { echo "${NIMBUS_TEST_PREFIX}-$1"; }
in_ns() { local n=$1; shift; ip netns exec "$(ns "$n")" "$@"; }

cleanup()
{
    local status=$?
    set +e
    [ ${#NIMBUS_EXTRA_PIDS[@]} -gt 0 ] && kill "${NIMBUS_EXTRA_PIDS[@]}" 2>/dev/null
    for n in "${_nimbus_namespaces[@]}"; do
        local pids
        pids=$(ip netns pids "$n" 2>/dev/null)
        [ -n "$pids" ] && kill -9 $pids 2>/dev/null
    done
    sleep 0.2
    for n in "${_nimbus_namespaces[@]}"; do
        ip netns del "$n" 2>/dev/null
        rm -rf "/etc/netns/$n"
    done
    if [ $status -ne 0 ] && [ -d "$NIMBUS_TEST_TMP" ]; then
        for f in "$NIMBUS_TEST_TMP"/*.log; do
            [ -f "$f" ] || continue
            echo "----- $(basename "$f") (last 40 lines)"
            tail -n 40 "$f"
        done
    fi
    rm -rf "$NIMBUS_TEST_TMP"
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# make_lan HOST... : one bridge namespace "lan" and one namespace per host, each with eth0 on 192.0.2.0/24
# (TEST-NET-1, only inside these namespaces). Host i gets 192.0.2.(10+i); /etc/netns/<ns>/hosts names them all.
make_lan()
{
    local lan; lan=$(ns lan)
    ip netns add "$lan"; _nimbus_namespaces+=("$lan")
    ip -n "$lan" link add br0 type bridge
    ip -n "$lan" link set br0 up
    ip -n "$lan" link set lo up
    local i=1 hosts="" name
    for name in "$@"; do
        hosts+="192.0.2.$((10 + i)) $name"$'\n'
        i=$((i + 1))
    done
    i=1
    for name in "$@"; do
        local n; n=$(ns "$name")
        ip netns add "$n"; _nimbus_namespaces+=("$n")
        ip -n "$lan" link add "v$i" type veth peer name eth0 netns "$n"
        ip -n "$lan" link set "v$i" master br0 up
        ip -n "$n" link set lo up
        ip -n "$n" addr add "192.0.2.$((10 + i))/24" dev eth0
        ip -n "$n" link set eth0 up
        mkdir -p "/etc/netns/$n"
        printf '127.0.0.1 localhost\n%s' "$hosts" > "/etc/netns/$n/hosts"
        i=$((i + 1))
    done
}

# start_helper HOST ARGS... : runs nimbus-helper in HOST's namespace, log in $NIMBUS_TEST_TMP/HOST.log,
# control socket $NIMBUS_TEST_TMP/HOST.sock; sets HELPER_PID_<HOST>.
start_helper()
{
    local host=$1; shift
    # Not through in_ns: $! must be the helper itself (ip netns exec execs it), not a subshell.
    ip netns exec "$(ns "$host")" "$NIMBUS_HELPER" --control-socket "$NIMBUS_TEST_TMP/$host.sock" "$@" \
        > "$NIMBUS_TEST_TMP/$host.log" 2>&1 &
    printf -v "HELPER_PID_${host//-/_}" '%s' "$!"
    wait_for "control socket of $host" 10 test -S "$NIMBUS_TEST_TMP/$host.sock"
}

helper_pid() { local v="HELPER_PID_${1//-/_}"; echo "${!v}"; }

# wait_for DESCRIPTION SECONDS COMMAND... : polls every 0.1 s.
wait_for()
{
    local what=$1 limit=$2; shift 2
    local deadline=$(( $(date +%s%N) + limit * 1000000000 ))
    until "$@" >/dev/null 2>&1; do
        [ "$(date +%s%N)" -lt "$deadline" ] || die "timed out after ${limit}s waiting for $what"
        sleep 0.1
    done
}

ctl() { local host=$1; shift; "$NIMBUSCTL" --socket "$NIMBUS_TEST_TMP/$host.sock" "$@"; }

# max_reply_gap PINGLOG : the longest gap in seconds between consecutive echo replies of `ping -D`.
max_reply_gap()
{
    awk -F'[][]' '/bytes from/ { t = $2 + 0; if (last && t - last > max) max = t - last; last = t }
                  END { printf "%.3f", max }' "$1"
}

# events_of HOST EVENT : the control events of that name HOST's helper published so far, one JSON per line.
events_of() { ctl "$1" --json events | grep "\"event\": *\"$2\"" || true; }

# expect_failover HOST OLD NEW : HOST's helper reported a route.failover from the node at address OLD to the one at
# NEW, for a reason that means the old one failed; prints the event.
expect_failover()
{
    ctl "$1" --json events > "$NIMBUS_TEST_TMP/events-$1.json"
    python3 - "$NIMBUS_TEST_TMP/events-$1.json" "$2" "$3" <<'PY'
import json, sys
path, old, new = sys.argv[1:]
events = [json.loads(line) for line in open(path) if line.strip()]
found = [e for e in events if e.get("event") == "route.failover"
         and (e["data"].get("from") or {}).get("address") == old
         and (e["data"].get("to") or {}).get("address") == new]
if not found:
    sys.exit("no route.failover from %s to %s in %d events" % (old, new, len(events)))
data = found[-1]["data"]
print("failover event: range %s reason %s unreachable %d ms" % (data["range"], data["reason"], data["unreachableMs"]))
assert data["reason"] in ("unreachable", "timeout", "closed"), data
assert data["unreachableMs"] >= 0
PY
}

# reaches HOST ADDRESS : one ping from HOST to ADDRESS is answered within a second.
reaches() { in_ns "$1" ping -c 1 -W 1 "$2" >/dev/null 2>&1; }

# start_responder HOST NAME ADDRESS : a TCP responder on ADDRESS:8000 answering NAME.
has_address() { in_ns "$1" ip -o addr show | grep -q " inet $2/"; }

start_responder()
{
    wait_for "address $3 in $1" 10 has_address "$1" "$3"
    in_ns "$1" socat "TCP-LISTEN:8000,bind=$3,reuseaddr,fork" "SYSTEM:echo $2" >/dev/null 2>&1 &
}

# ask HOST ADDRESS : prints who answers on ADDRESS:8000 seen from HOST (empty if nobody within 1 s).
ask() { in_ns "$1" timeout 2 socat -T1 - "TCP:$2:8000,connect-timeout=1" </dev/null 2>/dev/null || true; }
