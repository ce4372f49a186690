#!/usr/bin/env python3
"""Counts the first byte of every VpnCloud-protocol UDP payload (port 3210) on one interface, per direction, until
SIGTERM or SIGINT, then prints {"out": {byte: count}, "in": {...}} as JSON. The first byte of a sealed message is
its key id (0-3); an init message starts with 0xff. Used to see key rotation on the wire.
Usage: keyids.py IFACE PORT [STOP_FILE]: with STOP_FILE, it also stops once that file exists (a signal to the
`ip netns exec` wrapper would not reach it)."""
import json, os, signal, socket, struct, sys

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
counts = {"out": {}, "in": {}}
done = False


def stop(*_):
    global done
    done = True


signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
sock = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(ETH_P_ALL))
sock.bind((sys.argv[1], 0))
sock.settimeout(0.2)
port = int(sys.argv[2]) if len(sys.argv) > 2 else 3210
stop_file = sys.argv[3] if len(sys.argv) > 3 else None
while not done:
    if stop_file and os.path.exists(stop_file):
        break
    try:
        packet, address = sock.recvfrom(65535)
    except (socket.timeout, InterruptedError):
        continue
    if address[1] != 0x0800 or len(packet) < 20 or packet[9] != 17:
        continue
    ihl = (packet[0] & 0x0F) * 4
    sport, dport = struct.unpack("!HH", packet[ihl:ihl + 4])
    payload = packet[ihl + 8:]
    if port not in (sport, dport) or not payload:
        continue
    direction = "out" if address[2] == PACKET_OUTGOING else "in"
    key = "%02x" % payload[0]
    counts[direction][key] = counts[direction].get(key, 0) + 1
print(json.dumps(counts))
