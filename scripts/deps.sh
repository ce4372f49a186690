#!/usr/bin/env bash
# Installs the Debian 12 packages Nimbus needs to build, test and run the demo, when any is missing.
# debootstrap, systemd-container (systemd-nspawn), desktop-file-utils and appstream: the package test; iptables:
# bench/soak's fault injection and the path fault tests; conntrack: the NAT rebinding test;
# tinc, nebula, wireguard-go, wireguard-tools: bench/throughput --refs; trayer, xdotool, x11-utils, python3-dbus,
# python3-gi: the tray in real tray hosts (tests/ui/realtray); imagemagick: scripts/screenshots --tray.
# Sourced by scripts/test and scripts/demo.
nimbus_packages=(
    build-essential cmake pkg-config ninja-build
    qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libgl-dev
    qtkeychain-qt6-dev libsodium-dev libssl-dev libyaml-cpp-dev
    python3 python3-cryptography
    iproute2 iputils-ping socat iperf3 procps psmisc util-linux
    dbus dbus-x11 gnome-keyring libsecret-tools xvfb xauth
    trayer xdotool x11-utils python3-dbus python3-gi imagemagick
    debootstrap systemd-container desktop-file-utils appstream iptables conntrack
    tinc nebula wireguard-go wireguard-tools
)

nimbus_install_deps()
{
    local missing=()
    local p
    for p in "${nimbus_packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "Installing missing packages: ${missing[*]}"
        local sudo=()
        [ "$(id -u)" -eq 0 ] || sudo=(sudo)
        "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
        DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
    fi
}
