#include "ui/connection/connectioncontroller.h"

#include <utility>

#include <QDateTime>
#include <QJsonArray>
#include <QTimer>

#include "ui/common/logging.h"
#include "ui/connection/errortext.h"
#include "ui/models/claimmodel.h"
#include "ui/models/eventmodel.h"
#include "ui/models/peermodel.h"
#include "ui/models/traffichistory.h"
#include "ui/profiles/profilestore.h"
#include "ui/profiles/secretstore.h"
#include "ui/widgets/userprompter.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

constexpr int kStatusDebounceMs = 250;
constexpr int kDefaultPeerRefreshMs = 5000;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

ConnectionController::ConnectionController(ControlClientInterface &client,
    ProfileStore &profiles,
    SecretStore &secrets,
    UserPrompter &prompter,
    QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_profiles(profiles)
    , m_secrets(secrets)
    , m_prompter(prompter)
    , m_peerModel(new PeerModel(this))
    , m_claimModel(new ClaimModel(this))
    , m_eventModel(new EventModel(this))
    , m_traffic(new TrafficHistory(this))
    , m_statusTimer(new QTimer(this))
    , m_peerTimer(new QTimer(this))
{
    m_statusTimer->setSingleShot(true);
    m_statusTimer->setInterval(kStatusDebounceMs);
    connect(m_statusTimer, &QTimer::timeout, this, [this] {
        if (m_client.link() != ControlClient::State::Ready)
            return;
        m_client.request(Protocol::Method::Status, {}, this, [this](const ControlClientReply &reply) {
            if (!reply.ok)
                return;
            const Result<Protocol::HelperStatus> status = Protocol::HelperStatus::fromJson(reply.result);
            if (status)
                applyStatus(*status);
            else
                qCWarning(lcController) << "unreadable status:" << status.error().message;
        });
    });
    m_peerTimer->setInterval(kDefaultPeerRefreshMs);
    connect(m_peerTimer, &QTimer::timeout, this, &ConnectionController::refreshPeers);
    connect(&m_client, &ControlClientInterface::linkChanged, this, &ConnectionController::onLinkChanged);
    connect(&m_client, &ControlClientInterface::eventReceived, this, &ConnectionController::onEvent);
    if (m_client.link() == ControlClient::State::Ready)
        onLinkChanged(ControlClient::State::Ready);
}

ConnectionController::~ConnectionController() = default;

ControlClientInterface &ConnectionController::client() const
{
    return m_client;
}

PeerModel *ConnectionController::peerModel() const
{
    return m_peerModel;
}

ClaimModel *ConnectionController::claimModel() const
{
    return m_claimModel;
}

EventModel *ConnectionController::eventModel() const
{
    return m_eventModel;
}

TrafficHistory *ConnectionController::trafficHistory() const
{
    return m_traffic;
}

ControlClient::State ConnectionController::link() const
{
    return m_client.link();
}

bool ConnectionController::isLive() const
{
    return m_live;
}

bool ConnectionController::canControlNetworks() const
{
    const QString role = m_client.role();
    return m_client.link() == ControlClient::State::Ready && (role == u"operator" || role == u"admin");
}

QList<NetworkStatus> ConnectionController::networks() const
{
    return m_networks;
}

std::optional<NetworkStatus> ConnectionController::network(const QString &name) const
{
    for (const NetworkStatus &n : m_networks) {
        if (n.name == name)
            return n;
    }
    return std::nullopt;
}

QList<Protocol::Claim> ConnectionController::claims(const QString &network) const
{
    return m_claims.value(network);
}

bool ConnectionController::isPending(const QString &name) const
{
    return m_pending.contains(name);
}

QSet<QString> ConnectionController::pending() const
{
    return m_pending;
}

QString ConnectionController::lastError() const
{
    return m_lastError;
}

void ConnectionController::setPeerRefreshInterval(int ms)
{
    if (ms <= 0) {
        m_peerTimer->stop();
        m_peerTimer->setInterval(0);
        return;
    }
    m_peerTimer->setInterval(ms);
    if (m_live)
        m_peerTimer->start();
}

void ConnectionController::connectProfile(const QString &name)
{
    if (const std::optional<ClientProfile> profile = m_profiles.find(name); profile && profile->autoConnectPaused)
        m_profiles.setAutoConnectPaused(name, false);
    startConnect(name, Prompt::Allowed);
}

void ConnectionController::connectAutomatically()
{
    if (!canControlNetworks())
        return;
    const QList<ClientProfile> profiles = m_profiles.profiles();
    for (const ClientProfile &p : profiles) {
        if (!p.autoConnect || p.autoConnectPaused || m_pending.contains(p.name))
            continue;
        if (const std::optional<NetworkStatus> n = network(p.name); n && n->isActive())
            continue;
        qCInfo(lcController) << "connecting" << p.name << "automatically";
        m_eventModel->addLocal(nowMs(), tr("Connecting “%1” automatically.").arg(p.name));
        startConnect(p.name, Prompt::Never);
    }
}

void ConnectionController::startConnect(const QString &name, Prompt prompt)
{
    if (m_pending.contains(name))
        return;
    const std::optional<ClientProfile> profile = m_profiles.find(name);
    if (!profile) {
        fail(tr("Cannot connect"), tr("There is no profile called “%1”.").arg(name));
        return;
    }
    if (m_client.link() != ControlClient::State::Ready) {
        fail(tr("Cannot connect %1").arg(name),
            ErrorText::forLink(m_client.link(), m_client.socketPath(), m_client.linkDetail()));
        return;
    }
    setPending(name, true);
    const ClientProfile p = *profile;
    m_secrets.readSecret(name, this, [this, p, prompt](const SecretResult &result) {
        if (result.status == SecretStatus::Ok && result.secret && !result.secret->isEmpty()) {
            sendConnect(p, *result.secret);
            return;
        }
        const QString reason = result.status == SecretStatus::NotFound
            ? tr("No secret is stored for profile “%1”.").arg(p.name)
            : ErrorText::forSecret(result);
        if (prompt == Prompt::Never) {
            // Nobody asked for this connect, so nobody is asked for the secret; the error shows in the tray.
            setPending(p.name, false);
            fail(tr("Could not connect %1 automatically").arg(p.name), reason);
            return;
        }
        const std::optional<ProfileSecret> secret = m_prompter.askSecret(p.name, p.secretKind, reason);
        if (!secret || secret->isEmpty()) {
            setPending(p.name, false);
            return;
        }
        // Kept in memory only, so a reconnect in this session does not ask again.
        m_secrets.keepForSession(p.name, *secret);
        sendConnect(p, *secret);
    });
}

void ConnectionController::sendConnect(const ClientProfile &profile, const ProfileSecret &secret)
{
    QJsonObject params;
    params.insert(u"profile"_s, profile.toJson());
    params.insert(u"secret"_s, secret.toJson());
    const QString name = profile.name;
    m_client.request(Protocol::Method::NetworksConnect, params, this, [this, name](const ControlClientReply &reply) {
        setPending(name, false);
        if (!reply.ok) {
            fail(tr("Could not connect %1").arg(name), ErrorText::forError(reply.error));
            return;
        }
        setLastError(QString());
        NetworkStatus &n = networkEntry(name);
        if (!n.isActive()) {
            n.state = u"connecting"_s;
            Q_EMIT networksChanged();
        }
        refreshStatusSoon();
    });
}

void ConnectionController::disconnectNetwork(const QString &name)
{
    if (m_pending.contains(name))
        return;
    if (m_client.link() != ControlClient::State::Ready) {
        fail(tr("Cannot disconnect %1").arg(name),
            ErrorText::forLink(m_client.link(), m_client.socketPath(), m_client.linkDetail()));
        return;
    }
    // The user's own disconnect: the helper coming back must not undo it.
    if (const std::optional<ClientProfile> profile = m_profiles.find(name); profile && profile->autoConnect)
        m_profiles.setAutoConnectPaused(name, true);
    setPending(name, true);
    QJsonObject params;
    params.insert(u"network"_s, name);
    m_client.request(Protocol::Method::NetworksDisconnect, params, this, [this, name](const ControlClientReply &reply) {
        setPending(name, false);
        if (!reply.ok) {
            fail(tr("Could not disconnect %1").arg(name), ErrorText::forError(reply.error));
            return;
        }
        setLastError(QString());
        refreshStatusSoon();
    });
}

void ConnectionController::toggle(const QString &name)
{
    const std::optional<NetworkStatus> n = network(name);
    if (n && n->isActive())
        disconnectNetwork(name);
    else
        connectProfile(name);
}

void ConnectionController::resubscribe()
{
    if (m_client.link() != ControlClient::State::Ready)
        return;
    m_live = false;
    m_subscribing = true;
    const quint64 subscription = ++m_subscription;
    m_client.request(
        Protocol::Method::EventsSubscribe, {}, this, [this, subscription](const ControlClientReply &reply) {
            if (subscription != m_subscription)
                return;
            m_subscribing = false;
            if (!reply.ok) {
                qCWarning(lcController) << "events.subscribe failed:" << reply.error.code << reply.error.message;
                if (!reply.lostConnection())
                    setLastError(ErrorText::forError(reply.error));
                return;
            }
            const Result<Protocol::SubscribeResult> subscribed = Protocol::SubscribeResult::fromJson(reply.result);
            if (!subscribed) {
                qCWarning(lcController) << "unreadable events.subscribe answer:" << subscribed.error().message;
                return;
            }
            applySnapshot(subscribed->snapshot, subscribed->seq);
        });
}

void ConnectionController::onLinkChanged(ControlClient::State link)
{
    if (link == ControlClient::State::Ready) {
        if (m_wasReady)
            m_eventModel->addLocal(nowMs(), tr("Connected to the helper again."));
        m_wasReady = true;
        m_autoConnectDue = true;
        resubscribe();
    } else {
        const bool hadState = m_live || !m_networks.isEmpty();
        m_live = false;
        m_subscribing = false;
        ++m_subscription;
        m_peerTimer->stop();
        m_statusTimer->stop();
        if (hadState) {
            m_eventModel->addLocal(nowMs(), ErrorText::linkLabel(link));
            m_networks.clear();
            m_claims.clear();
            Q_EMIT claimsChanged();
            m_peerModel->clear();
            m_claimModel->clear();
            m_traffic->clear();
            Q_EMIT networksChanged();
        }
        if (!m_pending.isEmpty()) {
            m_pending.clear();
            Q_EMIT pendingChanged();
        }
    }
    Q_EMIT linkChanged(link);
}

void ConnectionController::applySnapshot(const Protocol::Snapshot &snapshot, qint64 seq)
{
    applyStatus(snapshot.status);
    m_peerModel->setPeers(snapshot.peers);
    m_claimModel->setClaims(snapshot.claims);
    m_claims.clear();
    for (const Protocol::Claim &claim : snapshot.claims)
        m_claims[claim.network].append(claim);
    Q_EMIT claimsChanged();
    m_eventModel->addSnapshotEvents(snapshot.events);
    m_expectedSeq = seq + 1;
    m_live = true;
    if (m_peerTimer->interval() > 0)
        m_peerTimer->start();
    if (std::exchange(m_autoConnectDue, false))
        connectAutomatically();
}

void ConnectionController::applyStatus(const Protocol::HelperStatus &status)
{
    QList<NetworkStatus> networks;
    for (NetworkStatus n : status.networks) {
        if (n.name.isEmpty())
            continue;
        // The status has no failover time; keep the one learned from the event.
        if (const std::optional<NetworkStatus> old = network(n.name)) {
            if (n.lastFailover && n.lastFailover->time == 0 && old->lastFailover)
                n.lastFailover->time = old->lastFailover->time;
            if (!n.lastFailover)
                n.lastFailover = old->lastFailover;
        }
        networks.append(n);
    }
    if (networks == m_networks)
        return;
    m_networks = networks;
    Q_EMIT networksChanged();
}

namespace
{

template<typename T>
std::optional<T> payload(const QJsonObject &data)
{
    Result<T> parsed = T::fromJson(data);
    if (!parsed)
        return std::nullopt;
    return std::move(parsed).value();
}

} // namespace

void ConnectionController::onEvent(const QString &name, qint64 seq, qint64 timeMs, const QJsonObject &data)
{
    using namespace Protocol;
    if (!m_live)
        return;
    if (seq != m_expectedSeq) {
        qCWarning(lcController) << "event sequence gap: expected" << m_expectedSeq << "got" << seq;
        resubscribe();
        return;
    }
    ++m_expectedSeq;
    // Every event but resync names its network; one that cannot be read is shown but changes no state.
    switch (eventTypeFromName(name).value_or(EventType::Log)) {
    case EventType::Resync:
        resubscribe();
        return;
    case EventType::NetworkState:
        if (const std::optional<NetworkStateEvent> e = payload<NetworkStateEvent>(data)) {
            NetworkStatus &n = networkEntry(e->network);
            n.state = e->state;
            n.error = e->error;
            if (!n.isActive()) {
                n.peerCount = 0;
                m_peerModel->removeNetwork(e->network);
                m_claimModel->removeNetwork(e->network);
                if (m_claims.remove(e->network))
                    Q_EMIT claimsChanged();
                m_traffic->removeNetwork(e->network);
            }
            Q_EMIT networksChanged();
            refreshStatusSoon();
        }
        break;
    case EventType::PeerConnected:
        if (const std::optional<Peer> p = payload<Peer>(data)) {
            m_peerModel->upsertPeer(*p);
            networkEntry(p->network).peerCount = m_peerModel->peerCount(p->network);
            Q_EMIT networksChanged();
            refreshStatusSoon();
        }
        break;
    case EventType::PeerDisconnected:
        if (const std::optional<PeerDisconnectedEvent> e = payload<PeerDisconnectedEvent>(data)) {
            m_peerModel->removePeer(e->network, e->nodeId, e->address);
            networkEntry(e->network).peerCount = m_peerModel->peerCount(e->network);
            Q_EMIT networksChanged();
            refreshStatusSoon();
        }
        break;
    case EventType::ClaimsChanged:
        if (const std::optional<ClaimsChangedEvent> e = payload<ClaimsChangedEvent>(data)) {
            m_claimModel->setNetworkClaims(e->network, e->claims);
            m_claims.insert(e->network, e->claims);
            Q_EMIT claimsChanged();
        }
        break;
    case EventType::RouteFailover:
        if (std::optional<FailoverEvent> f = payload<FailoverEvent>(data)) {
            f->time = timeMs;
            networkEntry(f->network).lastFailover = f;
            Q_EMIT networksChanged();
            refreshStatusSoon();
        }
        break;
    case EventType::Stats:
        if (const std::optional<TrafficEvent> e = payload<TrafficEvent>(data)) {
            m_traffic->addSample(e->network, timeMs, e->rxBytes, e->txBytes);
            NetworkStatus &n = networkEntry(e->network);
            n.rxBytes = e->rxBytes;
            n.txBytes = e->txBytes;
        }
        break;
    case EventType::PathRecovered:
    case EventType::NetworkChanged:
    case EventType::NetworkResumed:
    case EventType::Log:
        break;
    }
    m_eventModel->addHelperEvent(name, timeMs, data);
    Q_EMIT helperEvent(name, timeMs, data);
}

void ConnectionController::refreshStatusSoon()
{
    if (!m_statusTimer->isActive())
        m_statusTimer->start();
}

void ConnectionController::refreshPeers()
{
    if (!m_live || m_client.link() != ControlClient::State::Ready)
        return;
    bool anyActive = false;
    for (const NetworkStatus &n : std::as_const(m_networks))
        anyActive = anyActive || n.isActive();
    if (!anyActive)
        return;
    const quint64 subscription = m_subscription;
    m_client.request(Protocol::Method::PeersList, {}, this, [this, subscription](const ControlClientReply &reply) {
        if (!reply.ok || !m_live || subscription != m_subscription)
            return;
        // Each entry is read as a Peer; one that cannot be read is left out.
        m_peerModel->setPeers(reply.result.value(u"peers"_s).toArray());
    });
}

void ConnectionController::setPending(const QString &name, bool pending)
{
    const bool changed = pending ? !m_pending.contains(name) : m_pending.remove(name);
    if (pending)
        m_pending.insert(name);
    if (changed)
        Q_EMIT pendingChanged();
}

void ConnectionController::setLastError(const QString &text)
{
    if (text == m_lastError)
        return;
    m_lastError = text;
    Q_EMIT lastErrorChanged();
}

void ConnectionController::fail(const QString &title, const QString &text)
{
    setLastError(text);
    m_eventModel->addLocal(nowMs(), title + u": "_s + text);
    Q_EMIT commandFailed(title, text);
}

NetworkStatus &ConnectionController::networkEntry(const QString &name)
{
    for (NetworkStatus &n : m_networks) {
        if (n.name == name)
            return n;
    }
    NetworkStatus n;
    n.name = name;
    m_networks.append(n);
    return m_networks.last();
}

} // namespace Nimbus
