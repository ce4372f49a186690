#!/usr/bin/env bash
# Secrets stay secret: a network-mode helper started with --password-file and a service-mode helper given a
# profile's password over the control socket (by nimbusctl, from a file) never show the password in their logs
# (even with -v), in any process's command line, or in anything nimbusctl prints. A helper given the password in
# NIMBUS_PASSWORD no longer shows it in /proc/PID/environ and its hooks do not inherit it. While connected and after
# the disconnect, neither the password nor a profile's private key is left in either helper's memory (freed buffers
# are wiped: app/helper/wipefreedmemory.cpp).
# Usage: secrets.sh NIMBUS_HELPER NIMBUSCTL
. "$(dirname "$0")/netns-lib.sh"
NIMBUS_HELPER=$1
NIMBUSCTL=$2
skip_unless_root
secret="s3cr3t-$RANDOM-$RANDOM-never-shown"
make_lan server desktop envhost
printf '%s\n' "$secret" > "$NIMBUS_TEST_TMP/password"
chmod 0600 "$NIMBUS_TEST_TMP/password"
start_helper server -v --password-file "$NIMBUS_TEST_TMP/password" --ip 10.0.0.1 --peer-timeout 5 --keepalive 2
start_helper desktop -v --service
export NIMBUS_PASSWORD=$secret
start_helper envhost -v --ip 10.0.0.5 --ifup "env > $NIMBUS_TEST_TMP/hook-env.txt"
unset NIMBUS_PASSWORD
wait_for "envhost's ifup hook" 10 test -s "$NIMBUS_TEST_TMP/hook-env.txt"
tr '\0' '\n' < "/proc/$(helper_pid envhost)/environ" > "$NIMBUS_TEST_TMP/envhost-environ.txt"
grep -q '^PATH=' "$NIMBUS_TEST_TMP/envhost-environ.txt" || die "test setup broken: no environment read"
grep -q '^PATH=' "$NIMBUS_TEST_TMP/hook-env.txt" || die "test setup broken: the hook wrote no environment"
grep -q '^NIMBUS_PASSWORD=' "$NIMBUS_TEST_TMP/hook-env.txt" && die "the hook inherited NIMBUS_PASSWORD"
cat > "$NIMBUS_TEST_TMP/office.yaml" <<YAML
ip: 10.0.0.100/24
crypto:
  password: "$secret"
peers:
  - server:3210
YAML
ctl desktop connect "$NIMBUS_TEST_TMP/office.yaml" --name office > "$NIMBUS_TEST_TMP/out-connect.txt" 2>&1 \
    || die "connect failed: $(cat "$NIMBUS_TEST_TMP/out-connect.txt")"
connected() { ctl desktop --json peers | grep -q nodeId; }
wait_for "the office network" 15 connected
# A second network whose secret is a private key in the profile file.
private_key=$("$NIMBUS_HELPER" genkey | sed -n 's/^Private key: //p')
[ -n "$private_key" ] || die "genkey printed no private key"
cat > "$NIMBUS_TEST_TMP/keyed.yaml" <<YAML
ip: 10.0.9.100/24
listen: 3299
crypto:
  private-key: "$private_key"
YAML
ctl desktop connect "$NIMBUS_TEST_TMP/keyed.yaml" --name keyed > "$NIMBUS_TEST_TMP/out-connect-keyed.txt" 2>&1 \
    || die "connect failed: $(cat "$NIMBUS_TEST_TMP/out-connect-keyed.txt")"
# memory_copies WHEN: no copy of either secret in the helpers' writable memory. Sanitizer builds bring their own
# allocator and do not wipe freed memory: there the check is skipped.
memory_copies()
{
    local host text n
    # grep reads all of nm's output (not -q): nm killed by SIGPIPE would fail the pipeline (pipefail) after a match.
    if ! nm "$NIMBUS_HELPER" | grep -E ' T free$' >/dev/null; then
        log "$1: memory not checked (a sanitizer build: freed memory is not wiped)"
        return
    fi
    for host in server desktop; do
        for text in "$secret" "$private_key"; do
            n=$(python3 "$(dirname "$0")/memscan.py" "$(helper_pid "$host")" "$text") || die "memscan failed"
            [ "$n" = 0 ] || die "$1: $n copies of a secret in $host's memory"
        done
    done
}
memory_copies "connected"
# Everything a user or another process could look at while it runs.
for host in server desktop; do
    for cmd in status peers claims events; do
        ctl "$host" "$cmd" > "$NIMBUS_TEST_TMP/out-$host-$cmd.txt" 2>&1 || true
        ctl "$host" --json "$cmd" > "$NIMBUS_TEST_TMP/out-$host-$cmd.json" 2>&1 || true
    done
done
ps -eo args > "$NIMBUS_TEST_TMP/ps.txt"
for pid in $(pgrep -f nimbus-helper); do tr '\0' ' ' < "/proc/$pid/cmdline"; echo; done > "$NIMBUS_TEST_TMP/cmdlines.txt"
# Disconnect and stop orderly so the logs are complete.
ctl desktop disconnect office >/dev/null
ctl desktop disconnect keyed >/dev/null
memory_copies "after the disconnects"
# The scan finds a secret that is there.
python3 -c 'import sys, time; s = sys.stdin.readline().strip() * 1; print(flush=True); time.sleep(30)' \
    <<<"$secret" > "$NIMBUS_TEST_TMP/holder.out" &
holder=$!
wait_for "the holder" 5 test -s "$NIMBUS_TEST_TMP/holder.out"
[ "$(python3 "$(dirname "$0")/memscan.py" "$holder" "$secret")" -gt 0 ] || die "test setup broken: memscan finds nothing"
kill "$holder"
kill "$(helper_pid server)" "$(helper_pid desktop)" "$(helper_pid envhost)"
sleep 0.5
leaks=$(grep -l -F -- "$secret" "$NIMBUS_TEST_TMP"/out-* "$NIMBUS_TEST_TMP"/ps.txt "$NIMBUS_TEST_TMP"/cmdlines.txt \
    "$NIMBUS_TEST_TMP"/server.log "$NIMBUS_TEST_TMP"/desktop.log "$NIMBUS_TEST_TMP"/envhost.log \
    "$NIMBUS_TEST_TMP"/envhost-environ.txt "$NIMBUS_TEST_TMP"/hook-env.txt 2>/dev/null || true)
[ -z "$leaks" ] || die "the secret appears in: $leaks"
# And the check itself can fail: the secret is in the files we gave it.
grep -q -F -- "$secret" "$NIMBUS_TEST_TMP/office.yaml" || die "test setup broken"
log "checked $(ls "$NIMBUS_TEST_TMP"/out-* | wc -l) outputs, ps, command lines, three -v logs, a helper's environ, a hook's environment and two helpers' memory: no secret"
log "PASS"
