#pragma once

#include <QHash>
#include <QList>
#include <QPointer>

#include "ui/connection/controlclientinterface.h"

namespace Nimbus::Test
{

/// A scriptable ControlClientInterface. Methods with a responder are answered synchronously inside
/// request(); the others wait in pending() until answer() is called. Events carry consecutive seq numbers.
class FakeControlClient final : public ControlClientInterface
{
    Q_OBJECT

public:
    using Responder = std::function<ControlClientReply(const QJsonObject &params)>;

    struct Request {
        QString method;
        QJsonObject params;
    };

    explicit FakeControlClient(QObject *parent = nullptr);
    ~FakeControlClient() override;

    ControlClient::State link() const override;
    QString linkDetail() const override;
    QString socketPath() const override;
    QString role() const override;
    QStringList capabilities() const override;
    /// Records the request under its wire name (requests(), setResponder() and answer() use wire names).
    void request(Protocol::Method method, const QJsonObject &params, QObject *context, ReplyHandler handler) override;

    /// Changes the link; leaving Ready answers every pending request with CONNECTION_LOST.
    void setLink(ControlClient::State link, const QString &detail = QString());
    void setRole(const QString &role);
    void setCapabilities(const QStringList &capabilities);
    void setResponder(const QString &method, Responder responder);
    void removeResponder(const QString &method);
    /// Answers the oldest pending request for `method`; returns false if there is none.
    bool answer(const QString &method, const ControlClientReply &reply);

    /// Every request seen, in order.
    QList<Request> requests() const;
    QStringList methods() const;
    int count(const QString &method) const;
    void clearRequests();
    int pendingCount() const;

    /// Emits an event with the next seq number (and the current time unless given).
    void sendEvent(const QString &name, const QJsonObject &data, qint64 timeMs = 0);
    /// Emits an event with an explicit seq (to simulate a gap).
    void sendEventWithSeq(const QString &name, qint64 seq, const QJsonObject &data, qint64 timeMs = 0);
    /// The seq of the last event sent (what events.subscribe should report).
    qint64 lastSeq() const;

    /// Installs an events.subscribe responder that answers with `snapshot` and lastSeq().
    void setSnapshot(const QJsonObject &snapshot);

private:
    struct Pending {
        QString method;
        QPointer<QObject> context;
        ReplyHandler handler;
    };

    ControlClient::State m_link = ControlClient::State::Idle;
    QString m_detail;
    QString m_role = QStringLiteral("operator");
    QStringList m_capabilities;
    QHash<QString, Responder> m_responders;
    QList<Request> m_requests;
    QList<Pending> m_pending;
    qint64 m_seq = 0;
};

} // namespace Nimbus::Test
