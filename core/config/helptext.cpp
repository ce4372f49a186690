#include "core/config/commandline.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

QString helpText()
{
    return uR"(Usage: nimbus-helper [OPTIONS]                 run one network (VpnCloud 2.x compatible)
       nimbus-helper --service [OPTIONS]       run as a service; networks come from control clients
       nimbus-helper genkey [-p PASSWORD]      print a key pair
       nimbus-helper --version | --help

Options take their value as "--option VALUE" or "--option=VALUE" (short: "-l 3210", "-l3210").
LIST options may be repeated and also take comma-separated values. Settings given here override the
config file; lists (peers, claims, trusted keys, advertised addresses) are added to the file's.

Configuration
  --config FILE               VpnCloud 2.x YAML config file (kebab-case keys)
  -t, --type tun|tap          device type (default: tun)
  -d, --device NAME           device name, "%d" = first free number (default: vpncloud%d)
  --device-path PATH          tun/tap control device (default: /dev/net/tun)
  --fix-rp-filter             set the rp_filter sysctls to 1 if needed (default: off)
  -m, --mode MODE             normal, router, switch or hub (default: normal)
  --ip A.B.C.D[/LEN]          address of the device, netmask from LEN (default /24); unset by default
  --ifup CMD                  shell command run after the device is set up ($IFNAME set)
  --ifdown CMD                shell command run at exit ($IFNAME set)
  --advertise_addresses LIST  extra own addresses to announce, IP or IP:PORT (default: none)
                              (--advertise-addresses is accepted too)

Crypto
  -p, --password PASSWORD     shared password the key pair is derived from (env: NIMBUS_PASSWORD, PASSWORD)
  --password-file FILE        read the password from the first line of FILE (Nimbus; keeps it out of ps)
  --private-key KEY           base62 private key from genkey; alias --key (env: PRIVATE_KEY);
                              conflicts with --password
  --public-key KEY            base62 public key, checked against the private key
  --trusted-key LIST          base62 public keys to trust; alias --trust (default: only the own key)
  --algorithm LIST            plain, aes128, aes256, chacha20 in order of preference; alias --algo
                              (default: aes256 where the CPU has AES, chacha20; aes128 is
                              accepted but never offered; plain only if listed)

Peers and routing
  -l, --listen ADDR           PORT, *:PORT, IP, IP:PORT or [IPv6]:PORT to listen on (default: 3210)
  -c, --peer ADDR             peer to connect to, HOST[:PORT] (port default 3210); alias --connect; LIST
  --peer-timeout SECS         drop peers silent for this long (default: 300)
  --keepalive SECS            interval of peer list broadcasts (default: peer-timeout/2 - 60)
  --claim LIST                address ranges this node serves, ADDRESS/PREFIX (default: none)
  --no-auto-claim             do not claim the device's own address (default: auto-claim on)
  --switch-timeout SECS       lifetime of learned addresses in switch mode (default: 300)
  --no-port-forwarding        accepted for compatibility; Nimbus does no UPnP port forwarding
  --beacon-store PATH|CMD     accepted for compatibility; Nimbus does not support beacons (ignored
  --beacon-load PATH|CMD        with a warning); so are --beacon-interval SECS and
  --beacon-interval SECS        --beacon-password PASSWORD
  --beacon-password PASSWORD

Process
  --daemon                    go to the background after setup
  --pid-file FILE             write the process id there (with --daemon)
  --user NAME, --group NAME   drop privileges to this user/group after setup
  --log-file FILE             also log to FILE (truncated at start)
  --stats-file FILE           write statistics every 60 s (default: off)
  --statsd-server HOST:PORT   send statistics to statsd (default: off)
  --statsd-prefix PREFIX      statsd key prefix, requires a statsd server (default: vpncloud)
  --hook SCRIPT               script run for every event ($EVENT, $PEER, $IFNAME, $CLAIMS, $NODE_ID set)
  --hook EVENT:SCRIPT         script for one event: peer_connecting, peer_connected, peer_disconnected,
                              device_setup, device_configured, vpn_started, vpn_shutdown (repeatable)
  -v, --verbose               debug logging; conflicts with --quiet
  -q, --quiet                 errors only
  --version                   print the version
  -h, --help                  print this help

Nimbus extras
  --service                   service mode: no network at start; the GUI and nimbusctl add networks
  --control-socket PATH       control socket (default: /run/nimbus/control.sock)
  --allow-range CIDR          IPv4 range a non-root client (group nimbus) may use as a network's ip, besides
                              10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 and 100.64.0.0/10 (repeatable);
                              non-root clients never get a prefix wider than /8 or one overlapping an address
                              or route of this host
  --balance                   spread traffic over equal claimants (default: off)
  --no-fast-failover          turn off fast failover: ICMP-confirmed drops, probes of silent peers, roaming
                              and knocks; only CLOSE and the peer timeout count, as in VpnCloud (default: on)

genkey options
  -p, --password PASSWORD     derive the key pair from a password (env: NIMBUS_PASSWORD, PASSWORD);
                              without it the key pair is random
  --password-file FILE        read that password from FILE

Environment
  NIMBUS_PASSWORD             default for --password (preferred over PASSWORD)
  PASSWORD                    default for --password (as in VpnCloud)
  PRIVATE_KEY                 default for --private-key
  A password or key given as an option wins over the environment.

Exit status
  0  success (orderly shutdown, --help, --version, genkey)
  1  runtime failure (device, socket or network could not be set up, fatal error while running)
  2  bad usage or configuration (unknown option, bad value, invalid config file, no password or key)
)"_s;
}

} // namespace Nimbus
