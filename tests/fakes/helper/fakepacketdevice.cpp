#include "tests/fakes/helper/fakepacketdevice.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus::Test
{

FakePacketDevice::FakePacketDevice(const QString &name, QObject *parent) : PacketDevice(parent), m_name(name)
{
}

FakePacketDevice::~FakePacketDevice() = default;

Result<Ok> FakePacketDevice::write(QByteArrayView packet)
{
    ++writeCalls;
    if (!m_open || failWrites)
        return Error {u"io"_s, u"write failed"_s};
    written.append(packet.toByteArray());
    return Ok {};
}

Result<Ok> FakePacketDevice::queueWrite(QByteArrayView packet)
{
    if (!m_open || failWrites)
        return Error {u"io"_s, u"write failed"_s};
    queued.append(packet.toByteArray());
    return Ok {};
}

int FakePacketDevice::flushWrites()
{
    ++flushCalls;
    written.append(queued);
    queued.clear();
    return 0;
}

void FakePacketDevice::receive(const QList<QByteArray> &packets)
{
    if (m_handler && m_open && !packets.isEmpty())
        m_handler(packets);
}

void FakePacketDevice::failReading(const QString &message)
{
    Q_EMIT readFailed(message);
}

} // namespace Nimbus::Test
