#include "ui/connection/controlclientadapter.h"

#include <QJsonArray>

#include "client/controlclient.h"
#include "nimbus/version.h"
#include "ui/connection/controlclientfactory.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

HelperLink linkFor(ControlClient::State state)
{
    switch (state) {
    case ControlClient::State::Idle:
        return HelperLink::Idle;
    case ControlClient::State::Connecting:
        return HelperLink::Connecting;
    case ControlClient::State::Ready:
        return HelperLink::Ready;
    case ControlClient::State::NotRunning:
        return HelperLink::NotRunning;
    case ControlClient::State::PermissionDenied:
        return HelperLink::PermissionDenied;
    case ControlClient::State::Untrusted:
        return HelperLink::Untrusted;
    case ControlClient::State::Incompatible:
        return HelperLink::Incompatible;
    }
    return HelperLink::Incompatible;
}

} // namespace

ControlClientAdapter::ControlClientAdapter(const QString &socketPath, QObject *parent)
    : ControlClientInterface(parent), m_client(new ControlClient(this))
{
    m_client->setSocketPath(socketPath);
    m_client->setClientName(u"nimbus "_s + QLatin1String(kVersion));
    m_client->setAutoReconnect(true);
    connect(m_client, &ControlClient::stateChanged, this, [this](ControlClient::State state) {
        Q_EMIT linkChanged(linkFor(state));
    });
    connect(m_client, &ControlClient::eventReceived, this, &ControlClientInterface::eventReceived);
}

ControlClientAdapter::~ControlClientAdapter() = default;

void ControlClientAdapter::start()
{
    m_client->connectToHelper();
}

HelperLink ControlClientAdapter::link() const
{
    return linkFor(m_client->state());
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
    const QString &method, const QJsonObject &params, QObject *context, ReplyHandler handler)
{
    m_client->request(method, params, context, [handler = std::move(handler)](const ControlClientReply &reply) {
        if (reply.ok) {
            handler(ControlReply::success(reply.result));
            return;
        }
        ControlError error;
        error.code = reply.error.code == ControlClientReply::connectionLost()
            ? QLatin1String(ControlError::kConnectionLost)
            : reply.error.code;
        error.message = reply.error.message;
        error.hint = reply.error.hint;
        error.fields = reply.error.json.value(u"fields"_s).toArray();
        handler(ControlReply::failure(error));
    });
}

std::unique_ptr<ControlClientInterface> createControlClient(const QString &socketPath)
{
    auto client = std::make_unique<ControlClientAdapter>(socketPath);
    client->start();
    return client;
}

} // namespace Nimbus
