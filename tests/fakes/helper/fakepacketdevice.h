#pragma once

#include <QByteArray>
#include <QList>

#include "helper/packetdevice.h"

namespace Nimbus::Test
{

/// A PacketDevice in memory: receive() plays packets the "kernel" hands over, writes are recorded.
class FakePacketDevice final : public PacketDevice
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FakePacketDevice)

public:
    explicit FakePacketDevice(const QString &name = QStringLiteral("fake0"), QObject *parent = nullptr);
    ~FakePacketDevice() override;

    QString name() const override { return m_open ? m_name : QString(); }
    void setPacketHandler(PacketBatchHandler handler) override { m_handler = std::move(handler); }
    [[nodiscard]] Result<Ok> write(QByteArrayView packet) override;
    [[nodiscard]] Result<Ok> queueWrite(QByteArrayView packet) override;
    int flushWrites() override;
    void close() override { m_open = false; }

    /// Hands \a packets to the packet handler as one batch (as a read wake-up would).
    void receive(const QList<QByteArray> &packets);
    /// Emits readFailed().
    void failReading(const QString &message);

    bool isOpen() const { return m_open; }
    /// Every packet written (directly or flushed), in order.
    QList<QByteArray> written;
    /// Queued, not flushed yet.
    QList<QByteArray> queued;
    /// Writes fail while this is set.
    bool failWrites = false;
    /// Calls of write() and of flushWrites() (for tests of which path a packet took).
    int writeCalls = 0;
    int flushCalls = 0;

private:
    QString m_name;
    bool m_open = true;
    PacketBatchHandler m_handler;
};

} // namespace Nimbus::Test
