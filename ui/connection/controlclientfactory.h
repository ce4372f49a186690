#pragma once

#include <memory>

#include <QString>

namespace Nimbus
{

class ControlClientInterface;

/// The app's control client for `socketPath`, already trying to connect (and reconnecting by itself).
std::unique_ptr<ControlClientInterface> createControlClient(const QString &socketPath);

} // namespace Nimbus
