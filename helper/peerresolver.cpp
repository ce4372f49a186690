#include "helper/peerresolver.h"

#include <QHostInfo>
#include <QTimer>

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

constexpr quint16 kDefaultPort = 3210;

} // namespace

Result<PeerName> PeerName::parse(const QString &text)
{
    PeerName name;
    name.text = text;
    if (std::optional<SocketAddress> literal = SocketAddress::parse(text, kDefaultPort)) {
        name.literal = *literal;
        name.host = text;
        name.port = literal->port();
        return name;
    }
    name.host = text;
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon >= 0 && !text.startsWith(u'[')) {
        bool ok = false;
        name.port = text.mid(colon + 1).toUShort(&ok);
        if (!ok || name.port == 0)
            return Error {u"bad-peer"_s, u"invalid peer address \"%1\": bad port"_s.arg(text)};
        name.host = text.left(colon);
    }
    if (name.host.trimmed().isEmpty())
        return Error {u"bad-peer"_s, u"invalid peer address \"%1\": no host"_s.arg(text)};
    return name;
}

PeerResolver::PeerResolver(QObject *parent) : PeerResolver(Timing {}, parent)
{
}

PeerResolver::PeerResolver(Timing timing, QObject *parent) : QObject(parent), m_timing(timing)
{
}

PeerResolver::~PeerResolver()
{
    // Lookups still running deliver to nobody: their context (this) is gone.
    for (const Entry &entry : std::as_const(m_entries)) {
        if (entry.lookupId >= 0)
            QHostInfo::abortHostLookup(entry.lookupId);
    }
}

void PeerResolver::add(const PeerName &name)
{
    Entry &entry = m_entries[name.text];
    if (entry.lookupId >= 0)
        QHostInfo::abortHostLookup(entry.lookupId);
    entry.lookupId = -1;
    entry.name = name;
    entry.failures = 0;
    if (name.literal) {
        const QList<SocketAddress> addresses {*name.literal};
        if (entry.addresses != addresses) {
            entry.addresses = addresses;
            Q_EMIT resolved(name.text, addresses);
        }
        return;
    }
    if (!entry.timer) {
        entry.timer = new QTimer(this);
        entry.timer->setSingleShot(true);
        const QString text = name.text;
        connect(entry.timer, &QTimer::timeout, this, [this, text] { lookup(text); });
    }
    entry.timer->stop();
    lookup(name.text);
}

QList<SocketAddress> PeerResolver::addresses(const QString &text) const
{
    const auto it = m_entries.constFind(text);
    return it == m_entries.cend() ? QList<SocketAddress> {} : it->addresses;
}

int PeerResolver::unresolvedCount() const
{
    return int(std::count_if(
        m_entries.cbegin(), m_entries.cend(), [](const Entry &entry) { return entry.addresses.isEmpty(); }));
}

void PeerResolver::lookup(const QString &text)
{
    const auto it = m_entries.find(text);
    if (it == m_entries.end() || it->lookupId >= 0)
        return;
    const quint16 port = it->name.port;
    it->lookupId = QHostInfo::lookupHost(it->name.host, this, [this, text, port](const QHostInfo &info) {
        QList<SocketAddress> v4;
        QList<SocketAddress> v6;
        if (info.error() == QHostInfo::NoError) {
            for (const QHostAddress &address : info.addresses()) {
                const SocketAddress resolved(address, port);
                QList<SocketAddress> &list = resolved.isIpv4Mapped() ? v4 : v6;
                if (!v4.contains(resolved) && !v6.contains(resolved))
                    list.append(resolved);
            }
        }
        QString error;
        if (v4.isEmpty() && v6.isEmpty())
            error = info.error() == QHostInfo::NoError ? u"no addresses"_s : info.errorString();
        finished(text, v4 + v6, error);
    });
}

void PeerResolver::finished(const QString &text, const QList<SocketAddress> &addresses, const QString &error)
{
    const auto it = m_entries.find(text);
    if (it == m_entries.end())
        return;
    Entry &entry = *it;
    entry.lookupId = -1;
    if (!error.isEmpty()) {
        // Keep the last good addresses: a name that stops resolving for a while need not lose its peer.
        const int shift = std::min(entry.failures, 20);
        const qint64 delay = qint64(m_timing.firstRetryMs) << shift;
        const int retryMs = int(std::min<qint64>(delay, m_timing.maxRetryMs));
        ++entry.failures;
        entry.timer->start(entry.addresses.isEmpty() ? retryMs : std::max(retryMs, m_timing.refreshMs));
        Q_EMIT failed(text, error, entry.timer->interval());
        return;
    }
    entry.failures = 0;
    entry.timer->start(m_timing.refreshMs);
    if (entry.addresses != addresses) {
        entry.addresses = addresses;
        Q_EMIT resolved(text, addresses);
    }
}

} // namespace Nimbus
