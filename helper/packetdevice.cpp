#include "helper/packetdevice.h"

namespace Nimbus
{

PacketDevice::PacketDevice(QObject *parent) : QObject(parent)
{
}

PacketDevice::~PacketDevice() = default;

} // namespace Nimbus
