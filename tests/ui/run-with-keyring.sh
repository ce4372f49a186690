#!/usr/bin/env bash
# Runs a test inside a private D-Bus session with an unlocked gnome-keyring (Secret Service),
# so CredentialStore is tested against a real keychain and the user's own keyring is never touched.
# Usage: run-with-keyring.sh TEST_EXECUTABLE [ARGS...]
set -euo pipefail
if [ "${NIMBUS_IN_KEYRING_SESSION:-}" != "1" ]; then
    command -v dbus-run-session >/dev/null || { echo "dbus-run-session is missing (package dbus)" >&2; exit 1; }
    command -v gnome-keyring-daemon >/dev/null || { echo "gnome-keyring-daemon is missing (package gnome-keyring)" >&2; exit 1; }
    home=$(mktemp -d)
    trap 'rm -rf "$home"' EXIT
    export NIMBUS_IN_KEYRING_SESSION=1
    # A throwaway home and runtime dir: the keyring files live there and vanish afterwards.
    mkdir -p "$home/runtime" && chmod 700 "$home/runtime"
    HOME="$home" XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" XDG_RUNTIME_DIR="$home/runtime" \
        dbus-run-session -- "$0" "$@"
    exit $?
fi
# Inside the session: start the keyring with an empty password on stdin, which creates and unlocks the login
# collection. The password must end with a newline: with no byte at all on stdin no collection is created.
mkdir -p "${XDG_DATA_HOME:-$HOME/.local/share}/keyrings"
eval "$(echo "" | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK 2>/dev/null || true
status=0
"$@" || status=$?
if [ -n "${GNOME_KEYRING_PID:-}" ]; then
    kill "$GNOME_KEYRING_PID" 2>/dev/null || true
fi
exit $status
