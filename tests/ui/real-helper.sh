#!/usr/bin/env bash
# Runs tst_realhelper against real helpers: two servers sharing 10.0.0.1 and a client helper in service mode,
# in network namespaces made (and removed) here, inside a private D-Bus session with a real keyring
# (run-with-keyring.sh). The client pings 10.0.0.1 so a crash is noticed at once.
# Usage: real-helper.sh NIMBUS_HELPER NIMBUSCTL TST_REALHELPER
. "$(dirname "$0")/../integration/netns-lib.sh"
NIMBUS_HELPER=$1
NIMBUSCTL=$2
test_exe=$3
skip_unless_root
make_lan server-a server-b client
start_helper server-a --password gui-secret --ip 10.0.0.1 --peer-timeout 5 --keepalive 2 -c server-b:3210
start_helper server-b --password gui-secret --ip 10.0.0.1 --peer-timeout 5 --keepalive 2 -c server-a:3210
start_helper client --service
in_ns client bash -c 'while true; do ping -q -c 1000000 -i 0.2 -W 1 10.0.0.1 >/dev/null 2>&1; sleep 0.2; done' &
NIMBUS_EXTRA_PIDS+=($!)
# The always-on test kills the client helper and starts a new one on the same socket with this command.
restart="ip netns exec $(ns client) $NIMBUS_HELPER --control-socket $NIMBUS_TEST_TMP/client.sock --service"
NIMBUS_REAL_SOCKET=$NIMBUS_TEST_TMP/client.sock NIMBUS_REAL_PID_A=$(helper_pid server-a) \
    NIMBUS_REAL_PID_B=$(helper_pid server-b) NIMBUS_REAL_PID_CLIENT=$(helper_pid client) \
    NIMBUS_REAL_RESTART=$restart NIMBUS_REAL_RESTART_LOG=$NIMBUS_TEST_TMP/client-restarted.log \
    QT_QPA_PLATFORM=offscreen "$(dirname "$0")/run-with-keyring.sh" "$test_exe"
