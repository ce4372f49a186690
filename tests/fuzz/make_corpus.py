#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz harnesses (tests/fuzz/fuzz_*.cpp) into a build directory.

The seeds come from the recorded VpnCloud sessions (../shared/vectors/*/packets.json: udp_payload_hex,
plaintext_hex) and config files (../shared/vectors/config/*.yaml), put into each harness's input format, plus a few
hand-made inputs where the vectors have nothing (control-protocol frames, profiles, command lines).
Usage: make_corpus.py --shared ../shared --out build/tests/fuzz/corpus   (one directory per fuzz target)
"""
import argparse
import hashlib
import json
import os
import shutil
import struct
import sys

CAPTURES = ["keylog-default", "keylog-aes128", "keylog-chacha20", "real-plain"]

# SessionOptions::fromByte: bit 0 rotate, bits 1-2 mode, bit 3 TAP, bits 4-5 cipher (0 chacha, 1 aes256, 2 plain),
# bit 6 no claims.
OPT_CHACHA, OPT_ROTATE, OPT_AES, OPT_PLAIN = 0x00, 0x01, 0x10, 0x20
OPT_SWITCH_TAP, OPT_HUB, OPT_ROUTER, OPT_NO_CLAIMS = 0x04 | 0x08, 0x06, 0x02, 0x40


class Corpus:
    def __init__(self, root, target):
        self.dir = os.path.join(root, target)
        os.makedirs(self.dir, exist_ok=True)
        self.seen = set()

    def add(self, name, data):
        digest = hashlib.sha1(data).hexdigest()
        if digest in self.seen:
            return
        self.seen.add(digest)
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
        with open(os.path.join(self.dir, f"{safe}-{digest[:8]}"), "wb") as f:
            f.write(data)


def chunk(data):
    return struct.pack(">H", len(data)) + data


def frame(obj):
    payload = json.dumps(obj, separators=(",", ":")).encode()
    return struct.pack(">I", len(payload)) + payload


def load_packets(shared):
    packets = {}
    for capture in CAPTURES:
        path = os.path.join(shared, "vectors", capture, "packets.json")
        with open(path) as f:
            packets[capture] = json.load(f)
    return packets


def message_plaintext(packet):
    """Type byte + body of a non-init message: the decrypted plaintext, or the payload of a plain session."""
    if packet.get("plaintext_hex"):
        return bytes.fromhex(packet["plaintext_hex"])
    if packet["kind"] == "PLAIN":
        return bytes.fromhex(packet["udp_payload_hex"])
    return None


def initmessage_seeds(corpus, packets):
    for capture, plist in packets.items():
        for p in plist:
            if p["kind"] != "INIT":
                continue
            dg = bytes.fromhex(p["udp_payload_hex"])
            name = f"{capture}-{p['n']:03d}-{p['stage']}"
            corpus.add(name + "-raw", bytes([0x06]) + dg)
            # Re-sign form: salt then the fields (the harness adds tag, end marker and signature).
            corpus.add(name + "-resign", bytes([0x07]) + dg[1:5] + dg[9:])


def sealed_seeds(corpus, packets):
    for capture, plist in packets.items():
        plain_capture = capture == "real-plain"
        options = [OPT_PLAIN] if plain_capture else [OPT_CHACHA, OPT_ROTATE, OPT_AES]
        messages = []
        per_kind = {}
        for p in plist:
            text = message_plaintext(p)
            if text is None or not text:
                continue
            messages.append((p, text))
            kind = p.get("msg_type") or p.get("desc", "msg").split()[0]
            # The recordings repeat NODE_INFO and DATA many times: a few of each kind make the seeds.
            per_kind[kind] = per_kind.get(kind, 0) + 1
            if per_kind[kind] > 3:
                continue
            for opt in options:
                corpus.add(f"{capture}-{p['n']:03d}-{kind}-opt{opt:02x}", bytes([opt, 0x00]) + chunk(text))
            if text[0] == 0x00:  # DATA: also as a device packet, and into a switch and a hub
                corpus.add(f"{capture}-{p['n']:03d}-device", bytes([options[0], 0x04]) + chunk(text[1:]))
                corpus.add(f"{capture}-{p['n']:03d}-switch",
                           bytes([options[0] | OPT_SWITCH_TAP, 0x00]) + chunk(text))
                corpus.add(f"{capture}-{p['n']:03d}-hub", bytes([options[0] | OPT_HUB, 0x00]) + chunk(text))
            if not plain_capture:  # the recorded datagram itself: it cannot authenticate, but exercises the path
                dg = bytes.fromhex(p["udp_payload_hex"])
                corpus.add(f"{capture}-{p['n']:03d}-raw", bytes([OPT_CHACHA, 0x01]) + chunk(dg))
        # The whole session in order, with time passing between messages, then a replay and an ICMP report.
        seq = bytearray([options[0] | OPT_ROUTER])
        last_t = None
        for p, text in messages:
            if last_t is not None and p["t"] - last_t >= 0.1:
                seq += bytes([0x03, min(255, int((p["t"] - last_t) * 10))])
            last_t = p["t"]
            seq += bytes([0x00]) + chunk(text)
        seq += bytes([0x06, 0x05, 0x03, 0x0a, 0x07])
        corpus.add(f"{capture}-session", bytes(seq))
    # Hand-made: keepalive, an unknown type, an empty message, unknown senders, and a long quiet period.
    corpus.add("keepalive", bytes([OPT_CHACHA, 0x00]) + chunk(b"\x02"))
    corpus.add("unknown-type", bytes([OPT_ROTATE, 0x00]) + chunk(b"\x42abc"))
    corpus.add("empty", bytes([OPT_CHACHA, 0x00]) + chunk(b""))
    corpus.add("stranger", bytes([OPT_CHACHA, 0x02, 0x09]) + chunk(b"\x00" * 40))
    corpus.add("quiet", bytes([OPT_NO_CLAIMS, 0x03, 0xff, 0x03, 0xff, 0x03, 0xff, 0x07]))


def nodeinfo_seeds(corpus, packets):
    for capture, plist in packets.items():
        for p in plist:
            text = message_plaintext(p)
            if text and text[0] == 0x01:
                corpus.add(f"{capture}-{p['n']:03d}-node-info", text[1:])
            if p.get("payload_plaintext_hex"):
                corpus.add(f"{capture}-{p['n']:03d}-{p['stage']}-payload", bytes.fromhex(p["payload_plaintext_hex"]))


def rotation_seeds(corpus, packets):
    for capture, plist in packets.items():
        for p in plist:
            text = message_plaintext(p)
            if text and text[0] == 0x10:
                corpus.add(f"{capture}-{p['n']:03d}-rotation", text[1:])
    # Schedules for the two state machines (op bytes, see fuzz_rotation.cpp).
    corpus.add("schedule-in-order", bytes([0x02, 0x01, 0x03, 0x00, 0x02, 0x01, 0x03, 0x00, 0x02, 0x01, 0x03]))
    corpus.add("schedule-lossy", bytes([0x04, 0x00, 0x00, 0x02, 0x01, 0x0c, 0x01, 0x01, 0x03, 0x00, 0x02, 0x01]))
    corpus.add("schedule-duplicates", bytes([0x05, 0x02, 0x02, 0x01, 0x0d, 0x03, 0x03, 0x00, 0x05, 0x02, 0x02]))
    corpus.add("schedule-many", bytes([0x02, 0x01, 0x03, 0x00] * 12))


def controlframes_seeds(corpus, shared):
    with open(os.path.join(shared, "vectors", "config", "node-b.yaml")) as f:
        yaml_b = f.read()
    profile = {"name": "office", "ip": "10.0.0.100/24", "claims": ["10.1.0.0/16"], "autoClaim": True,
               "peers": ["server-a:3210"], "listen": "3210", "peerTimeout": 300, "keepalive": None,
               "switchTimeout": 300, "mode": "normal", "deviceType": "tun", "deviceName": "", "algorithms": [],
               "trustedKeys": [], "publicKey": "", "advertiseAddresses": [], "balance": False, "fastFailover": True}
    requests = [
        {"id": 1, "method": "hello", "params": {"versions": [1, 2], "client": "nimbusctl"}},
        {"id": 2, "method": "status"},
        {"id": 3, "method": "peers.list", "params": {"network": "office"}},
        {"id": 4, "method": "events.subscribe", "params": {}},
        {"id": 5, "method": "profiles.import", "params": {"yaml": yaml_b}},
        {"id": 6, "method": "networks.connect",
         "params": {"profile": dict(profile, ifup="echo up", hooks={"peer_connected": "x"}),
                    "secret": {"password": "mysecret"}}},
        {"id": 7, "method": "profiles.validate", "params": {"profile": profile}},
        {"id": 9007199254740992, "method": "helper.shutdown"},
    ]
    server = [
        {"id": 1, "result": {"version": 1, "role": "admin", "capabilities": ["status"]}},
        {"id": 6, "error": {"code": "INVALID_PROFILE", "message": "ip: bad", "fields": [{"field": "ip"}]}},
        {"event": "peer.connected", "seq": 3, "time": 1234, "data": {"network": "office", "address": "192.0.2.1:3210"}},
    ]
    stream = b""
    for i, obj in enumerate(requests + server):
        data = frame(obj)
        corpus.add(f"frame-{i:02d}", bytes([0x07]) + data)
        stream += data
    corpus.add("stream", bytes([0x01]) + stream)
    corpus.add("bad-json", bytes([0x03]) + frame({"id": 1}) + struct.pack(">I", 5) + b"[1,2]"
               + struct.pack(">I", 3) + b"{x:")
    corpus.add("oversized", bytes([0x05]) + struct.pack(">I", 0x7fffffff) + b"{}")
    corpus.add("empty-frame", bytes([0x09]) + frame({"id": 2, "method": "status"}) + struct.pack(">I", 0))


def config_texts(shared):
    texts = []
    config_dir = os.path.join(shared, "vectors", "config")
    for name in sorted(os.listdir(config_dir)):
        if name.endswith(".yaml"):
            with open(os.path.join(config_dir, name), "rb") as f:
                texts.append((name, f.read()))
    return texts


def yamlconfig_seeds(corpus, shared):
    for name, text in config_texts(shared):
        corpus.add(name, text)
    corpus.add("empty", b"")
    corpus.add("claims", b"claims: [10.0.0.0/24, '10.1.0.1/32']\nmode: router\nkeepalive: 5\n")


def profileimport_seeds(corpus, shared):
    for name, text in config_texts(shared):
        corpus.add(name, b"\x00" + text)
        corpus.add(name + "-named", b"\x02" + text)
    profile = {"name": "office", "ip": "10.0.0.100/24", "claims": ["10.1.0.0/16"], "autoClaim": True,
               "peers": ["server-a:3210"], "listen": "3210", "peerTimeout": 300, "keepalive": None,
               "switchTimeout": 300, "mode": "normal", "deviceType": "tun", "deviceName": "", "algorithms": [],
               "trustedKeys": [], "publicKey": "", "advertiseAddresses": [], "balance": False, "fastFailover": True}
    corpus.add("profile", b"\x01" + json.dumps(profile).encode())
    corpus.add("profile-minimal", b"\x01" + json.dumps({"name": "x"}).encode())
    corpus.add("profile-bad", b"\x01" + json.dumps({"name": "", "peerTimeout": -1, "password": "p",
                                                     "algorithms": ["rot13"], "mode": "hub"}).encode())
    corpus.add("profile-admin", b"\x01" + json.dumps(dict(profile, ifup="ip link", statsFile="/tmp/s",
                                                          devicePath="/dev/net/tun", keepalive=10)).encode())


def commandline_seeds(corpus):
    lines = [
        ["--password", "S", "--ip", "10.0.0.1", "--peer-timeout", "5", "--keepalive", "2", "-c", "server-b:3210"],
        ["--ip", "10.0.0.1", "--no-auto-claim", "--claim", "10.0.0.0/31", "--password-file", "pw"],
        ["--service", "--control-socket", "/run/nimbus/x.sock"],
        ["genkey", "-p", "mysecret"],
        ["--config", "office.net", "-t", "tap", "--mode=switch", "-v", "--hook", "peer_connected:echo hi"],
        ["--algorithm", "aes256", "--algorithm", "chacha20", "--listen", "[::]:3210", "--statsd-server",
         "localhost:8125", "--statsd-prefix", "nimbus", "--balance", "--no-fast-failover"],
        ["--help"],
        ["--version"],
        ["-c", "a:1,b:2", "--trusted-key", "BKjSRllQbxo8m6ooLv7WvOphbbq8WJsYzt55OS4UQWd", "--", "extra"],
    ]
    for i, args in enumerate(lines):
        corpus.add(f"cli-{i:02d}", bytes([i % 8]) + b"\x00".join(a.encode() for a in args))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", required=True, help="the shared folder (with vectors/)")
    parser.add_argument("--out", required=True, help="where to write one corpus directory per fuzz target")
    args = parser.parse_args()
    if os.path.isdir(args.out):
        shutil.rmtree(args.out)
    packets = load_packets(args.shared)
    initmessage_seeds(Corpus(args.out, "fuzz_initmessage"), packets)
    sealed_seeds(Corpus(args.out, "fuzz_sealed"), packets)
    nodeinfo_seeds(Corpus(args.out, "fuzz_nodeinfo"), packets)
    rotation_seeds(Corpus(args.out, "fuzz_rotation"), packets)
    controlframes_seeds(Corpus(args.out, "fuzz_controlframes"), args.shared)
    yamlconfig_seeds(Corpus(args.out, "fuzz_yamlconfig"), args.shared)
    profileimport_seeds(Corpus(args.out, "fuzz_profileimport"), args.shared)
    commandline_seeds(Corpus(args.out, "fuzz_commandline"))
    for target in sorted(os.listdir(args.out)):
        print(f"{target}: {len(os.listdir(os.path.join(args.out, target)))} seeds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
