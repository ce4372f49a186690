#pragma once

#include <functional>

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QObject>
#include <QString>

#include "core/protocol/result.h"

namespace Nimbus
{

/// The local end of a network: a TUN or TAP device as Network uses it once it is open and configured (opening
/// and configuring is NetworkSetup's job). Implemented by TunDevice (helper/platform/linux) and by the fake in
/// tests/fakes/helper. Lives in one thread.
class PacketDevice : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PacketDevice)

public:
    /// Called with the packets read in one batch (never empty). The packets may refer to the device's read
    /// buffer: they are valid only during the call. The handler may write, close the device or delete it.
    using PacketBatchHandler = std::function<void(const QList<QByteArray> &packets)>;

    ~PacketDevice() override;

    /// The interface name, empty while closed.
    virtual QString name() const = 0;
    virtual void setPacketHandler(PacketBatchHandler handler) = 0;
    /// Writes one packet (TUN: an IP packet, TAP: an Ethernet frame) without blocking; an error drops it.
    [[nodiscard]] virtual Result<Ok> write(QByteArrayView packet) = 0;
    /// Queues one packet (copied) for flushWrites(); an error means it was not written.
    [[nodiscard]] virtual Result<Ok> queueWrite(QByteArrayView packet) = 0;
    /// Writes every queued packet, in order; returns how many could not be written.
    virtual int flushWrites() = 0;
    /// Stops reading and releases the device. Safe to call twice.
    virtual void close() = 0;

Q_SIGNALS:
    /// Reading failed for good; reading is paused.
    void readFailed(const QString &message);

protected:
    explicit PacketDevice(QObject *parent = nullptr);
};

} // namespace Nimbus
