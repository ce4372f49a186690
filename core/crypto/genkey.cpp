#include "core/crypto/genkey.h"

#include "core/crypto/identity.h"

namespace Nimbus
{

using namespace Qt::Literals::StringLiterals;

QString genkeyOutput(const Identity &identity)
{
    return u"Private key: "_s + base62Encode(identity.seed().view()) + u"\nPublic key: "_s
        + base62Encode(identity.publicKey())
        + u"\nAttention: Keep the private key secret and use only the public key on other nodes to establish "
          u"trust.\n"_s;
}

} // namespace Nimbus
