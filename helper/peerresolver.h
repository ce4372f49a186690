#pragma once

#include <optional>

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

#include "core/protocol/result.h"
#include "core/wire/socketaddress.h"

class QTimer;

namespace Nimbus
{

/// A peer as configured: `host:port`, `[v6]:port`, `a.b.c.d:port`, or a bare host (port 3210).
struct PeerName {
    QString text; ///< as configured
    QString host;
    quint16 port = 3210;
    std::optional<SocketAddress> literal; ///< set when the host is an IP address: nothing to look up

    /// Checks the syntax only (an empty host, a bad port); names are looked up later, by PeerResolver.
    static Result<PeerName> parse(const QString &text);
};

/// Resolves configured peer names without blocking the event loop: lookups run in Qt's host-lookup threads.
/// A name that does not resolve is tried again with back-off; a name that did is looked up again every
/// refresh interval, so a peer whose address changed (dynamic DNS) is found again. Results are ordered IPv4
/// first, without duplicates.
class PeerResolver final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PeerResolver)

public:
    struct Timing {
        int firstRetryMs = 2000; ///< after the first failure; doubles after each further one
        int maxRetryMs = 60'000;
        int refreshMs = 300'000; ///< looks a resolved name up again after this long
    };

    explicit PeerResolver(QObject *parent = nullptr);
    PeerResolver(Timing timing, QObject *parent = nullptr);
    ~PeerResolver() override;

    /// Starts resolving \a name (again, if it was added before). A literal address is reported by resolved()
    /// before this returns.
    void add(const PeerName &name);
    /// The last addresses \a text resolved to (empty: not resolved yet, or never).
    QList<SocketAddress> addresses(const QString &text) const;
    /// Lookups still under way or waiting for a retry.
    int unresolvedCount() const;

Q_SIGNALS:
    /// \a text resolved for the first time or to other addresses than before.
    void resolved(const QString &text, const QList<SocketAddress> &addresses);
    /// \a text did not resolve (\a error: the resolver's message); the next try is in \a retryMs.
    void failed(const QString &text, const QString &error, int retryMs);

private:
    struct Entry {
        PeerName name;
        QList<SocketAddress> addresses;
        int lookupId = -1;
        int failures = 0;
        QTimer *timer = nullptr;
    };
    void lookup(const QString &text);
    void finished(const QString &text, const QList<SocketAddress> &addresses, const QString &error);

    Timing m_timing;
    QHash<QString, Entry> m_entries;
};

} // namespace Nimbus
