#include "ui/common/clientoptions.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include "core/protocol/constants.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

ClientOptions ClientOptions::parse(const QStringList &arguments, const QProcessEnvironment &environment)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate("Nimbus::ClientOptions", "Nimbus mesh VPN client"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption socket(u"socket"_s,
        QCoreApplication::translate("Nimbus::ClientOptions",
            "The helper's control socket (default: "
            "$NIMBUS_SOCKET or /run/nimbus/control.sock)."),
        u"path"_s);
    const QCommandLineOption minimized(
        u"minimized"_s, QCoreApplication::translate("Nimbus::ClientOptions", "Start in the tray, without the window."));
    const QCommandLineOption import(u"import"_s,
        QCoreApplication::translate("Nimbus::ClientOptions",
            "Add the VpnCloud YAML file as a profile named after the file, without asking (nothing happens if "
            "that profile exists)."),
        u"file"_s);
    parser.addOption(socket);
    parser.addOption(minimized);
    parser.addOption(import);
    parser.process(arguments);

    ClientOptions options;
    options.socketPath = parser.value(socket);
    if (options.socketPath.isEmpty())
        options.socketPath = Protocol::clientSocketPath(environment.value(u"NIMBUS_SOCKET"_s));
    options.minimized = parser.isSet(minimized);
    options.importFile = parser.value(import);
    return options;
}

} // namespace Nimbus
