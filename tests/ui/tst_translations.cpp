#include <QCoreApplication>
#include <QFile>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

#include "ui/common/translationloader.h"
#include "ui/tray/traystatemachine.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

class tst_Translations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void germanIsEmbeddedAndComplete();
    void germanTsIsComplete();
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

void tst_Translations::germanTsIsComplete()
{
    QFile file(qEnvironmentVariable("NIMBUS_SOURCE_DIR") + u"/translations/nimbus_de.ts"_s);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
    QXmlStreamReader xml(&file);
    int messages = 0;
    QString source;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        if (xml.name() == u"source") {
            source = xml.readElementText();
        } else if (xml.name() == u"translation") {
            ++messages;
            const QString type = xml.attributes().value(u"type"_s).toString();
            QVERIFY2(type.isEmpty(), qPrintable(u"not translated: "_s + source));
            const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
            QVERIFY2(!text.trimmed().isEmpty(), qPrintable(u"empty translation: "_s + source));
        }
    }
    QVERIFY(!xml.hasError());
    QVERIFY(messages > 200);
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
