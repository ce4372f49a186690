#include "client/ctl/nimbusctl.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>
#include <QTimer>

#include "client/controlclient.h"
#include "client/ctl/ctlformat.h"
#include "core/protocol/constants.h"
#include "core/protocol/events.h"
#include "core/protocol/fieldreader.h"
#include "core/protocol/profile.h"
#include "core/protocol/types.h"
#include "nimbus/version.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

/// Commands and how many positional arguments each takes (min, max).
struct CommandSpec {
    const char16_t *name;
    int minArgs;
    int maxArgs;
};

constexpr CommandSpec kCommands[] = {
    {u"status", 0, 0},
    {u"peers", 0, 1},
    {u"claims", 0, 1},
    {u"events", 0, 0},
    {u"stats", 0, 0},
    {u"connect", 1, 1},
    {u"disconnect", 0, 1},
    {u"shutdown", 0, 0},
};

/// The largest profile file nimbusctl sends (the frame limit leaves room for the envelope).
constexpr qint64 kMaxProfileFileSize = 512 * 1024;

/// The list of T in member \a key of a result (`{"peers": [...]}`), each read by T::fromJson().
template<typename T>
Result<QList<T>> listMember(const QJsonObject &result, const QString &key)
{
    Protocol::FieldReader reader(result);
    QList<T> list = reader.list<T>(key, Protocol::Need::Required);
    return reader.finish(std::move(list));
}

/// The string member \a key of a result (`{"network": "office"}`).
Result<QString> stringMember(const QJsonObject &result, const QString &key)
{
    Protocol::FieldReader reader(result);
    QString value = reader.string(key, Protocol::Need::Required);
    return reader.finish(std::move(value));
}

} // namespace

NimbusCtl::NimbusCtl(QTextStream &out, QTextStream &err, QObject *parent) : QObject(parent), m_out(out), m_err(err)
{
}

NimbusCtl::~NimbusCtl() = default;

QString NimbusCtl::helpText()
{
    return u"Usage: nimbusctl [--socket PATH] [--json] COMMAND [ARGS]\n"
           "\n"
           "Talks to the running nimbus-helper over its control socket.\n"
           "\n"
           "Commands:\n"
           "  status                       the helper and its networks\n"
           "  peers [NETWORK]              connected peers\n"
           "  claims [NETWORK]             claimed addresses and who serves them\n"
           "  events [--follow]            recent events; with --follow, then live events until interrupted;\n"
           "                               route changes by kind: reachable, failover (with when it was detected,\n"
           "                               how long traffic had no path, when the node was last heard), switchback,\n"
           "                               move, lost\n"
           "  stats [--network NAME]       traffic and protocol counters of every network (or of NAME)\n"
           "  connect PROFILE.yaml [--name NAME] [--password-file FILE]\n"
           "                               import a VpnCloud YAML profile and connect it; the password comes from\n"
           "                               --password-file, else $NIMBUS_PASSWORD, else the file itself\n"
           "  disconnect [NETWORK]         disconnect NETWORK (may be left out if only one is connected)\n"
           "  shutdown                     stop every network and the helper (root only)\n"
           "\n"
           "Options:\n"
           "  --socket PATH                the control socket (default $NIMBUS_SOCKET, else /run/nimbus/control.sock)\n"
           "  --json                       print the helper's answers as JSON (events: one object per line)\n"
           "\n"
           "Nodes are shown by name: the configured peer name that resolved to their address, else the hosts\n"
           "file's name for it, else the first 8 digits of the node id (--json has the full node id and address).\n"
           "  -h, --help                   this text\n"
           "  --version                    the version\n"
           "\n"
           "Exit codes:\n"
           "  0  success\n"
           "  1  the helper answered with an error\n"
           "  2  usage error (bad command line, unreadable file, no password)\n"
           "  3  cannot reach the helper: not running, permission denied on the socket (join group nimbus),\n"
           "     not trusted, or it went away\n"
           "  4  protocol error: the helper and nimbusctl do not understand each other\n"_s;
}

void NimbusCtl::start(const QStringList &arguments, const QProcessEnvironment &environment)
{
    m_env = environment;
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption socketOption(u"socket"_s, u"control socket"_s, u"PATH"_s);
    const QCommandLineOption jsonOption(u"json"_s, u"JSON output"_s);
    const QCommandLineOption followOption(u"follow"_s, u"follow events"_s);
    const QCommandLineOption nameOption(u"name"_s, u"network name"_s, u"NAME"_s);
    const QCommandLineOption passwordFileOption(u"password-file"_s, u"password file"_s, u"FILE"_s);
    const QCommandLineOption networkOption(u"network"_s, u"network name"_s, u"NAME"_s);
    const QCommandLineOption helpOption(QStringList {u"h"_s, u"help"_s}, u"help"_s);
    const QCommandLineOption versionOption(u"version"_s, u"version"_s);
    parser.addOptions({socketOption,
        jsonOption,
        followOption,
        nameOption,
        passwordFileOption,
        networkOption,
        helpOption,
        versionOption});
    if (!parser.parse(arguments)) {
        usageError(parser.errorText());
        return;
    }
    if (parser.isSet(helpOption)) {
        m_out << helpText();
        finish(ExitOk);
        return;
    }
    if (parser.isSet(versionOption)) {
        m_out << u"nimbusctl "_s << QString::fromLatin1(kVersion) << u'\n';
        finish(ExitOk);
        return;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty()) {
        usageError(u"no command given"_s);
        return;
    }
    m_command = positional.first();
    m_args = positional.mid(1);
    const CommandSpec *spec = nullptr;
    for (const CommandSpec &c : kCommands) {
        if (m_command == QStringView(c.name))
            spec = &c;
    }
    if (!spec) {
        usageError(u"unknown command '%1'"_s.arg(m_command));
        return;
    }
    if (m_args.size() < spec->minArgs || m_args.size() > spec->maxArgs) {
        usageError(u"wrong number of arguments for '%1'"_s.arg(m_command));
        return;
    }
    m_json = parser.isSet(jsonOption);
    m_follow = parser.isSet(followOption);
    m_name = parser.value(nameOption);
    m_passwordFile = parser.value(passwordFileOption);
    if (m_follow && m_command != u"events"_s) {
        usageError(u"--follow goes with 'events' only"_s);
        return;
    }
    if ((parser.isSet(nameOption) || parser.isSet(passwordFileOption)) && m_command != u"connect"_s) {
        usageError(u"--name and --password-file go with 'connect' only"_s);
        return;
    }
    if (parser.isSet(nameOption) && m_name.isEmpty()) {
        usageError(u"--name needs a name"_s);
        return;
    }
    m_network = parser.value(networkOption);
    if (parser.isSet(networkOption) && m_command != u"stats"_s) {
        usageError(u"--network goes with 'stats' only"_s);
        return;
    }
    if (parser.isSet(networkOption) && m_network.isEmpty()) {
        usageError(u"--network needs a name"_s);
        return;
    }
    m_socketPath = parser.value(socketOption);
    if (m_socketPath.isEmpty())
        m_socketPath = Protocol::clientSocketPath(m_env.value(u"NIMBUS_SOCKET"_s));

    // Local input first: a usage error never waits for the helper.
    if (m_command == u"connect"_s && !readConnectInputs())
        return;

    m_client = new ControlClient(this);
    m_client->setSocketPath(m_socketPath);
    m_client->setClientName(u"nimbusctl "_s + QString::fromLatin1(kVersion));
    connect(m_client, &ControlClient::ready, this, &NimbusCtl::run);
    connect(m_client, &ControlClient::stateChanged, this, [this](ControlClient::State state) {
        switch (state) {
        case ControlClient::State::NotRunning:
        case ControlClient::State::PermissionDenied:
        case ControlClient::State::Untrusted:
            m_err << u"nimbusctl: "_s << m_client->errorString() << u'\n';
            finish(ExitUnreachable);
            return;
        case ControlClient::State::Incompatible:
            m_err << u"nimbusctl: protocol error: "_s << m_client->errorString() << u'\n';
            finish(ExitProtocol);
            return;
        case ControlClient::State::Idle:
        case ControlClient::State::Connecting:
        case ControlClient::State::Ready:
            return;
        }
    });
    m_client->connectToHelper();
}

void NimbusCtl::run()
{
    if (m_command == u"status"_s) {
        call(Protocol::Method::Status, {}, [this](const QJsonObject &r) {
            const Result<Protocol::HelperStatus> status = Protocol::HelperStatus::fromJson(r);
            if (!status)
                return malformedAnswer(Protocol::Method::Status, status.error());
            if (m_json)
                printJson(r);
            else
                m_out << CtlFormat::status(status.value());
            finish(ExitOk);
        });
    } else if (m_command == u"peers"_s || m_command == u"claims"_s) {
        const bool peers = m_command == u"peers"_s;
        QJsonObject params;
        if (!m_args.isEmpty())
            params.insert(u"network"_s, m_args.first());
        const Protocol::Method method = peers ? Protocol::Method::PeersList : Protocol::Method::ClaimsList;
        call(method, params, [this, peers, method](const QJsonObject &r) {
            QString text;
            if (peers) {
                const Result<QList<Protocol::Peer>> list = listMember<Protocol::Peer>(r, u"peers"_s);
                if (!list)
                    return malformedAnswer(method, list.error());
                text = CtlFormat::peers(list.value());
            } else {
                const Result<QList<Protocol::Claim>> list = listMember<Protocol::Claim>(r, u"claims"_s);
                if (!list)
                    return malformedAnswer(method, list.error());
                text = CtlFormat::claims(list.value());
            }
            if (m_json)
                printJson(r);
            else
                m_out << text;
            finish(ExitOk);
        });
    } else if (m_command == u"stats"_s) {
        QJsonObject params;
        if (!m_network.isEmpty())
            params.insert(u"network"_s, m_network);
        call(Protocol::Method::Stats, params, [this](const QJsonObject &r) {
            const Result<QList<Protocol::Stats>> stats = listMember<Protocol::Stats>(r, u"networks"_s);
            if (!stats)
                return malformedAnswer(Protocol::Method::Stats, stats.error());
            if (m_json)
                printJson(r);
            else
                m_out << CtlFormat::stats(stats.value());
            finish(ExitOk);
        });
    } else if (m_command == u"events"_s) {
        runEvents();
    } else if (m_command == u"connect"_s) {
        runConnect();
    } else if (m_command == u"disconnect"_s) {
        runDisconnect();
    } else if (m_command == u"shutdown"_s) {
        call(Protocol::Method::HelperShutdown, {}, [this](const QJsonObject &r) {
            if (m_json)
                printJson(r);
            else
                m_out << u"the helper is shutting down\n"_s;
            finish(ExitOk);
        });
    }
}

void NimbusCtl::runEvents()
{
    connect(m_client,
        &ControlClient::eventReceived,
        this,
        [this](const QString &name, qint64 seq, qint64 timeMs, const QJsonObject &data) {
            if (!m_follow || m_finished)
                return;
            if (name == u"resync"_s) {
                m_err << u"nimbusctl: events were dropped because this client was too slow; subscribing again\n"_s;
                m_err.flush();
                subscribe(false);
                return;
            }
            const Result<QString> line = CtlFormat::eventLine(name, seq, timeMs, data);
            if (!line) {
                m_err << u"nimbusctl: protocol error: malformed event %1 from the helper: %2\n"_s.arg(
                    name, line.error().message);
                finish(ExitProtocol);
                return;
            }
            if (m_json)
                printJson(QJsonObject {{u"event"_s, name}, {u"seq"_s, seq}, {u"time"_s, timeMs}, {u"data"_s, data}});
            else
                m_out << line.value() << u'\n';
            m_out.flush();
        });
    subscribe(true);
}

void NimbusCtl::subscribe(bool printSnapshot)
{
    call(Protocol::Method::EventsSubscribe, {}, [this, printSnapshot](const QJsonObject &r) {
        const Result<Protocol::SubscribeResult> subscribed = Protocol::SubscribeResult::fromJson(r);
        if (!subscribed)
            return malformedAnswer(Protocol::Method::EventsSubscribe, subscribed.error());
        if (printSnapshot) {
            const QList<Protocol::RecentEvent> &events = subscribed->snapshot.events;
            QStringList lines;
            for (qsizetype i = 0; i < events.size(); ++i) {
                const Protocol::RecentEvent &e = events[i];
                const Result<QString> line = CtlFormat::eventLine(e.event, std::nullopt, e.time, e.data);
                if (!line) {
                    const QString path = u"snapshot.events[%1].%2"_s.arg(i).arg(line.error().message);
                    return malformedAnswer(Protocol::Method::EventsSubscribe, Error {line.error().code, path});
                }
                lines.append(line.value());
            }
            if (m_json) {
                // What the helper sent, one object per line (SubscribeResult checked that each is an object).
                const QJsonArray raw = r.value(u"snapshot"_s).toObject().value(u"events"_s).toArray();
                for (const QJsonValue &e : raw)
                    printJson(e.toObject());
            } else {
                for (const QString &line : std::as_const(lines))
                    m_out << line << u'\n';
            }
            m_out.flush();
        }
        if (!m_follow)
            finish(ExitOk);
    });
}

bool NimbusCtl::readConnectInputs()
{
    QFile file(m_args.first());
    if (!file.open(QIODevice::ReadOnly)) {
        usageError(u"cannot read %1: %2"_s.arg(file.fileName(), file.errorString()));
        return false;
    }
    if (file.size() > kMaxProfileFileSize) {
        usageError(u"%1 is too large for a profile"_s.arg(file.fileName()));
        return false;
    }
    m_yaml = QString::fromUtf8(file.readAll());

    if (!m_passwordFile.isEmpty()) {
        QFile pwFile(m_passwordFile);
        if (!pwFile.open(QIODevice::ReadOnly)) {
            usageError(u"cannot read %1: %2"_s.arg(pwFile.fileName(), pwFile.errorString()));
            return false;
        }
        m_password = QString::fromUtf8(pwFile.readLine(4096));
        while (m_password.endsWith(u'\n') || m_password.endsWith(u'\r'))
            m_password.chop(1);
        m_havePassword = true;
    } else if (m_env.contains(u"NIMBUS_PASSWORD"_s)) {
        m_password = m_env.value(u"NIMBUS_PASSWORD"_s);
        m_havePassword = true;
    }
    if (m_havePassword && m_password.isEmpty()) {
        usageError(u"the password is empty"_s);
        return false;
    }

    return true;
}

void NimbusCtl::runConnect()
{
    call(Protocol::Method::ProfilesImport, QJsonObject {{u"yaml"_s, m_yaml}}, [this](const QJsonObject &r) {
        Result<Protocol::ImportResult> imported = Protocol::ImportResult::fromJson(r);
        if (!imported)
            return malformedAnswer(Protocol::Method::ProfilesImport, imported.error());
        for (const QString &warning : std::as_const(imported->warnings))
            m_err << u"nimbusctl: warning: "_s << warning << u'\n';
        Protocol::Profile &profile = imported->profile;
        if (!m_name.isEmpty())
            profile.name = m_name;
        std::optional<Protocol::Secret> secret = imported->secret;
        if (m_havePassword)
            secret = Protocol::Secret {Protocol::Secret::Kind::Password, m_password};
        if (!secret) {
            usageError(u"no password: use --password-file FILE or $NIMBUS_PASSWORD, or put it in the profile"_s);
            return;
        }
        call(Protocol::Method::NetworksConnect,
            QJsonObject {{u"profile"_s, profile.toJson()}, {u"secret"_s, secret->toJson()}},
            [this](const QJsonObject &c) {
                const Result<QString> network = stringMember(c, u"network"_s);
                if (!network)
                    return malformedAnswer(Protocol::Method::NetworksConnect, network.error());
                if (m_json)
                    printJson(c);
                else
                    m_out << u"connected "_s << network.value() << u'\n';
                finish(ExitOk);
            });
    });
}

void NimbusCtl::runDisconnect()
{
    const auto disconnectNetwork = [this](const QString &network) {
        call(Protocol::Method::NetworksDisconnect,
            QJsonObject {{u"network"_s, network}},
            [this, network](const QJsonObject &r) {
                if (m_json)
                    printJson(r);
                else
                    m_out << u"disconnected "_s << network << u'\n';
                finish(ExitOk);
            });
    };
    if (!m_args.isEmpty()) {
        disconnectNetwork(m_args.first());
        return;
    }
    call(Protocol::Method::Status, {}, [this, disconnectNetwork](const QJsonObject &r) {
        const Result<Protocol::HelperStatus> status = Protocol::HelperStatus::fromJson(r);
        if (!status)
            return malformedAnswer(Protocol::Method::Status, status.error());
        QStringList names;
        for (const Protocol::NetworkStatus &n : status->networks)
            names.append(n.name);
        if (names.isEmpty()) {
            m_err << u"nimbusctl: no network is connected\n"_s;
            finish(ExitHelperError);
        } else if (names.size() > 1) {
            usageError(u"several networks are connected (%1); name one"_s.arg(names.join(u", "_s)));
        } else {
            disconnectNetwork(names.first());
        }
    });
}

void NimbusCtl::call(
    Protocol::Method method, const QJsonObject &params, std::function<void(const QJsonObject &)> onResult)
{
    m_client->request(method, params, this, [this, onResult = std::move(onResult)](const ControlClientReply &reply) {
        if (m_finished)
            return;
        if (reply.ok)
            onResult(reply.result);
        else
            helperError(reply);
    });
}

void NimbusCtl::helperError(const ControlClientReply &reply)
{
    if (reply.error.code == ControlClientReply::connectionLost()) {
        const bool protocol = m_client->state() == ControlClient::State::Incompatible;
        m_err << u"nimbusctl: "_s << (protocol ? u"protocol error: "_s : QString()) << reply.error.message << u'\n';
        finish(protocol ? ExitProtocol : ExitUnreachable);
        return;
    }
    if (m_json)
        printJson(QJsonObject {{u"error"_s, reply.error.json}});
    m_err << u"nimbusctl: "_s << reply.error.message << u" ("_s << reply.error.code << u")\n"_s;
    for (const Protocol::FieldError &field : reply.error.fields())
        m_err << u"  "_s << field.field << u": "_s << field.message << u'\n';
    if (!reply.error.hint.isEmpty())
        m_err << u"  hint: "_s << reply.error.hint << u'\n';
    finish(ExitHelperError);
}

void NimbusCtl::malformedAnswer(Protocol::Method method, const Error &error)
{
    m_err << u"nimbusctl: protocol error: malformed answer to %1 from the helper: %2\n"_s.arg(
        Protocol::methodName(method), error.message);
    finish(ExitProtocol);
}

void NimbusCtl::usageError(const QString &message)
{
    m_err << u"nimbusctl: "_s << message << u"\nTry 'nimbusctl --help'.\n"_s;
    finish(ExitUsage);
}

void NimbusCtl::printJson(const QJsonObject &object)
{
    // Events are one compact object per line; answers are indented.
    const bool lines = m_command == u"events"_s;
    m_out << QString::fromUtf8(QJsonDocument(object).toJson(lines ? QJsonDocument::Compact : QJsonDocument::Indented));
    if (lines)
        m_out << u'\n';
}

void NimbusCtl::finish(int code)
{
    if (m_finished)
        return;
    m_finished = true;
    m_out.flush();
    m_err.flush();
    if (m_client)
        m_client->disconnect(this);
    QTimer::singleShot(0, this, [this, code] { Q_EMIT finished(code); });
}

} // namespace Nimbus
