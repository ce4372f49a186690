#!/usr/bin/env bash
# A configured peer whose name does not resolve yet: the helper starts anyway (the lookup never blocks it),
# reports itself degraded, keeps trying, and connects as soon as the name resolves.
# Usage: late_dns.sh NIMBUS_HELPER NIMBUSCTL
. "$(dirname "$0")/netns-lib.sh"
NIMBUS_HELPER=$1
NIMBUSCTL=$2
skip_unless_root

make_lan server client
start_helper server --password dnspw --ip 10.0.0.1
# The client knows the server only as "server-late", which its hosts file does not have yet.
hosts=/etc/netns/$(ns client)/hosts
start_helper client --password dnspw --ip 10.0.0.100 -c server-late:3210
started=$(date +%s%N)
ctl client --json status > "$NIMBUS_TEST_TMP/status.json" || die "nimbusctl status failed while the name did not resolve"
answer_ms=$((($(date +%s%N) - started) / 1000000))
log "status answered after ${answer_ms} ms"
grep -q '"state": "connecting"' "$NIMBUS_TEST_TMP/status.json" || die "the client does not say it is connecting"
python3 -c 'import json,sys; n=json.load(open(sys.argv[1]))["networks"][0]; assert n["unresolvedPeers"] == ["server-late:3210"], n' "$NIMBUS_TEST_TMP/status.json" || die "status does not list server-late:3210 as unresolved"
ctl client status | tee "$NIMBUS_TEST_TMP/status.txt"
grep -q 'cannot resolve server-late:3210 (trying again)' "$NIMBUS_TEST_TMP/status.txt" || die "nimbusctl status does not say what does not resolve"
wait_for "the failed lookup to be logged" 15 grep -q 'Cannot resolve peer server-late:3210' "$NIMBUS_TEST_TMP/client.log"
kill -0 "$(helper_pid client)" || die "the client helper exited"

# The name appears (appended in place: the helper's /etc/hosts is a bind mount of this file).
echo "192.0.2.11 server-late" >> "$hosts"
log "server-late now resolves"
reachable() { in_ns client ping -c1 -W1 10.0.0.1 > /dev/null 2>&1; }
wait_for "the client to reach 10.0.0.1 through server-late" 30 reachable
grep -q 'Resolved peer server-late:3210 to 192.0.2.11:3210' "$NIMBUS_TEST_TMP/client.log" || die "no 'Resolved peer' line"
wait_for "the client to report itself connected" 10 bash -c "'$NIMBUSCTL' --socket '$NIMBUS_TEST_TMP/client.sock' --json status | grep -q '\"connected\"'"
ctl client --json status | python3 -c 'import json,sys; n=json.load(sys.stdin)["networks"][0]; assert n["unresolvedPeers"] == [], n' \
    || die "server-late:3210 is still listed as unresolved"
grep -i 'resolve' "$NIMBUS_TEST_TMP/client.log"
log "PASS"
