#pragma once

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace Nimbus
{

/// The `nimbus` command line: --socket PATH (else $NIMBUS_SOCKET, else /run/nimbus/control.sock), --minimized.
struct ClientOptions {
    QString socketPath;
    bool minimized = false;
    QString importFile; ///< --import FILE: add this VpnCloud file as a profile (named after the file)

    /// `arguments` include the program name, as QCoreApplication::arguments(). Exits on --help/--version.
    static ClientOptions parse(const QStringList &arguments, const QProcessEnvironment &environment);
};

} // namespace Nimbus
