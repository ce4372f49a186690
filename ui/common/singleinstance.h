#pragma once

#include <QObject>

class QLocalServer;

namespace Nimbus
{

/// One GUI per user: the first instance listens on a local socket in the user's runtime directory;
/// a second launch connects, asks the first to show its window, and exits.
class SingleInstance final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SingleInstance)

public:
    explicit SingleInstance(const QString &serverName, QObject *parent = nullptr);
    ~SingleInstance() override;

    /// $XDG_RUNTIME_DIR/org.nimbusvpn.Nimbus.instance (QStandardPaths::RuntimeLocation).
    static QString defaultServerName();

    /// True if this is the first instance (now listening); false if another one answered and was asked to
    /// raise its window.
    bool claim();

Q_SIGNALS:
    void activationRequested();

private:
    QString m_serverName;
    QLocalServer *m_server = nullptr;
};

} // namespace Nimbus
