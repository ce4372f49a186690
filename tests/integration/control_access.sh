#!/usr/bin/env bash
# Who may use a helper's control socket, with real uids: a user outside group nimbus cannot even open it (and
# nimbusctl says how to fix that); an observer (socket opened up by an admin) may read but not connect or
# disconnect anything; root may.
# Usage: control_access.sh NIMBUS_HELPER NIMBUSCTL
. "$(dirname "$0")/netns-lib.sh"
NIMBUS_HELPER=$1
NIMBUSCTL=$2
skip_unless_root
command -v setpriv >/dev/null || { echo "SKIP: setpriv is missing"; exit 77; }
id nobody >/dev/null 2>&1 || { echo "SKIP: no user nobody"; exit 77; }

make_lan server
chmod 0755 "$NIMBUS_TEST_TMP"
start_helper server --password pw --ip 10.0.0.1
sock=$NIMBUS_TEST_TMP/server.sock
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$NIMBUSCTL" --socket "$sock" "$@"; }

# 1. Not in group nimbus: the socket (0660, root's group) cannot be opened.
set +e
out=$(as_nobody status 2>&1); code=$?
set -e
[ "$code" = 3 ] || die "an outsider got exit code $code (want 3): $out"
grep -qi "group nimbus" <<<"$out" || die "the refusal does not say how to get access: $out"
log "outsider refused: $out"

# 2. An observer: the admin opened the socket to everyone. Reading works, changing does not.
chmod 0666 "$sock"
as_nobody status >/dev/null || die "an observer must be able to read the status"
as_nobody --json peers >/dev/null || die "an observer must be able to list peers"
set +e
out=$(as_nobody disconnect default 2>&1); code=$?
set -e
[ "$code" = 1 ] && grep -q "PERMISSION_DENIED\|not allowed\|permission" <<<"$out" \
    || die "an observer could disconnect (exit $code): $out"
set +e
out=$(as_nobody shutdown 2>&1); code=$?
set -e
[ "$code" = 1 ] || die "an observer could shut the helper down (exit $code): $out"
kill -0 "$(helper_pid server)" || die "the helper died"
log "observer may read, not change: $out"

# 3. Root may stop the network-mode network (it is a system network).
ctl server disconnect default || die "root could not disconnect"
log "PASS"
