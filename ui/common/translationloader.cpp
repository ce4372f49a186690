#include "ui/common/translationloader.h"

#include <memory>

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

bool install(QCoreApplication &app, const QLocale &locale, const QString &name, const QString &directory)
{
    auto translator = std::make_unique<QTranslator>();
    if (!translator->load(locale, name, u"_"_s, directory))
        return false;
    QCoreApplication::installTranslator(translator.get());
    translator.release()->setParent(&app);
    return true;
}

} // namespace

bool installTranslations(QCoreApplication &app, const QLocale &locale)
{
    install(app, locale, u"qtbase"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath));
    return install(app, locale, u"nimbus"_s, u":/i18n"_s);
}

} // namespace Nimbus
