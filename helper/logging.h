#pragma once

#include <QString>

namespace Nimbus
{

/// How the helper logs: VpnCloud's console format `LEVEL - message` on stdout, and with a log file also
/// `YYYY-MM-DD HH:MM:SS - LEVEL - message` there (the file is truncated at start, spec §10.1).
struct LogOptions {
    bool verbose = false; ///< -v: debug messages too
    bool quiet = false; ///< -q: errors only
    QString file; ///< --log-file, empty for none
};

/// Installs the message handler. Returns an error text if the log file cannot be opened.
QString installLogging(const LogOptions &options);

} // namespace Nimbus
