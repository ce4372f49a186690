#!/usr/bin/env bash
# Abuse limits under a real flood (docs/design-notes.md, "Abuse limits"): two helpers with a working tunnel, and a
# third namespace on the same link that floods both for ~10 s with
#   (a) random garbage datagrams (some starting with 0xFF, the init marker) from spoofed addresses and ports,
#   (b) sealed-looking datagrams spoofed from the other helper's address: replays of captured tunnel traffic and
#       random forgeries,
#   (c) replays of a real signed PING (built with vcpeer.py and the network's password) from many spoofed
#       addresses and ports, and from the flooder's own address with ever new ports.
# While the flood runs, ping through the tunnel must keep being answered (>= 90 %, no duplicates), both helpers
# must stay alive with their VmRSS growing by less than 8 MiB, and the drop counters of the control method `stats`
# (invalidPackets, rateLimited) must rise.
# Then two shorter floods of alpha alone at the same rate, each measuring alpha's CPU (utime+stime from /proc):
#   (d) garbage from spoofed addresses (the reference), and
#   (e) two captured PINGs replayed alternately from one fixed address and port (issue 14: a pending handshake
#       used to exempt its address from every limit, so this pinned the helper at ~97 % of a core).
# (e) must stay under a generous 60 % of a core, with ping through the tunnel answered and the counters rising.
# All addresses live in namespaces made here.
# Usage: flood.sh NIMBUS_HELPER NIMBUSCTL VCPEER_PY
. "$(dirname "$0")/netns-lib.sh"
NIMBUS_HELPER=$1
NIMBUSCTL=$2
VCPEER=$3
skip_unless_root
python3 -c 'import cryptography' 2>/dev/null || { echo "SKIP: python3-cryptography is missing"; exit 77; }
FLOOD_SECONDS=${FLOOD_SECONDS:-10}
started=$(date +%s)

# stats HOST: the first network's counters from the helper's control socket, as one JSON object.
stats()
{
    python3 - "$NIMBUS_TEST_TMP/$1.sock" <<'PY'
import json, socket, struct, sys
sock = socket.socket(socket.AF_UNIX)
sock.connect(sys.argv[1])
def call(id, method, params=None):
    body = json.dumps({"id": id, "method": method, "params": params or {}}).encode()
    sock.sendall(struct.pack(">I", len(body)) + body)
    while True:
        header = b""
        while len(header) < 4:
            header += sock.recv(4 - len(header))
        length = struct.unpack(">I", header)[0]
        data = b""
        while len(data) < length:
            data += sock.recv(length - len(data))
        answer = json.loads(data)
        if answer.get("id") == id:
            return answer["result"]
call(1, "hello", {"versions": [1], "client": "flood.sh"})
print(json.dumps(call(2, "stats")["networks"][0]))
PY
}
counter() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

make_lan alpha beta flooder
start_helper alpha --password floodpw --ip 10.77.0.1/24
start_helper beta --password floodpw --ip 10.77.0.2/24 -c alpha:3210
connected() { "$NIMBUSCTL" --socket "$NIMBUS_TEST_TMP/beta.sock" --json peers | grep -q nodeId; }
wait_for "the tunnel" 15 connected
wait_for "ping through the tunnel" 10 in_ns beta ping -c 1 -W 1 10.77.0.1
log "tunnel up"

# Capture some tunnel traffic on alpha's port of the LAN bridge, for the replays of (b).
ip netns exec "$(ns lan)" python3 - "$NIMBUS_TEST_TMP/captured.hex" <<'PY' &
import socket, struct, sys, time
sniffer = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
sniffer.bind(("v1", 0))
sniffer.settimeout(0.2)
found, deadline = [], time.time() + 3
while len(found) < 40 and time.time() < deadline:
    try:
        frame = sniffer.recv(2048)
    except socket.timeout:
        continue
    if frame[12:14] != b"\x08\x00" or frame[23] != 17:
        continue
    ip = frame[14:]
    ihl = (ip[0] & 15) * 4
    sport, dport = struct.unpack(">HH", ip[ihl:ihl + 4])
    payload = ip[ihl + 8:]
    if sport == 3210 and dport == 3210 and payload and payload[0] != 0xFF:
        found.append("%s %s %s" % (socket.inet_ntoa(ip[12:16]), socket.inet_ntoa(ip[16:20]), payload.hex()))
open(sys.argv[1], "w").write("\n".join(found) + "\n")
PY
sniffer_pid=$!
in_ns beta ping -c 10 -i 0.1 -W 1 10.77.0.1 >/dev/null || true
wait "$sniffer_pid" || die "capturing tunnel traffic failed"
log "captured $(grep -c . "$NIMBUS_TEST_TMP/captured.hex") sealed datagrams for replays"

alpha_pid=$(helper_pid alpha)
beta_pid=$(helper_pid beta)
rss_alpha_before=$(rss_kib "$alpha_pid")
rss_beta_before=$(rss_kib "$beta_pid")
stats_alpha_before=$(stats alpha)
stats_beta_before=$(stats beta)

in_ns beta ping -i 0.1 -W 1 -c $((FLOOD_SECONDS * 10)) 10.77.0.1 > "$NIMBUS_TEST_TMP/ping.txt" 2>&1 &
ping_pid=$!
log "flooding for ${FLOOD_SECONDS}s"
in_ns flooder python3 - "$VCPEER" "$NIMBUS_TEST_TMP/captured.hex" "$FLOOD_SECONDS" > "$NIMBUS_TEST_TMP/flooder.log" 2>&1 <<'PY' || die "the flooder failed: $(cat "$NIMBUS_TEST_TMP/flooder.log")"
import os, random, socket, struct, sys, time
sys.path.insert(0, os.path.dirname(sys.argv[1]))
import vcpeer
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

HELPERS = ["192.0.2.11", "192.0.2.12"]  # alpha, beta
OWN = "192.0.2.13"
seconds = float(sys.argv[3])
captured = [line.split() for line in open(sys.argv[2]) if line.strip()]

ident = vcpeer.Identity(vcpeer.seed_from_password("floodpw"), [], [(3, 100.0)], False)
ecdh = X25519PrivateKey.generate().public_key().public_bytes(*vcpeer.RAW)
ping = vcpeer.build_init(ident, 1, vcpeer.salted_hash(ident.node_id), ecdh)

raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
def send(src, sport, dst, payload):
    udp = struct.pack(">HHHH", sport, 3210, 8 + len(payload), 0) + payload
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0x4000, 64, 17, 0,
                     socket.inet_aton(src), socket.inet_aton(dst))
    raw.sendto(ip + udp, (dst, 0))

def spoofed():
    return "192.0.2.%d" % random.randint(100, 250), random.randint(1024, 65535)

counts = {"garbage": 0, "sealed-replay": 0, "sealed-forged": 0, "ping-spoofed": 0, "ping-own": 0}
rate = 12000  # datagrams per second, both helpers together
start = time.time()
sent = 0
while time.time() - start < seconds:
    for _ in range(100):
        kind = sent % 5
        dst = HELPERS[sent % 2]
        if kind == 0:
            data = bytearray(os.urandom(random.randint(1, 1400)))
            if sent % 3 == 0:
                data[0] = 0xFF
            send(*spoofed(), dst, bytes(data))
            counts["garbage"] += 1
        elif kind == 1 and captured:
            src, cdst, payload = random.choice(captured)
            send(src, 3210, cdst, bytes.fromhex(payload))
            counts["sealed-replay"] += 1
        elif kind == 1 or kind == 2:
            other = HELPERS[1 - sent % 2]
            send(other, 3210, dst, bytes([random.randint(0, 3)]) + os.urandom(random.randint(40, 1400)))
            counts["sealed-forged"] += 1
        elif kind == 3:
            send(*spoofed(), dst, ping)
            counts["ping-spoofed"] += 1
        else:
            send(OWN, random.randint(1024, 65535), dst, ping)
            counts["ping-own"] += 1
        sent += 1
    ahead = sent / rate - (time.time() - start)
    if ahead > 0:
        time.sleep(ahead)
print("sent %d datagrams in %.1f s: %s" % (sent, time.time() - start, counts))
PY
log "$(cat "$NIMBUS_TEST_TMP/flooder.log")"
wait "$ping_pid" || true

kill -0 "$alpha_pid" 2>/dev/null || die "alpha's helper died during the flood"
kill -0 "$beta_pid" 2>/dev/null || die "beta's helper died during the flood"
rss_alpha_after=$(rss_kib "$alpha_pid")
rss_beta_after=$(rss_kib "$beta_pid")
stats_alpha_after=$(stats alpha)
stats_beta_after=$(stats beta)

sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$NIMBUS_TEST_TMP/ping.txt")
answered=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$NIMBUS_TEST_TMP/ping.txt")
log "ping through the tunnel during the flood: $answered of $sent answered"
log "VmRSS alpha ${rss_alpha_before} -> ${rss_alpha_after} KiB, beta ${rss_beta_before} -> ${rss_beta_after} KiB"
log "alpha before: $stats_alpha_before"
log "alpha after:  $stats_alpha_after"
log "beta before:  $stats_beta_before"
log "beta after:   $stats_beta_after"

[ -n "$sent" ] && [ -n "$answered" ] || die "no ping summary: $(tail -3 "$NIMBUS_TEST_TMP/ping.txt")"
[ $((answered * 100)) -ge $((sent * 90)) ] || die "only $answered of $sent pings answered during the flood"
! grep -q 'DUP!' "$NIMBUS_TEST_TMP/ping.txt" || die "duplicate replies: a replayed datagram was accepted"
# Under AddressSanitizer freed memory waits in its quarantine (256 MiB by default) instead of being reused, so
# RSS grows with every allocation made; there (the CI's sanitizer stage) the bound only catches runaway growth.
rss_limit=8192
# Not `| grep -q`: grep would stop reading at the match, ldd die of SIGPIPE, and pipefail turn the match into a miss.
if ldd "$NIMBUS_HELPER" 2>/dev/null | grep libasan >/dev/null; then
    rss_limit=65536
    log "sanitizer build: VmRSS bound ${rss_limit} KiB instead of 8192 (ASan's quarantine keeps freed memory)"
fi
for host in alpha beta; do
    before_var="rss_${host}_before" after_var="rss_${host}_after"
    growth=$(( ${!after_var} - ${!before_var} ))
    [ "$growth" -lt "$rss_limit" ] || die "$host's VmRSS grew by $growth KiB during the flood"
    before_var="stats_${host}_before" after_var="stats_${host}_after"
    for name in invalidPackets rateLimited; do
        b=$(counter "${!before_var}" "$name")
        a=$(counter "${!after_var}" "$name")
        [ "$a" -gt "$b" ] || die "$host's $name did not rise ($b -> $a)"
    done
done
connected || die "the peers lost each other during the flood"
in_ns beta ping -c 1 -W 2 10.77.0.1 >/dev/null || die "no ping through the tunnel after the flood"

# cpu_ticks PID: utime + stime of a process, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# flood_alpha KIND SECONDS: floods alpha alone at REPLAY_RATE datagrams/s; KIND garbage or replay (see above).
REPLAY_RATE=${REPLAY_RATE:-20000}
REPLAY_SECONDS=${REPLAY_SECONDS:-5}
flood_alpha()
{
    in_ns flooder python3 - "$VCPEER" "$1" "$2" "$REPLAY_RATE" <<'PY'
import os, random, socket, struct, sys, time
sys.path.insert(0, os.path.dirname(sys.argv[1]))
import vcpeer
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

kind, seconds, rate = sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
ident = vcpeer.Identity(vcpeer.seed_from_password("floodpw"), [], [(3, 100.0)], False)
def new_ping():
    ecdh = X25519PrivateKey.generate().public_key().public_bytes(*vcpeer.RAW)
    return vcpeer.build_init(ident, 1, vcpeer.salted_hash(ident.node_id), ecdh)
pings = [new_ping(), new_ping()]
raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
def packet(src, sport, payload):
    udp = struct.pack(">HHHH", sport, 3210, 8 + len(payload), 0) + payload
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0x4000, 64, 17, 0,
                     socket.inet_aton(src), socket.inet_aton("192.0.2.11"))
    return ip + udp
# Prebuilt datagrams, so the flooder keeps up with the rate.
if kind == "replay":
    batch = [packet("192.0.2.13", 40000, pings[i % 2]) for i in range(100)]
else:
    batch = []
    for i in range(100):
        data = bytearray(os.urandom(len(pings[0])))
        if i % 3 == 0:
            data[0] = 0xFF
        batch.append(packet("192.0.2.%d" % random.randint(100, 250), random.randint(1024, 65535), bytes(data)))
start, sent = time.time(), 0
while time.time() - start < seconds:
    for datagram in batch:
        raw.sendto(datagram, ("192.0.2.11", 0))
    sent += len(batch)
    ahead = sent / rate - (time.time() - start)
    if ahead > 0:
        time.sleep(ahead)
print("%d datagrams in %.1f s" % (sent, time.time() - start))
PY
}
# measure_flood KIND: floods alpha with ping through the tunnel running; prints alpha's CPU in % of one core.
measure_flood()
{
    local hz t0 c0 t1 c1 pid
    hz=$(getconf CLK_TCK)
    in_ns beta ping -i 0.1 -W 1 -c $((REPLAY_SECONDS * 10)) 10.77.0.1 > "$NIMBUS_TEST_TMP/ping-$1.txt" 2>&1 &
    pid=$!
    t0=$(date +%s%N) c0=$(cpu_ticks "$alpha_pid")
    flood_alpha "$1" "$REPLAY_SECONDS" > "$NIMBUS_TEST_TMP/flood-$1.log" 2>&1 || die "the $1 flooder failed: $(cat "$NIMBUS_TEST_TMP/flood-$1.log")"
    t1=$(date +%s%N) c1=$(cpu_ticks "$alpha_pid")
    wait "$pid" || true
    log "$1 flood: $(cat "$NIMBUS_TEST_TMP/flood-$1.log"); $(grep 'packets transmitted' "$NIMBUS_TEST_TMP/ping-$1.txt")" >&2
    echo $(( (c1 - c0) * 100 * 1000000000 / hz / (t1 - t0) ))
}
stats_before=$(stats alpha)
garbage_cpu=$(measure_flood garbage)
replay_cpu=$(measure_flood replay)
stats_after=$(stats alpha)
log "alpha's CPU: garbage flood ${garbage_cpu} %, replayed-PING flood ${replay_cpu} % of a core"
log "alpha before the two floods: $stats_before"
log "alpha after:                 $stats_after"
kill -0 "$alpha_pid" 2>/dev/null || die "alpha's helper died during the replayed-PING flood"
for kind in garbage replay; do
    sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$NIMBUS_TEST_TMP/ping-$kind.txt")
    answered=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$NIMBUS_TEST_TMP/ping-$kind.txt")
    [ -n "$sent" ] && [ -n "$answered" ] || die "no ping summary for the $kind flood"
    [ $((answered * 100)) -ge $((sent * 90)) ] || die "only $answered of $sent pings answered during the $kind flood"
done
[ "$replay_cpu" -lt 60 ] || die "the replayed-PING flood cost alpha ${replay_cpu} % of a core (garbage: ${garbage_cpu} %)"
for name in invalidPackets rateLimited; do
    b=$(counter "$stats_before" "$name")
    a=$(counter "$stats_after" "$name")
    [ "$a" -gt "$b" ] || die "alpha's $name did not rise during the replayed-PING flood ($b -> $a)"
done
connected || die "the peers lost each other during the replayed-PING flood"
log "PASS in $(( $(date +%s) - started ))s"
