#pragma once

#include <QString>

namespace Nimbus
{

class Identity;

/// The exact stdout of `vpncloud genkey` for \a identity (spec §2.5, format as in vectors/genkey-*.txt):
/// `Private key: <base62 seed>`, `Public key: <base62 public key>` and the reminder line, each ending in `\n`.
QString genkeyOutput(const Identity &identity);

} // namespace Nimbus
