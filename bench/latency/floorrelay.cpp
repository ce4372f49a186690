// bench_floor_relay: the least a user-space tunnel can do per packet, to measure the latency floor of a machine.
//
// Reads IP packets from a TUN device, seals each with ChaCha20-Poly1305 (libsodium) into one UDP datagram to the
// other end, and writes what it opens from UDP to the TUN device: one read and one send per packet, no batching,
// no routing, no peers, no protocol. With --qt the same work runs from QSocketNotifiers on Qt's UNIX event
// dispatcher; with --epoll from ReadWatches on nimbus-helper's own EpollEventDispatcher, as the helper reads its
// TUN and UDP descriptors; with neither, from a plain poll() loop. bench/latency runs two of them next to
// two nimbus-helpers and the raw link, so the round trip a tunnel adds can be compared with this floor.
//
// Not a VPN: the key comes from the command line, nonces are a random prefix and a counter, and nothing guards
// against replays. It carries benchmark pings between two network namespaces and nothing else.
#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <sodium.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QSocketNotifier>

#include "helper/platform/linux/epolldispatcher.h"

namespace
{

constexpr size_t kNonceBytes = crypto_aead_chacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kTagBytes = crypto_aead_chacha20poly1305_ietf_ABYTES;
constexpr size_t kMaxPacket = 65536;

struct Options {
    std::string tun;
    int port = 0;
    sockaddr_in peer {};
    std::array<unsigned char, crypto_aead_chacha20poly1305_ietf_KEYBYTES> key {};
    bool qt = false;
    bool epoll = false;
};

[[noreturn]] void usage(const char *problem)
{
    std::fprintf(stderr,
        "bench_floor_relay: %s\n"
        "usage: bench_floor_relay --tun NAME --port PORT --peer IPV4:PORT [--qt | --epoll]\n"
        "  the 32-byte key comes as 64 hex digits from the environment variable FLOOR_RELAY_KEY\n",
        problem);
    std::exit(2);
}

Options parse(int argc, char **argv)
{
    Options o;
    bool havePeer = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        const auto value = [&]() -> const char * {
            if (i + 1 >= argc)
                usage("an option lacks its value");
            return argv[++i];
        };
        if (arg == "--tun") {
            o.tun = value();
        } else if (arg == "--port") {
            o.port = std::atoi(value());
        } else if (arg == "--peer") {
            const std::string peer = value();
            const size_t colon = peer.rfind(':');
            if (colon == std::string::npos)
                usage("--peer needs IPV4:PORT");
            o.peer.sin_family = AF_INET;
            o.peer.sin_port = htons(static_cast<uint16_t>(std::atoi(peer.c_str() + colon + 1)));
            if (inet_pton(AF_INET, peer.substr(0, colon).c_str(), &o.peer.sin_addr) != 1)
                usage("--peer: not an IPv4 address");
            havePeer = true;
        } else if (arg == "--qt") {
            o.qt = true;
        } else if (arg == "--epoll") {
            o.epoll = true;
        } else {
            usage("unknown option");
        }
    }
    const char *hex = std::getenv("FLOOR_RELAY_KEY");
    size_t keyLength = 0;
    if (!hex || sodium_hex2bin(o.key.data(), o.key.size(), hex, std::strlen(hex), nullptr, &keyLength, nullptr) != 0
        || keyLength != o.key.size())
        usage("FLOOR_RELAY_KEY must hold 64 hex digits");
    if (o.tun.empty() || o.port <= 0 || o.port > 65535 || !havePeer)
        usage("--tun, --port and --peer are required");
    return o;
}

class Relay
{
public:
    explicit Relay(const Options &options) : m_options(options) { randombytes_buf(m_nonce.data(), m_nonce.size()); }

    bool open()
    {
        m_tun = ::open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
        ifreq request {};
        request.ifr_flags = IFF_TUN | IFF_NO_PI;
        std::strncpy(request.ifr_name, m_options.tun.c_str(), IFNAMSIZ - 1);
        if (m_tun < 0 || ::ioctl(m_tun, TUNSETIFF, &request) < 0) {
            std::perror("bench_floor_relay: TUN device");
            return false;
        }
        m_udp = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        sockaddr_in local {};
        local.sin_family = AF_INET;
        local.sin_port = htons(static_cast<uint16_t>(m_options.port));
        if (m_udp < 0 || ::bind(m_udp, reinterpret_cast<const sockaddr *>(&local), sizeof local) < 0) {
            std::perror("bench_floor_relay: UDP socket");
            return false;
        }
        return true;
    }

    int tunFd() const { return m_tun; }
    int udpFd() const { return m_udp; }

    // TUN -> UDP until the device would block: nonce, then ciphertext and tag.
    void fromTun()
    {
        for (;;) {
            const ssize_t n = ::read(m_tun, m_plain.data(), m_plain.size());
            if (n <= 0)
                return;
            sodium_increment(m_nonce.data() + 4, m_nonce.size() - 4);
            std::memcpy(m_sealed.data(), m_nonce.data(), kNonceBytes);
            unsigned long long sealedLength = 0;
            crypto_aead_chacha20poly1305_ietf_encrypt(m_sealed.data() + kNonceBytes,
                &sealedLength,
                m_plain.data(),
                static_cast<unsigned long long>(n),
                nullptr,
                0,
                nullptr,
                m_nonce.data(),
                m_options.key.data());
            ::sendto(m_udp,
                m_sealed.data(),
                kNonceBytes + sealedLength,
                0,
                reinterpret_cast<const sockaddr *>(&m_options.peer),
                sizeof m_options.peer);
        }
    }

    // UDP -> TUN until the socket would block; what does not open is dropped.
    void fromUdp()
    {
        for (;;) {
            const ssize_t n = ::recv(m_udp, m_sealed.data(), m_sealed.size(), 0);
            if (n < 0)
                return;
            if (static_cast<size_t>(n) < kNonceBytes + kTagBytes)
                continue;
            unsigned long long plainLength = 0;
            if (crypto_aead_chacha20poly1305_ietf_decrypt(m_plain.data(),
                    &plainLength,
                    nullptr,
                    m_sealed.data() + kNonceBytes,
                    static_cast<unsigned long long>(n) - kNonceBytes,
                    nullptr,
                    0,
                    m_sealed.data(),
                    m_options.key.data())
                != 0)
                continue;
            if (::write(m_tun, m_plain.data(), plainLength) < 0)
                continue; // the device dropped it; so would a real tunnel
        }
    }

private:
    Options m_options;
    int m_tun = -1;
    int m_udp = -1;
    std::array<unsigned char, kNonceBytes> m_nonce {};
    std::array<unsigned char, kMaxPacket> m_plain {};
    std::array<unsigned char, kMaxPacket + kNonceBytes + kTagBytes> m_sealed {};
};

int runPollLoop(Relay &relay)
{
    std::array<pollfd, 2> fds {{{relay.tunFd(), POLLIN, 0}, {relay.udpFd(), POLLIN, 0}}};
    for (;;) {
        if (::poll(fds.data(), fds.size(), -1) < 0)
            continue; // EINTR
        if (fds[0].revents)
            relay.fromTun();
        if (fds[1].revents)
            relay.fromUdp();
    }
}

int runEpollLoop(int argc, char **argv, Relay &relay)
{
    QCoreApplication::setEventDispatcher(new Nimbus::EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    Nimbus::ReadWatch tun(relay.tunFd(), [&relay] { relay.fromTun(); });
    Nimbus::ReadWatch udp(relay.udpFd(), [&relay] { relay.fromUdp(); });
    tun.setEnabled(true);
    udp.setEnabled(true);
    return QCoreApplication::exec();
}

int runQtLoop(int argc, char **argv, Relay &relay)
{
    qputenv("QT_NO_GLIB", "1"); // Qt's UNIX event dispatcher, not GLib's
    QCoreApplication app(argc, argv);
    QSocketNotifier tun(relay.tunFd(), QSocketNotifier::Read);
    QSocketNotifier udp(relay.udpFd(), QSocketNotifier::Read);
    QObject::connect(&tun, &QSocketNotifier::activated, [&relay] { relay.fromTun(); });
    QObject::connect(&udp, &QSocketNotifier::activated, [&relay] { relay.fromUdp(); });
    return QCoreApplication::exec();
}

} // namespace

int main(int argc, char **argv)
{
    if (sodium_init() < 0) {
        std::fprintf(stderr, "bench_floor_relay: libsodium failed to initialise\n");
        return 1;
    }
    const Options options = parse(argc, argv);
    static Relay relay(options); // 128 KiB of buffers: not on the stack
    if (!relay.open())
        return 1;
    if (options.epoll)
        return runEpollLoop(argc, argv, relay);
    return options.qt ? runQtLoop(argc, argv, relay) : runPollLoop(relay);
}
