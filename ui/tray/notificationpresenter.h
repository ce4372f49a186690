#pragma once

#include <QHash>
#include <QJsonObject>
#include <QObject>

namespace Nimbus
{

/// A desktop notification to show.
struct Notification {
    enum class Kind {
        Information,
        Warning,
        Critical,
    };

    QString title;
    QString body;
    Kind kind = Kind::Information;

    bool operator==(const Notification &other) const = default;
};

/// Decides which helper events become notifications: a network connecting, a network or peer going away
/// (with the reason) and failovers. Knows nothing about widgets; TrayIcon shows what it emits.
class NotificationPresenter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NotificationPresenter)

public:
    explicit NotificationPresenter(QObject *parent = nullptr);
    ~NotificationPresenter() override;

    void setEnabled(bool enabled);
    bool isEnabled() const;

    /// Feeds one helper event; emits notify() if it deserves a notification and notifications are on.
    void handleEvent(const QString &name, qint64 timeMs, const QJsonObject &data);

Q_SIGNALS:
    void notify(const Nimbus::Notification &notification);

private:
    QHash<QString, QString> m_states;
    bool m_enabled = true;
};

} // namespace Nimbus
