#!/usr/bin/env bash
# The Debian package end to end: builds nimbus_<version>_amd64.deb with CPack, checks its contents and
# control data, installs it into a fresh Debian 12 root (debootstrap --variant=minbase, from Debian's mirror),
# boots that root with systemd (systemd-nspawn) and runs the installed units there: nimbus-helper.service starts
# and stays up, its socket's owner and mode, nimbusctl as root, as a member of group nimbus and as anybody else, an
# operator connects a network (a TUN device made by the unprivileged service user), nimbus@NAME.service with
# /etc/nimbus/NAME.net and its own socket, a restart after kill -9, stop, the units' exposure scores
# (systemd-analyze security); then it removes and purges the package and compares the root with its state before
# the install.
#
# Usage: package-test.sh BUILD_DIR
#   BUILD_DIR  a configured and built Nimbus build folder (CPackConfig.cmake, the three executables)
# Environment:
#   NIMBUS_PACKAGE_TEST=1  required: without it the test skips (exit 77), so the default ctest run leaves it out
#   NIMBUS_PACKAGE_CACHE   where the debootstrap tarball and apt's downloads are kept between runs
#                          (default BUILD_DIR/package-test-cache); delete it to start from scratch
#   NIMBUS_DEBIAN_MIRROR   default http://deb.debian.org/debian (security: ...-security beside it)
#   NIMBUS_PACKAGE_TMPFS=0 build the root on disk below the cache instead of in a tmpfs (2 GB limit, ~0.6 used)
#   NIMBUS_KEEP_ROOT=1     keep the Debian root for a look afterwards (on disk: implies NIMBUS_PACKAGE_TMPFS=0)
# Needs root, debootstrap, cpack, systemd-nspawn (Debian's systemd-container), nsenter, systemd-analyze (and a
# reachable mirror the first time). Exit 77 = skipped. The container, every mount and the root are removed on
# exit, also on failure or Ctrl-C.
#
# What may stay after a purge: the system user and group "nimbus" (Debian leaves system users in place, files
# may still belong to them), i.e. the nimbus lines in /etc/passwd, group, shadow, gshadow. Nothing else.
set -euo pipefail

build=$(realpath "${1:?usage: package-test.sh BUILD_DIR}")
cache=${NIMBUS_PACKAGE_CACHE:-$build/package-test-cache}
mirror=${NIMBUS_DEBIAN_MIRROR:-http://deb.debian.org/debian}
suite=bookworm
start_time=$SECONDS

log() { printf '[%s] %s\n' "$(date +%T)" "$*"; }
die() { log "FAIL: $*"; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }

# Not part of the default run (yet): it needs the network and ~45 s. ctest -L package with this set runs it.
[ "${NIMBUS_PACKAGE_TEST:-0}" = 1 ] || skip "set NIMBUS_PACKAGE_TEST=1 to run the package test"
[ "$(id -u)" -eq 0 ] || skip "needs root (debootstrap, chroot, network namespaces)"
for tool in debootstrap cpack dpkg-deb chroot mount systemd-nspawn nsenter systemd-analyze; do
    command -v "$tool" >/dev/null || skip "$tool is missing (apt-get install debootstrap systemd-container)"
done
[ "$(dpkg --print-architecture)" = amd64 ] || skip "the package test expects amd64"
[ -f "$build/CPackConfig.cmake" ] || die "$build has no CPackConfig.cmake (configure it first)"
if grep -qE 'NIMBUS_SANITIZERS:STRING=.+' "$build/CMakeCache.txt" 2>/dev/null; then
    skip "a sanitizer build is not packaged"
fi

mkdir -p "$cache"
[ "${NIMBUS_KEEP_ROOT:-0}" = 1 ] && NIMBUS_PACKAGE_TMPFS=0
work=$(mktemp -d "$cache/run.XXXXXX")
root=$work/root
nspawn_pid=""

# Unmounts everything below the root, deepest first; true if nothing is mounted there any more.
unmount_all() {
    local mounts m
    mapfile -t mounts < <(awk -v r="$root" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/self/mounts | sort -r)
    for m in "${mounts[@]}"; do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done
    ! awk -v r="$root" '$2 == r || index($2, r "/") == 1 { found = 1 } END { exit !found }' /proc/self/mounts
}

# A trap may fire while a command's output goes to a log file in $work: cleanup writes to the original outputs.
exec 3>&1 4>&2
cleanup() {
    local status=$?
    set +e
    exec 1>&3 2>&4
    if [ -n "$nspawn_pid" ] && kill -0 "$nspawn_pid" 2>/dev/null; then
        kill -9 "$nspawn_pid" 2>/dev/null
        wait "$nspawn_pid" 2>/dev/null
    fi
    if [ "$status" -ne 0 ] && [ -f "$work/boot.log" ]; then
        echo "----- container console (last 30 lines)"
        tail -n 30 "$work/boot.log"
    fi
    if unmount_all; then
        if [ "${NIMBUS_KEEP_ROOT:-0}" = 1 ]; then
            echo "kept the Debian root: $root"
        else
            rm -rf --one-file-system "$work"
        fi
    else
        echo "WARNING: mounts below $root remain; not deleting $work" >&2
        status=1
    fi
    log "package test finished after $((SECONDS - start_time)) s with status $status"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }
apt_in_root() {
    in_root env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o APT::Sandbox::User=root \
        -o Dpkg::Use-Pty=0 "$@"
}

# ---- 1. The package and what is in it.
log "building the package (cpack -G DEB)"
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/pkg" > "$work/cpack.log" 2>&1 \
    || { cat "$work/cpack.log"; die "cpack failed"; }
deb=$(find "$work/pkg" -maxdepth 1 -name 'nimbus_*_amd64.deb' | head -n1)
[ -f "$deb" ] || die "cpack made no nimbus_<version>_amd64.deb: $(ls "$work/pkg")"
version=$(dpkg-deb -f "$deb" Version)
[ "$(basename "$deb")" = "nimbus_${version}_amd64.deb" ] || die "unexpected file name $(basename "$deb")"
log "$(basename "$deb"): $(stat -c %s "$deb") bytes"
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' > "$work/contents.txt"
for path in /usr/sbin/nimbus-helper /usr/bin/nimbus /usr/bin/nimbusctl \
    /usr/lib/systemd/system/nimbus-helper.service /usr/lib/systemd/system/nimbus@.service \
    /usr/lib/systemd/system/nimbus.target /usr/lib/sysusers.d/nimbus.conf /usr/lib/tmpfiles.d/nimbus.conf \
    /usr/share/applications/org.nimbusvpn.Nimbus.desktop /usr/share/metainfo/org.nimbusvpn.Nimbus.metainfo.xml \
    /usr/share/icons/hicolor/scalable/apps/org.nimbusvpn.Nimbus.svg /usr/share/doc/nimbus/copyright \
    /usr/share/doc/nimbus/changelog.gz; do
    grep -qxF "$path" "$work/contents.txt" || die "the package lacks $path"
done
if grep -vE '^/usr/(bin|sbin|lib/systemd/system|lib/sysusers\.d|lib/tmpfiles\.d|share/(applications|metainfo|icons|doc))(/|$)|^/$|^/usr/$|^/usr/(lib|share)/$|^/usr/lib/systemd/$' \
    "$work/contents.txt"; then
    die "the package ships files outside the expected folders (above)"
fi
depends=$(dpkg-deb -f "$deb" Depends)
for dep in systemd libc6 libqt6core6 libqt6network6 libqt6widgets6 libsodium23 libyaml-cpp0.7 libqt6keychain1; do
    grep -qE "(^|, )$dep( |,|$)" <<<"$depends" || die "Depends lacks $dep: $depends"
done
dpkg-deb -e "$deb" "$work/control"
for script in postinst prerm postrm; do
    [ -x "$work/control/$script" ] || die "the package has no executable $script"
done
mkdir -p "$work/data" && dpkg-deb -x "$deb" "$work/data"
grep -qx 'ExecStart=/usr/sbin/nimbus-helper --service --control-socket /run/nimbus/control.sock' \
    "$work/data/usr/lib/systemd/system/nimbus-helper.service" || die "nimbus-helper.service does not start /usr/sbin/nimbus-helper"
grep -q '^ExecStart=/usr/sbin/nimbus-helper --config' "$work/data/usr/lib/systemd/system/nimbus@.service" \
    || die "nimbus@.service does not start /usr/sbin/nimbus-helper"
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$work/data/usr/share/applications/org.nimbusvpn.Nimbus.desktop" || die "desktop-file-validate"
fi
if command -v appstreamcli >/dev/null; then
    appstreamcli validate --no-net "$work/data/usr/share/metainfo/org.nimbusvpn.Nimbus.metainfo.xml" >/dev/null \
        || die "appstreamcli validate"
fi
if command -v lintian >/dev/null; then
    # Errors fail; the known warnings are no manual pages and nimbus@.service being WantedBy=nimbus.target.
    lintian_status=0
    lintian --fail-on error "$deb" > "$work/lintian.txt" 2>&1 || lintian_status=$?
    grep -v 'running with root privileges' "$work/lintian.txt" || true
    [ "$lintian_status" = 0 ] || die "lintian found errors"
fi
log "package contents, Depends and maintainer scripts look right"

# ---- 2. A clean Debian 12 root. The downloaded packages are kept as a tarball in the cache.
tarball=$cache/debootstrap-$suite-minbase-amd64.tgz
# Without the mirror nothing can be installed: skip (clearly) rather than fail on a network outage.
mirror_host=${mirror#*://}
mirror_host=${mirror_host%%/*}
if ! timeout 10 bash -c "exec 3<>/dev/tcp/${mirror_host%%:*}/80" 2>/dev/null; then
    skip "the Debian mirror $mirror is not reachable"
fi
if [ ! -s "$tarball" ]; then
    log "downloading a minbase $suite into $tarball (first run only)"
    debootstrap --variant=minbase --arch=amd64 --make-tarball="$tarball.part" "$suite" "$work/dl" "$mirror" \
        > "$work/debootstrap-dl.log" 2>&1 || { tail -n 20 "$work/debootstrap-dl.log"; die "debootstrap --make-tarball failed"; }
    mv "$tarball.part" "$tarball"
    rm -rf --one-file-system "$work/dl"
fi
# The root lives in a tmpfs: dpkg's many fsyncs and deleting 600 MB cost a minute or more on a busy disk.
mkdir -p "$root"
if [ "${NIMBUS_PACKAGE_TMPFS:-1}" = 1 ]; then
    mount -t tmpfs -o size=2g,mode=0755 nimbus-package-test "$root"
fi
log "debootstrap --variant=minbase $suite (from the cached tarball)"
debootstrap --variant=minbase --arch=amd64 --unpack-tarball="$tarball" "$suite" "$root" "$mirror" \
    > "$work/debootstrap.log" 2>&1 || { tail -n 20 "$work/debootstrap.log"; die "debootstrap failed"; }

security=${mirror%/debian}/debian-security
[ "$security" != "$mirror/debian-security" ] || security=http://deb.debian.org/debian-security
cat > "$root/etc/apt/sources.list" <<EOF
deb $mirror $suite main
deb $mirror $suite-updates main
deb $security $suite-security main
EOF
cp /etc/resolv.conf "$root/etc/resolv.conf"
# apt's lists and downloads live in the cache (bind mounts), so later runs download only what changed.
mkdir -p "$cache/apt-archives/partial" "$cache/apt-lists/partial"
mount --bind "$cache/apt-archives" "$root/var/cache/apt/archives"
mount --bind "$cache/apt-lists" "$root/var/lib/apt/lists"
mount -t proc proc "$root/proc"

log "installing the package's dependencies from the mirror"
apt_in_root update > "$work/apt.log" 2>&1 || { tail -n 20 "$work/apt.log"; die "apt-get update failed"; }
apt_in_root --no-install-recommends satisfy "$depends" >> "$work/apt.log" 2>&1 \
    || { tail -n 30 "$work/apt.log"; die "cannot install the dependencies: $depends"; }

# boot_root: boots the root in a container (systemd-nspawn) with its own network namespace and waits until its
# systemd is up; in_box CMD... runs CMD inside it. poweroff_root stops it. apt's bind mounts and /proc come off the
# root while it runs and /proc comes back afterwards. The four nspawn options are all needed here: the unified
# cgroup hierarchy, --register=no and --keep-unit because no systemd runs on the host, --system-call-filter=bpf so
# that the units' DeviceAllow= works.
in_box() { nsenter -t "$init_pid" -a /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }
boot_root() {
    local path state=""
    for path in "$root/proc" "$root/var/cache/apt/archives" "$root/var/lib/apt/lists"; do
        ! mountpoint -q "$path" || umount "$path"
    done
    SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1 systemd-nspawn -q -D "$root" -M "nimpkg$$" -b --private-network \
        --register=no --keep-unit --system-call-filter=bpf >> "$work/boot.log" 2>&1 < /dev/null &
    nspawn_pid=$!
    init_pid=""
    for _ in $(seq 100); do
        init_pid=$(pgrep -P "$nspawn_pid" | head -n1) && [ -n "$init_pid" ] && break
        sleep 0.1
    done
    [ -n "$init_pid" ] || die "systemd-nspawn started no init: $(tail -n 20 "$work/boot.log")"
    for _ in $(seq 300); do
        state=$(in_box systemctl is-system-running 2>/dev/null) || true
        case "$state" in running|degraded) break ;; esac
        sleep 0.1
    done
    case "$state" in
        running) ;;
        degraded) log "system state degraded: $(in_box systemctl --failed --no-legend | tr '\n' ' ')" ;;
        *) die "the container did not boot (state '$state'): $(tail -n 20 "$work/boot.log")" ;;
    esac
    # nspawn creates /dev/net/tun with mode 0600; udev makes it 0666 on a real host.
    in_box chmod 0666 /dev/net/tun
    log "booted the root in a container ($state)"
}
poweroff_root() {
    in_box systemctl poweroff || true
    for _ in $(seq 300); do kill -0 "$nspawn_pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$nspawn_pid" 2>/dev/null; then
        kill -9 "$nspawn_pid"
        die "the container did not power off"
    fi
    wait "$nspawn_pid" 2>/dev/null || true
    nspawn_pid=""
    mount -t proc proc "$root/proc"
    log "the container powered off"
}

# The state to come back to after the purge (files, modes and owners; not dpkg's and apt's own records).
snapshot() {
    in_root find / -xdev \( -path /proc -o -path /sys -o -path /dev -o -path /tmp -o -path /var/cache \
        -o -path /var/lib/apt -o -path /var/lib/dpkg -o -path /var/log \) -prune -o -printf '%M %u:%g %p\n' \
        | sort > "$1"
}
# Users for the tests below (alice joins group nimbus once it exists), and a first boot: what systemd's first
# start writes (machine id, random seed) is not the package's.
in_root useradd --no-create-home alice
in_root useradd --no-create-home mallory
boot_root
poweroff_root
snapshot "$work/before.txt"
cp "$root/etc/passwd" "$work/passwd.before"

# ---- 3. Install. No systemd runs in the root, so postinst must not try to start anything.
cp "$deb" "$root/tmp/"
log "dpkg -i $(basename "$deb")"
in_root dpkg -i "/tmp/$(basename "$deb")" > "$work/dpkg-install.log" 2>&1 \
    || { cat "$work/dpkg-install.log"; die "dpkg -i failed"; }
grep -iE 'warning|error' "$work/dpkg-install.log" && die "dpkg -i printed warnings or errors"
[ "$(in_root dpkg-query -W -f "\${Status}" nimbus)" = "install ok installed" ] || die "nimbus is not installed"

[[ "$(in_root getent passwd nimbus)" == *:/var/lib/nimbus:/usr/sbin/nologin ]] || die "postinst made no nimbus user"
in_root getent group nimbus >/dev/null || die "postinst made no nimbus group"
nimbus_gid=$(in_root getent group nimbus | cut -d: -f3)
nimbus_uid=$(in_root getent passwd nimbus | cut -d: -f3)
# Owners as the root's own /etc/passwd names them (stat inside the chroot).
perms() { in_root stat -c '%a %U:%G' "$1"; }
[ "$(perms /run/nimbus)" = "750 nimbus:nimbus" ] || die "/run/nimbus is $(perms /run/nimbus), expected 750 nimbus:nimbus"
[ "$(perms /etc/nimbus)" = "700 root:root" ] || die "/etc/nimbus is $(perms /etc/nimbus), expected 700 root:root"
for link in multi-user.target.wants/nimbus-helper.service multi-user.target.wants/nimbus.target; do
    # deb-systemd-helper links to /lib/systemd/system/..., the same file on a merged-/usr system.
    [ "$(in_root readlink -f "/etc/systemd/system/$link")" = "/usr/lib/systemd/system/$(basename "$link")" ] \
        || die "postinst did not enable $(basename "$link") (no /etc/systemd/system/$link)"
done
log "installed: user and group nimbus (gid $nimbus_gid), /run/nimbus 0750, /etc/nimbus 0700, units enabled"

# ---- 4. The units under a real systemd: the root boots in a container with its own network.
boot_root

main_pid() { in_box systemctl show -P MainPID "$1"; }
unit_state() { in_box systemctl is-active "$1" || true; }
log "systemctl start nimbus-helper.service"
in_box systemctl start nimbus-helper.service || die "systemctl start nimbus-helper.service failed"
for _ in $(seq 50); do in_box test -S /run/nimbus/control.sock && break; sleep 0.1; done
first_pid=$(main_pid nimbus-helper.service)
sleep 3
# A unit that dies on start (e.g. of its system call filter) is restarted: the same PID and no restarts after 3 s.
[ "$(unit_state nimbus-helper.service)" = active ] \
    || die "nimbus-helper.service is not running: $(in_box systemctl status --no-pager nimbus-helper.service | tail -n 15)"
[ "$(main_pid nimbus-helper.service)" = "$first_pid" ] && [ "$(in_box systemctl show -P NRestarts nimbus-helper.service)" = 0 ] \
    || die "nimbus-helper.service keeps restarting: $(in_box journalctl -u nimbus-helper.service --no-pager | tail -n 15)"
[ "$(in_box stat -c %U "/proc/$first_pid")" = nimbus ] || die "the helper does not run as nimbus"
perms() { in_box stat -c '%a %U:%G' "$1"; }
[ "$(perms /run/nimbus)" = "750 nimbus:nimbus" ] || die "/run/nimbus is $(perms /run/nimbus)"
[ "$(perms /run/nimbus/control.sock)" = "660 nimbus:nimbus" ] || die "the control socket is $(perms /run/nimbus/control.sock)"
log "nimbus-helper.service runs as nimbus (pid $first_pid); /run/nimbus/control.sock 660 nimbus:nimbus"

in_box usermod --append --groups nimbus alice
as() { local who=$1; shift; in_box setpriv --reuid="$who" --regid="$who" --init-groups "$@"; }
in_box nimbusctl status > "$work/status.txt" 2>&1 || die "nimbusctl status (root) failed: $(cat "$work/status.txt")"
as alice nimbusctl status > /dev/null 2>&1 || die "nimbusctl status as a member of group nimbus failed"
status=0
as mallory nimbusctl status > "$work/stranger.txt" 2>&1 || status=$?
[ "$status" = 3 ] || die "a user outside group nimbus got exit code $status (expected 3): $(cat "$work/stranger.txt")"
log "nimbusctl status: root ok, group nimbus ok, others refused (exit 3)"

# An operator connects a network from a profile file: the helper (user nimbus) makes a TUN device.
# (The container's /tmp is its own tmpfs.)
in_box sh -c 'cat > /tmp/office.yaml && chmod 0644 /tmp/office.yaml' <<'YAML'
ip: 10.77.0.2/24
listen: 3210
crypto:
  password: pkgtest-secret
YAML
links_before=$(in_box ls /sys/class/net)
as alice nimbusctl connect /tmp/office.yaml --name office > "$work/connect.txt" 2>&1 \
    || die "nimbusctl connect as an operator failed: $(cat "$work/connect.txt")"
tun_dev=""
for _ in $(seq 50); do
    tun_dev=$(comm -13 <(sort <<<"$links_before") <(in_box ls /sys/class/net | sort) | head -n1)
    [ -n "$tun_dev" ] && break
    sleep 0.1
done
[ -n "$tun_dev" ] || die "no TUN device appeared after the connect"
grep -q '"office"' <<<"$(in_box nimbusctl --json status)" || die "status does not list the network"
as alice nimbusctl disconnect office > /dev/null || die "nimbusctl disconnect failed"
log "an operator connected a network (TUN device $tun_dev) and disconnected it"

# A network unit: /etc/nimbus/NAME.net, its own runtime folder and socket, not touching /run/nimbus.
printf 'ip: 10.78.0.1/24\nlisten: 3211\ncrypto:\n  password: pkgtest-net\n' > "$root/etc/nimbus/lab.net"
chmod 0600 "$root/etc/nimbus/lab.net"
in_box systemctl start nimbus@lab.service || die "systemctl start nimbus@lab failed"
for _ in $(seq 50); do in_box test -S /run/nimbus-net/lab/control.sock && break; sleep 0.1; done
[ "$(unit_state nimbus@lab.service)" = active ] \
    || die "nimbus@lab is not running: $(in_box journalctl -u nimbus@lab.service --no-pager | tail -n 15)"
[ "$(perms /run/nimbus-net/lab/control.sock)" = "660 root:nimbus" ] \
    || die "nimbus@lab's socket is $(perms /run/nimbus-net/lab/control.sock)"
as alice nimbusctl --socket /run/nimbus-net/lab/control.sock status > /dev/null \
    || die "nimbusctl status on nimbus@lab's socket as a member of nimbus failed"
in_box test -f /run/nimbus-net/lab/stats || die "nimbus@lab wrote no stats file"
[ "$(perms /run/nimbus)" = "750 nimbus:nimbus" ] && [ "$(perms /run/nimbus/control.sock)" = "660 nimbus:nimbus" ] \
    || die "starting nimbus@lab changed /run/nimbus: $(perms /run/nimbus), $(perms /run/nimbus/control.sock)"
in_box systemctl stop nimbus@lab.service
in_box test -e /run/nimbus-net/lab && die "stopping nimbus@lab left /run/nimbus-net/lab"
in_box test -S /run/nimbus/control.sock || die "stopping nimbus@lab removed nimbus-helper.service's socket"
rm "$root/etc/nimbus/lab.net" # the admin's file: a purge keeps it (checked below with another one)
log "nimbus@lab ran with /run/nimbus-net/lab/control.sock (660 root:nimbus) and left /run/nimbus alone"

# Restart=on-failure: a helper killed with SIGKILL comes back.
in_box sh -c "kill -9 $first_pid"
second_pid=""
for _ in $(seq 100); do
    second_pid=$(main_pid nimbus-helper.service)
    [ "$(unit_state nimbus-helper.service)" = active ] && [ "$second_pid" != 0 ] && [ "$second_pid" != "$first_pid" ] && break
    sleep 0.1
done
[ "$second_pid" != "$first_pid" ] && [ "$(unit_state nimbus-helper.service)" = active ] \
    || die "nimbus-helper.service did not come back after kill -9"
for _ in $(seq 50); do in_box nimbusctl status > /dev/null 2>&1 && break; sleep 0.1; done
in_box nimbusctl status > /dev/null || die "the restarted helper does not answer"
log "after kill -9 systemd restarted the helper (pid $first_pid -> $second_pid)"
in_box systemctl stop nimbus-helper.service
[ "$(unit_state nimbus-helper.service)" = inactive ] || die "nimbus-helper.service did not stop"
in_box journalctl --no-pager -u nimbus-helper.service -u nimbus@lab.service > "$work/journal.txt" 2>&1 || true
grep -F -e 'pkgtest-secret' -e 'pkgtest-net' "$work/journal.txt" && die "a helper logged a network's password"

# The exposure scores of the installed units (lower is better; the service unit scored 1.9, nimbus@ 6.0 before
# it was hardened like the service unit).
for unit in nimbus-helper.service nimbus@.service; do
    score=$(systemd-analyze security --offline=yes "$root/usr/lib/systemd/system/$unit" 2>&1 \
        | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
    [ -n "$score" ] || die "systemd-analyze security gave no score for $unit"
    awk -v s="$score" 'BEGIN { exit !(s <= 3.0) }' || die "$unit's exposure score $score is above 3.0"
    log "systemd-analyze security: $unit $score"
done

poweroff_root

# ---- 5. Remove, then purge: back to the state before the install (but for the user, see the top).
log "dpkg --remove nimbus"
in_root dpkg --remove nimbus > "$work/dpkg-remove.log" 2>&1 || { cat "$work/dpkg-remove.log"; die "dpkg --remove failed"; }
for path in /usr/sbin/nimbus-helper /usr/bin/nimbus /usr/bin/nimbusctl /usr/lib/systemd/system/nimbus-helper.service; do
    [ ! -e "$root$path" ] || die "$path is still there after dpkg --remove"
done
log "dpkg --purge nimbus"
in_root dpkg --purge nimbus > "$work/dpkg-purge.log" 2>&1 || { cat "$work/dpkg-purge.log"; die "dpkg --purge failed"; }
in_root dpkg-query -W nimbus >/dev/null 2>&1 && die "dpkg still knows nimbus after the purge"
snapshot "$work/after.txt"
if ! diff -u "$work/before.txt" "$work/after.txt" > "$work/leftovers.diff"; then
    cat "$work/leftovers.diff"
    die "the purge left the root different from before the install (above)"
fi
diff <(grep -v '^nimbus:' "$root/etc/passwd") "$work/passwd.before" > /dev/null \
    || die "/etc/passwd changed in more than the nimbus user"
in_root getent passwd nimbus > /dev/null || die "the nimbus user went away (Debian keeps system users)"
log "after the purge: no files left behind; the system user nimbus stays (by design)"

# ---- 6. Reinstall over the kept user, reinstall once more (an upgrade to the same version), and purge with a
# network file in /etc/nimbus: the admin's file and the folder stay, with a note.
in_root dpkg -i "/tmp/$(basename "$deb")" > "$work/dpkg-reinstall.log" 2>&1 \
    || { cat "$work/dpkg-reinstall.log"; die "reinstalling failed"; }
[ "$(in_root getent passwd nimbus | cut -d: -f3)" = "$nimbus_uid" ] || die "the reinstall changed the nimbus uid"
in_root dpkg -i "/tmp/$(basename "$deb")" > "$work/dpkg-upgrade.log" 2>&1 \
    || { cat "$work/dpkg-upgrade.log"; die "installing over the installed package failed"; }
printf 'ip: 10.78.0.1/24\n' > "$root/etc/nimbus/office.net"
in_root dpkg --purge nimbus > "$work/dpkg-purge2.log" 2>&1 || { cat "$work/dpkg-purge2.log"; die "second purge failed"; }
[ -f "$root/etc/nimbus/office.net" ] || die "the purge deleted the admin's /etc/nimbus/office.net"
grep -q '/etc/nimbus is not empty and was kept' "$work/dpkg-purge2.log" || die "the purge did not say it kept /etc/nimbus"
for path in /usr/sbin/nimbus-helper /run/nimbus /var/lib/nimbus /etc/systemd/system/multi-user.target.wants/nimbus-helper.service; do
    [ ! -e "$root$path" ] || die "$path is still there after the second purge"
done
log "reinstall, same-version upgrade and a purge that keeps a non-empty /etc/nimbus: ok"
log "PASS"
