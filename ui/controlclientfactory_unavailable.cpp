// Built only while ui/client (nimbus_client) is missing from the tree: a client that never reaches the helper
// and says why, so the rest of the GUI can be built and run.
#include "ui/controlclientfactory.h"
#include "ui/controlclientinterface.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

class UnavailableControlClient final : public ControlClientInterface
{
public:
    explicit UnavailableControlClient(const QString &socketPath) : m_socketPath(socketPath) { }

    HelperLink link() const override { return HelperLink::Incompatible; }
    QString linkDetail() const override { return u"this build has no control client"_s; }
    QString socketPath() const override { return m_socketPath; }
    QString role() const override { return QString(); }
    QStringList capabilities() const override { return {}; }
    void request(const QString &, const QJsonObject &, QObject *, ReplyHandler handler) override
    {
        ControlError e;
        e.code = QLatin1String(ControlError::kConnectionLost);
        handler(ControlReply::failure(e));
    }

private:
    QString m_socketPath;
};

} // namespace

std::unique_ptr<ControlClientInterface> createControlClient(const QString &socketPath)
{
    return std::make_unique<UnavailableControlClient>(socketPath);
}

} // namespace Nimbus
