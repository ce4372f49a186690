#include "helper/datagramsocket.h"

namespace Nimbus
{

DatagramSocket::DatagramSocket(QObject *parent) : QObject(parent)
{
}

DatagramSocket::~DatagramSocket() = default;

} // namespace Nimbus
