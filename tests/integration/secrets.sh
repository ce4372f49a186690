#!/usr/bin/env bash
# Secrets stay secret: a network-mode helper started with --password-file and a service-mode helper given a
# profile's password over the control socket (by nimbusctl, from a file) never show the password in their logs
# (even with -v), in any process's command line, or in anything nimbusctl prints. A helper given the password in
# NIMBUS_PASSWORD no longer shows it in /proc/PID/environ and its hooks do not inherit it.
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
kill "$(helper_pid server)" "$(helper_pid desktop)" "$(helper_pid envhost)"
sleep 0.5
leaks=$(grep -l -F -- "$secret" "$NIMBUS_TEST_TMP"/out-* "$NIMBUS_TEST_TMP"/ps.txt "$NIMBUS_TEST_TMP"/cmdlines.txt \
    "$NIMBUS_TEST_TMP"/server.log "$NIMBUS_TEST_TMP"/desktop.log "$NIMBUS_TEST_TMP"/envhost.log \
    "$NIMBUS_TEST_TMP"/envhost-environ.txt "$NIMBUS_TEST_TMP"/hook-env.txt 2>/dev/null || true)
[ -z "$leaks" ] || die "the secret appears in: $leaks"
# And the check itself can fail: the secret is in the files we gave it.
grep -q -F -- "$secret" "$NIMBUS_TEST_TMP/office.yaml" || die "test setup broken"
log "checked $(ls "$NIMBUS_TEST_TMP"/out-* | wc -l) outputs, ps, command lines, three -v logs, a helper's environ and a hook's environment: no secret"
log "PASS"
