#include <QCoreApplication>
#include <QTest>
#include <QTranslator>

#include "ui/translationloader.h"
#include "ui/traystatemachine.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

class tst_Translations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void germanIsEmbeddedAndComplete();
    void germanTranslatesTheTray();
    void englishNeedsNoTranslation();
};

void tst_Translations::germanIsEmbeddedAndComplete()
{
    QTranslator translator;
    QVERIFY(translator.load(u":/i18n/nimbus_de.qm"_s));
    QVERIFY(!translator.isEmpty());
    QCOMPARE(translator.language(), u"de_DE"_s);
}

void tst_Translations::germanTranslatesTheTray()
{
    QVERIFY(installTranslations(*QCoreApplication::instance(), QLocale(QLocale::German, QLocale::Germany)));
    QCOMPARE(TrayStateMachine::stateName(TrayState::Connected), u"Verbunden"_s);
    QCOMPARE(TrayStateMachine::stateName(TrayState::HelperUnavailable), u"Hilfsdienst nicht erreichbar"_s);
}

void tst_Translations::englishNeedsNoTranslation()
{
    QTranslator translator;
    QVERIFY(translator.load(u":/i18n/nimbus_en.qm"_s));
}

} // namespace Nimbus

QTEST_GUILESS_MAIN(Nimbus::tst_Translations)
#include "tst_translations.moc"
