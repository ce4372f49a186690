#pragma once

#include <QString>

namespace Nimbus
{

/// Start at login through an XDG autostart entry (~/.config/autostart/org.nimbusvpn.Nimbus.desktop).
class Autostart
{
public:
    static constexpr const char *kFileName = "org.nimbusvpn.Nimbus.desktop";

    /// `directory` is the autostart folder; defaultDirectory() outside tests.
    explicit Autostart(const QString &directory);

    static QString defaultDirectory();
    QString filePath() const;
    bool isEnabled() const;
    /// Writes the entry starting `executable` (minimized) or removes it. Returns false if that failed.
    bool setEnabled(bool enabled, const QString &executable);
    /// The desktop entry text for `executable`.
    static QByteArray entry(const QString &executable);

private:
    QString m_directory;
};

} // namespace Nimbus
