#pragma once

#include <QLocale>

class QCoreApplication;

namespace Nimbus
{

/// Installs Nimbus's translation for `locale` (embedded as :/i18n/nimbus_<lang>.qm) and Qt's own.
/// Returns true if a Nimbus translation was found; English needs none.
bool installTranslations(QCoreApplication &app, const QLocale &locale);

} // namespace Nimbus
