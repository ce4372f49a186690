#include "ui/profiles/secretstore.h"

namespace Nimbus
{

SecretStore::SecretStore(QObject *parent) : QObject(parent)
{
}

SecretStore::~SecretStore() = default;

} // namespace Nimbus
