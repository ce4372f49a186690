#include "ui/connection/controlclientinterface.h"

namespace Nimbus
{

ControlClientInterface::ControlClientInterface(QObject *parent) : QObject(parent)
{
}

ControlClientInterface::~ControlClientInterface() = default;

} // namespace Nimbus
