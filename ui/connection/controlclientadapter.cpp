#include "ui/connection/controlclientadapter.h"

#include "client/controlclient.h"
#include "nimbus/version.h"
#include "ui/connection/controlclientfactory.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

ControlClientAdapter::ControlClientAdapter(const QString &socketPath, QObject *parent)
    : ControlClientInterface(parent), m_client(new ControlClient(this))
{
    m_client->setSocketPath(socketPath);
    m_client->setClientName(u"nimbus "_s + QLatin1String(kVersion));
    m_client->setAutoReconnect(true);
    connect(m_client, &ControlClient::stateChanged, this, &ControlClientInterface::linkChanged);
    connect(m_client, &ControlClient::eventReceived, this, &ControlClientInterface::eventReceived);
}

ControlClientAdapter::~ControlClientAdapter() = default;

void ControlClientAdapter::start()
{
    m_client->connectToHelper();
}

ControlClient::State ControlClientAdapter::link() const
{
    return m_client->state();
}

QString ControlClientAdapter::linkDetail() const
{
    return m_client->errorString();
}

QString ControlClientAdapter::socketPath() const
{
    return m_client->socketPath();
}

QString ControlClientAdapter::role() const
{
    return m_client->role();
}

QStringList ControlClientAdapter::capabilities() const
{
    return m_client->capabilities();
}

void ControlClientAdapter::request(
    Protocol::Method method, const QJsonObject &params, QObject *context, ReplyHandler handler)
{
    m_client->request(method, params, context, std::move(handler));
}

std::unique_ptr<ControlClientInterface> createControlClient(const QString &socketPath)
{
    auto client = std::make_unique<ControlClientAdapter>(socketPath);
    client->start();
    return client;
}

} // namespace Nimbus
