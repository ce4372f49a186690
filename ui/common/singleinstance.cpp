#include "ui/common/singleinstance.h"

#include <QLocalServer>
#include <QLocalSocket>
#include <QStandardPaths>

#include "ui/common/logging.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

constexpr int kConnectTimeoutMs = 1000;
constexpr QByteArrayView kActivate = "activate\n";

} // namespace

SingleInstance::SingleInstance(const QString &serverName, QObject *parent) : QObject(parent), m_serverName(serverName)
{
}

SingleInstance::~SingleInstance() = default;

QString SingleInstance::defaultServerName()
{
    return QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation) + u"/org.nimbusvpn.Nimbus.instance"_s;
}

bool SingleInstance::claim()
{
    if (m_server)
        return true;
    {
        QLocalSocket socket;
        socket.connectToServer(m_serverName);
        if (socket.waitForConnected(kConnectTimeoutMs)) {
            socket.write(kActivate.data(), kActivate.size());
            socket.waitForBytesWritten(kConnectTimeoutMs);
            socket.disconnectFromServer();
            return false;
        }
    }
    // Nobody answered: a socket file left by a crashed instance is stale.
    QLocalServer::removeServer(m_serverName);
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    if (!m_server->listen(m_serverName)) {
        qCWarning(lcUi) << "cannot listen for other instances on" << m_serverName << m_server->errorString();
        return true;
    }
    connect(m_server, &QLocalServer::newConnection, this, [this] {
        while (QLocalSocket *socket = m_server->nextPendingConnection()) {
            connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
            connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
                if (socket->bytesAvailable() > 64) {
                    socket->abort();
                    return;
                }
                if (socket->canReadLine() && socket->readLine() == QByteArray(kActivate.data(), kActivate.size()))
                    Q_EMIT activationRequested();
            });
        }
    });
    return true;
}

} // namespace Nimbus
