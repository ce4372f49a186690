#include "tests/fakes/ui/fakecontrolclient.h"

#include <QDateTime>

using namespace Qt::Literals::StringLiterals;

namespace Nimbus::Test
{

FakeControlClient::FakeControlClient(QObject *parent) : ControlClientInterface(parent)
{
}

FakeControlClient::~FakeControlClient() = default;

ControlClient::State FakeControlClient::link() const
{
    return m_link;
}

QString FakeControlClient::linkDetail() const
{
    return m_detail;
}

QString FakeControlClient::socketPath() const
{
    return u"/run/nimbus/control.sock"_s;
}

QString FakeControlClient::role() const
{
    return m_link == ControlClient::State::Ready ? m_role : QString();
}

QStringList FakeControlClient::capabilities() const
{
    return m_capabilities;
}

void FakeControlClient::request(Protocol::Method m, const QJsonObject &params, QObject *context, ReplyHandler handler)
{
    const QString method = Protocol::methodName(m);
    m_requests.append({method, params});
    if (m_link != ControlClient::State::Ready) {
        Protocol::ErrorInfo e;
        e.code = ControlClientReply::connectionLost();
        handler(ControlClientReply::failure(e));
        return;
    }
    const auto responder = m_responders.constFind(method);
    if (responder != m_responders.constEnd()) {
        const ControlClientReply reply = (*responder)(params);
        if (context)
            handler(reply);
        return;
    }
    m_pending.append({method, QPointer<QObject>(context), std::move(handler)});
}

void FakeControlClient::setLink(ControlClient::State link, const QString &detail)
{
    m_detail = detail;
    if (link == m_link)
        return;
    m_link = link;
    if (link != ControlClient::State::Ready) {
        const QList<Pending> pending = std::exchange(m_pending, {});
        Protocol::ErrorInfo e;
        e.code = ControlClientReply::connectionLost();
        for (const Pending &p : pending) {
            if (p.context)
                p.handler(ControlClientReply::failure(e));
        }
        m_seq = 0;
    }
    Q_EMIT linkChanged(link);
}

void FakeControlClient::setRole(const QString &role)
{
    m_role = role;
}

void FakeControlClient::setCapabilities(const QStringList &capabilities)
{
    m_capabilities = capabilities;
}

void FakeControlClient::setResponder(const QString &method, Responder responder)
{
    m_responders.insert(method, std::move(responder));
}

void FakeControlClient::removeResponder(const QString &method)
{
    m_responders.remove(method);
}

bool FakeControlClient::answer(const QString &method, const ControlClientReply &reply)
{
    for (qsizetype i = 0; i < m_pending.size(); ++i) {
        if (m_pending.at(i).method != method)
            continue;
        const Pending p = m_pending.takeAt(i);
        if (p.context)
            p.handler(reply);
        return true;
    }
    return false;
}

QList<FakeControlClient::Request> FakeControlClient::requests() const
{
    return m_requests;
}

QStringList FakeControlClient::methods() const
{
    QStringList out;
    for (const Request &r : m_requests)
        out.append(r.method);
    return out;
}

int FakeControlClient::count(const QString &method) const
{
    return static_cast<int>(methods().count(method));
}

void FakeControlClient::clearRequests()
{
    m_requests.clear();
}

int FakeControlClient::pendingCount() const
{
    return static_cast<int>(m_pending.size());
}

void FakeControlClient::sendEvent(const QString &name, const QJsonObject &data, qint64 timeMs)
{
    sendEventWithSeq(name, m_seq + 1, data, timeMs);
}

void FakeControlClient::sendEventWithSeq(const QString &name, qint64 seq, const QJsonObject &data, qint64 timeMs)
{
    m_seq = seq;
    Q_EMIT eventReceived(name, seq, timeMs > 0 ? timeMs : QDateTime::currentMSecsSinceEpoch(), data);
}

qint64 FakeControlClient::lastSeq() const
{
    return m_seq;
}

void FakeControlClient::setSnapshot(const QJsonObject &snapshot)
{
    setResponder(u"events.subscribe"_s, [this, snapshot](const QJsonObject &) {
        QJsonObject result;
        result.insert(u"snapshot"_s, snapshot);
        result.insert(u"seq"_s, m_seq);
        return ControlClientReply::success(result);
    });
}

} // namespace Nimbus::Test
