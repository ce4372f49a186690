#pragma once

#include <QString>

#include "ui/connection/controlclientinterface.h"
#include "ui/profiles/secretstore.h"

namespace Nimbus::ErrorText
{

/// The translated text for a helper error, by its code; the helper's English message and hint are appended
/// where they add detail.
QString forError(const Protocol::ErrorInfo &error);
/// A plain explanation of the link state, with what to do (e.g. the command that adds the user to group nimbus).
QString forLink(ControlClient::State link, const QString &socketPath, const QString &detail);
/// A short label for the link state ("Helper not running").
QString linkLabel(ControlClient::State link);
/// A keychain failure.
QString forSecret(const SecretResult &result);

} // namespace Nimbus::ErrorText
