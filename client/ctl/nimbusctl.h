#pragma once

#include <functional>

#include <QJsonObject>
#include <QObject>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include "core/protocol/methodtable.h"

class QTextStream;

namespace Nimbus
{

class ControlClient;
struct ControlClientReply;
struct Error;

/// The logic of the `nimbusctl` command: parses the command line, talks to the helper through ControlClient and
/// prints tables (or JSON with --json). main() only wires it to stdout, stderr and the event loop.
class NimbusCtl final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NimbusCtl)

public:
    /// Exit codes a script can rely on (also in `nimbusctl --help`).
    enum ExitCode {
        ExitOk = 0,
        /// The helper answered with an error.
        ExitHelperError = 1,
        /// Bad command line (or input files).
        ExitUsage = 2,
        /// The helper cannot be reached: not running, permission denied on the socket, untrusted, went away.
        ExitUnreachable = 3,
        /// The helper and nimbusctl do not understand each other.
        ExitProtocol = 4,
    };

    NimbusCtl(QTextStream &out, QTextStream &err, QObject *parent = nullptr);
    ~NimbusCtl() override;

    /// Runs the command in \a arguments (with the program name first). finished() follows from the event loop.
    void start(const QStringList &arguments, const QProcessEnvironment &environment);

    /// The --help text.
    static QString helpText();

Q_SIGNALS:
    void finished(int exitCode);

private:
    void run();
    void call(Protocol::Method method, const QJsonObject &params, std::function<void(const QJsonObject &)> onResult);
    void finish(int code);
    void usageError(const QString &message);
    void helperError(const ControlClientReply &reply);
    /// The helper's answer to \a method does not match its type: a protocol error (exit 4).
    void malformedAnswer(Protocol::Method method, const Error &error);
    void printJson(const QJsonObject &object);
    void runEvents();
    void subscribe(bool printSnapshot);
    bool readConnectInputs();
    void runConnect();
    void runDisconnect();

    QTextStream &m_out;
    QTextStream &m_err;
    QProcessEnvironment m_env;
    ControlClient *m_client = nullptr;
    QString m_command;
    QStringList m_args;
    QString m_socketPath;
    QString m_name;
    QString m_network;
    QString m_passwordFile;
    QString m_yaml;
    QString m_password;
    bool m_havePassword = false;
    bool m_json = false;
    bool m_follow = false;
    bool m_finished = false;
};

} // namespace Nimbus
