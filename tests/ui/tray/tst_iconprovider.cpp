#include <QPalette>
#include <QTest>

#include "ui/tray/iconprovider.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

const QList<TrayState> kStates {TrayState::Disconnected,
    TrayState::Connecting,
    TrayState::Connected,
    TrayState::Degraded,
    TrayState::Failover,
    TrayState::Error,
    TrayState::HelperUnavailable};

int opaquePixels(const QImage &image)
{
    int n = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            n += qAlpha(image.pixel(x, y)) > 128 ? 1 : 0;
    return n;
}

} // namespace

class tst_IconProvider : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyStateHasItsOwnIcon_data();
    void everyStateHasItsOwnIcon();
    void monoIconsAreMasksInOneColour();
    void appearanceForSetting();
    void appIcon();
};

void tst_IconProvider::everyStateHasItsOwnIcon_data()
{
    QTest::addColumn<TrayAppearance>("appearance");
    QTest::addColumn<int>("size");
    for (const int size : {16, 22, 32}) {
        QTest::addRow("color %d", size) << TrayAppearance::Color << size;
        QTest::addRow("mono light %d", size) << TrayAppearance::MonoLight << size;
        QTest::addRow("mono dark %d", size) << TrayAppearance::MonoDark << size;
    }
}

void tst_IconProvider::everyStateHasItsOwnIcon()
{
    QFETCH(TrayAppearance, appearance);
    QFETCH(int, size);
    QList<QImage> images;
    for (const TrayState s : kStates) {
        const QImage image = IconProvider::trayImage(s, appearance, size);
        QCOMPARE(image.size(), QSize(size, size));
        // Visible: a good part of the square is drawn.
        QVERIFY2(opaquePixels(image) > size * size / 6, qPrintable(u"state %1 is nearly empty"_s.arg(int(s))));
        images.append(image);
    }
    for (qsizetype i = 0; i < images.size(); ++i)
        for (qsizetype j = i + 1; j < images.size(); ++j)
            QVERIFY2(images.at(i) != images.at(j), qPrintable(u"states %1 and %2 look the same"_s.arg(i).arg(j)));
    QVERIFY(!IconProvider::trayIcon(TrayState::Connected, appearance).isNull());
}

void tst_IconProvider::monoIconsAreMasksInOneColour()
{
    QVERIFY(IconProvider::trayIcon(TrayState::Error, TrayAppearance::MonoLight).isMask());
    QVERIFY(IconProvider::trayIcon(TrayState::Error, TrayAppearance::MonoDark).isMask());
    QVERIFY(!IconProvider::trayIcon(TrayState::Error, TrayAppearance::Color).isMask());
    for (const TrayState s : kStates) {
        const QImage light = IconProvider::trayImage(s, TrayAppearance::MonoLight, 32);
        const QImage dark = IconProvider::trayImage(s, TrayAppearance::MonoDark, 32);
        for (int y = 0; y < 32; ++y) {
            for (int x = 0; x < 32; ++x) {
                const QRgb l = light.pixel(x, y);
                const QRgb d = dark.pixel(x, y);
                if (qAlpha(l) == 255)
                    QCOMPARE(qGray(l), 255);
                if (qAlpha(d) == 255)
                    QCOMPARE(qGray(d), 0);
            }
        }
    }
}

void tst_IconProvider::appearanceForSetting()
{
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x30, 0x30, 0x30));
    QPalette light;
    light.setColor(QPalette::Window, QColor(0xf0, 0xf0, 0xf0));
    QCOMPARE(IconProvider::appearanceFor(TrayTheme::Auto, dark), TrayAppearance::Color);
    QCOMPARE(IconProvider::appearanceFor(TrayTheme::Monochrome, dark), TrayAppearance::MonoLight);
    QCOMPARE(IconProvider::appearanceFor(TrayTheme::Monochrome, light), TrayAppearance::MonoDark);
    QCOMPARE(IconProvider::appearanceFor(TrayTheme::Light, light), TrayAppearance::MonoLight);
    QCOMPARE(IconProvider::appearanceFor(TrayTheme::Dark, dark), TrayAppearance::MonoDark);
}

void tst_IconProvider::appIcon()
{
    const QIcon icon = IconProvider::appIcon();
    QVERIFY(!icon.isNull());
    QVERIFY(icon.availableSizes().contains(QSize(256, 256)));
    QVERIFY(IconProvider::stateColor(TrayState::Error) != IconProvider::stateColor(TrayState::Connected));
}

} // namespace Nimbus

QTEST_MAIN(Nimbus::tst_IconProvider)
#include "tst_iconprovider.moc"
