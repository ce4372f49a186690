#!/usr/bin/env bash
# Runs a test against a real system tray: its own Xvfb display and its own D-Bus session (dbus-run-session), then
#   xembed  Debian's trayer as the XEmbed tray host (the freedesktop system tray protocol)
#   sni     sni-watcher.py as org.kde.StatusNotifierWatcher (what KDE and GNOME's AppIndicator extension provide)
# and the test with QT_QPA_PLATFORM=xcb and NIMBUS_TRAY_HOST=MODE. Everything it starts ends with it.
# Usage: run-tray-host.sh xembed|sni TEST_EXECUTABLE [ARGS...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mode=$1
shift
# Debian's python3, whose python3-dbus and python3-gi are installed (not a python3 of pyenv or a venv on PATH).
python=/usr/bin/python3
[ -x "$python" ] || python=python3
if [ "${NIMBUS_IN_TRAY_SESSION:-}" != "1" ]; then
    needed=(Xvfb dbus-run-session xdotool xwininfo)
    [ "$mode" = xembed ] && needed+=(trayer)
    [ "$mode" = sni ] && needed+=("$python")
    for tool in "${needed[@]}"; do
        command -v "$tool" >/dev/null || { echo "SKIP: $tool is missing (scripts/deps.sh installs it)"; exit 77; }
    done
    if [ "$mode" = sni ] && ! "$python" -c 'import dbus, gi' 2>/dev/null; then
        echo "SKIP: python3-dbus or python3-gi is missing"
        exit 77
    fi
    export NIMBUS_IN_TRAY_SESSION=1
    exec dbus-run-session -- "$0" "$mode" "$@"
fi

tmp=$(mktemp -d "/tmp/nimbus-tray.XXXXXX")
pids=()
cleanup()
{
    local status=$?
    [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null
    wait 2>/dev/null
    if [ $status -ne 0 ]; then
        for f in "$tmp"/*.log; do
            [ -s "$f" ] && { echo "----- $(basename "$f")"; tail -n 30 "$f"; }
        done
    fi
    rm -rf "$tmp"
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free display number, chosen by Xvfb itself and written to fd 3 once it accepts clients.
Xvfb -displayfd 3 -screen 0 800x600x24 -nolisten tcp 3>"$tmp/display" >"$tmp/xvfb.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
    [ -s "$tmp/display" ] && break
    sleep 0.1
done
[ -s "$tmp/display" ] || { echo "Xvfb did not start"; exit 1; }
DISPLAY=":$(head -n 1 "$tmp/display")"
export DISPLAY
# No desktop's platform theme: Qt's generic one decides between XEmbed and StatusNotifierItem by itself.
unset XDG_CURRENT_DESKTOP QT_QPA_PLATFORMTHEME DESKTOP_SESSION

case "$mode" in
    xembed)
        trayer --edge top --align right --widthtype request --height 32 --expand false --transparent false \
            --tint 0x3d3846 --SetDockType true --SetPartialStrut false >"$tmp/trayer.log" 2>&1 &
        pids+=($!)
        ;;
    sni)
        "$python" "$here/sni-watcher.py" >"$tmp/watcher.log" 2>&1 &
        pids+=($!)
        for _ in $(seq 100); do
            grep -q ready "$tmp/watcher.log" && break
            sleep 0.1
        done
        grep -q ready "$tmp/watcher.log" || { echo "the StatusNotifierWatcher did not start"; exit 1; }
        ;;
    *)
        echo "usage: $0 xembed|sni TEST [ARGS...]" >&2
        exit 2
        ;;
esac

# Under ASan: full stack unwinding on malloc, so a leak inside Qt's D-Bus tray code (built without frame pointers)
# shows the frames that tests/sanitizers/lsan.supp names; only this short test pays for the slower unwinding.
if [ -n "${ASAN_OPTIONS:-}" ]; then
    export ASAN_OPTIONS="$ASAN_OPTIONS:fast_unwind_on_malloc=0"
fi
QT_QPA_PLATFORM=xcb NIMBUS_TRAY_HOST=$mode "$@"
