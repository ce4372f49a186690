#pragma once

#include <QString>

namespace Nimbus::Test
{

/// True when the test runs as root (effective uid 0).
bool runningAsRoot();

/// Moves the calling thread (call it from initTestCase, on the main thread) into a new, private network
/// namespace and brings `lo` up there. Devices, addresses and routes the test creates vanish with the process:
/// no cleanup, no collision with other runs. Returns an empty string on success, otherwise the reason.
QString enterPrivateNetworkNamespace();

} // namespace Nimbus::Test
