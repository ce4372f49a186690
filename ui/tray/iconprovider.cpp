#include "ui/tray/iconprovider.h"

#include <QPainter>
#include <QPainterPath>
#include <QPalette>
#include <QPixmap>

namespace Nimbus
{

namespace
{

constexpr double kUnit = 64.0;
const QColor kCloudFill(0x35, 0x84, 0xe4);
const QColor kCloudOutline(0x0b, 0x3d, 0x7a);
const QColor kGreyFill(0x9a, 0x99, 0x96);
const QColor kGreyOutline(0x3d, 0x38, 0x46);

QPainterPath cloudPath()
{
    QPainterPath base;
    base.addRoundedRect(QRectF(4, 28, 56, 24), 12, 12);
    QPainterPath left;
    left.addEllipse(QPointF(19, 30), 12, 12);
    QPainterPath middle;
    middle.addEllipse(QPointF(34, 23), 16, 16);
    QPainterPath right;
    right.addEllipse(QPointF(48, 33), 11, 11);
    return base.united(left).united(middle).united(right).simplified();
}

/// Three mesh nodes and their links inside the cloud.
void drawMesh(QPainter &p, const QColor &color)
{
    p.setPen(QPen(color, 3.2, Qt::SolidLine, Qt::RoundCap));
    const QPointF a(17, 40), b(32, 26), c(46, 40);
    p.drawLine(a, b);
    p.drawLine(b, c);
    p.drawLine(a, c);
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    for (const QPointF &n : {a, b, c})
        p.drawEllipse(n, 5, 5);
}

struct Badge {
    bool present = false;
    QColor color;
};

Badge badgeFor(TrayState state)
{
    switch (state) {
    case TrayState::Disconnected:
        return {};
    case TrayState::Connecting:
        return {true, QColor(0x1c, 0x71, 0xd8)};
    case TrayState::Connected:
        return {true, QColor(0x26, 0xa2, 0x69)};
    case TrayState::Degraded:
        return {true, QColor(0xe5, 0xa5, 0x0a)};
    case TrayState::Failover:
        return {true, QColor(0xe6, 0x61, 0x00)};
    case TrayState::Error:
        return {true, QColor(0xc0, 0x1c, 0x28)};
    case TrayState::HelperUnavailable:
        return {true, QColor(0x5e, 0x5c, 0x64)};
    }
    return {};
}

/// The symbol inside the badge, centred at `c` with radius `r`.
void drawBadgeSymbol(QPainter &p, TrayState state, QPointF c, double r, const QColor &color)
{
    const double w = r * 0.32;
    p.setPen(QPen(color, w, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    p.setBrush(Qt::NoBrush);
    switch (state) {
    case TrayState::Connecting:
        p.setPen(Qt::NoPen);
        p.setBrush(color);
        for (const double dx : {-0.5, 0.0, 0.5})
            p.drawEllipse(QPointF(c.x() + dx * r, c.y()), w * 0.62, w * 0.62);
        break;
    case TrayState::Connected: {
        QPainterPath tick;
        tick.moveTo(c.x() - r * 0.45, c.y() + r * 0.02);
        tick.lineTo(c.x() - r * 0.12, c.y() + r * 0.35);
        tick.lineTo(c.x() + r * 0.48, c.y() - r * 0.35);
        p.drawPath(tick);
        break;
    }
    case TrayState::Degraded:
        p.drawLine(QPointF(c.x(), c.y() - r * 0.48), QPointF(c.x(), c.y() + r * 0.08));
        p.setPen(Qt::NoPen);
        p.setBrush(color);
        p.drawEllipse(QPointF(c.x(), c.y() + r * 0.45), w * 0.6, w * 0.6);
        break;
    case TrayState::Failover: {
        // Two opposite arrows: traffic moves from one node to another.
        const double y1 = c.y() - r * 0.25, y2 = c.y() + r * 0.25, x1 = c.x() - r * 0.5, x2 = c.x() + r * 0.5;
        p.setPen(QPen(color, w * 0.8, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.drawLine(QPointF(x1, y1), QPointF(x2, y1));
        p.drawLine(QPointF(x2 - r * 0.25, y1 - r * 0.22), QPointF(x2, y1));
        p.drawLine(QPointF(x2 - r * 0.25, y1 + r * 0.22), QPointF(x2, y1));
        p.drawLine(QPointF(x1, y2), QPointF(x2, y2));
        p.drawLine(QPointF(x1 + r * 0.25, y2 - r * 0.22), QPointF(x1, y2));
        p.drawLine(QPointF(x1 + r * 0.25, y2 + r * 0.22), QPointF(x1, y2));
        break;
    }
    case TrayState::Error:
        p.drawLine(QPointF(c.x() - r * 0.38, c.y() - r * 0.38), QPointF(c.x() + r * 0.38, c.y() + r * 0.38));
        p.drawLine(QPointF(c.x() + r * 0.38, c.y() - r * 0.38), QPointF(c.x() - r * 0.38, c.y() + r * 0.38));
        break;
    case TrayState::HelperUnavailable:
        // A minus: nothing to talk to.
        p.drawLine(QPointF(c.x() - r * 0.45, c.y()), QPointF(c.x() + r * 0.45, c.y()));
        break;
    case TrayState::Disconnected:
        break;
    }
}

} // namespace

TrayAppearance IconProvider::appearanceFor(TrayTheme theme, const QPalette &palette)
{
    switch (theme) {
    case TrayTheme::Auto:
        return TrayAppearance::Color;
    case TrayTheme::Monochrome:
        return palette.color(QPalette::Window).lightness() < 128 ? TrayAppearance::MonoLight : TrayAppearance::MonoDark;
    case TrayTheme::Light:
        return TrayAppearance::MonoLight;
    case TrayTheme::Dark:
        return TrayAppearance::MonoDark;
    }
    return TrayAppearance::Color;
}

QColor IconProvider::stateColor(TrayState state)
{
    const Badge badge = badgeFor(state);
    return badge.present ? badge.color : kGreyFill;
}

QImage IconProvider::trayImage(TrayState state, TrayAppearance appearance, int size)
{
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.scale(size / kUnit, size / kUnit);

    const bool mono = appearance != TrayAppearance::Color;
    const QColor monoColor = appearance == TrayAppearance::MonoLight ? QColor(Qt::white) : QColor(Qt::black);
    const bool hollow = state == TrayState::Disconnected || state == TrayState::HelperUnavailable;
    const QPainterPath cloud = cloudPath();

    // Cloud body: filled when a network runs, an outline when nothing does.
    if (hollow) {
        p.setPen(QPen(mono ? monoColor : kGreyOutline, 4.5));
        p.setBrush(mono ? QColor(Qt::transparent) : QColor(0xde, 0xdd, 0xda));
        p.drawPath(cloud);
        drawMesh(p, mono ? monoColor : kGreyOutline);
    } else {
        p.setPen(mono ? Qt::NoPen : QPen(kCloudOutline, 3));
        p.setBrush(mono ? monoColor : kCloudFill);
        p.drawPath(cloud);
        if (mono) {
            p.setCompositionMode(QPainter::CompositionMode_Clear);
            drawMesh(p, Qt::black);
            p.setCompositionMode(QPainter::CompositionMode_SourceOver);
        } else {
            drawMesh(p, Qt::white);
        }
    }

    const Badge badge = badgeFor(state);
    if (badge.present) {
        const QPointF c(47, 47);
        const double r = 16;
        // Cut a gap around the badge so it stands apart from the cloud at small sizes.
        p.setCompositionMode(QPainter::CompositionMode_Clear);
        p.setPen(Qt::NoPen);
        p.setBrush(Qt::black);
        p.drawEllipse(c, r + 3, r + 3);
        p.setCompositionMode(QPainter::CompositionMode_SourceOver);
        if (mono) {
            p.setBrush(monoColor);
            p.drawEllipse(c, r, r);
            p.setCompositionMode(QPainter::CompositionMode_Clear);
            drawBadgeSymbol(p, state, c, r, Qt::black);
            p.setCompositionMode(QPainter::CompositionMode_SourceOver);
        } else {
            p.setPen(QPen(QColor(0, 0, 0, 160), 2));
            p.setBrush(badge.color);
            p.drawEllipse(c, r, r);
            drawBadgeSymbol(p, state, c, r, Qt::white);
        }
    }
    p.end();
    return image;
}

QIcon IconProvider::trayIcon(TrayState state, TrayAppearance appearance)
{
    QIcon icon;
    for (const int size : {16, 22, 24, 32, 48, 64, 128})
        icon.addPixmap(QPixmap::fromImage(trayImage(state, appearance, size)));
    icon.setIsMask(appearance != TrayAppearance::Color);
    return icon;
}

QIcon IconProvider::appIcon()
{
    QIcon icon;
    for (const int size : {16, 22, 24, 32, 48, 64, 128, 256}) {
        QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        QPainter p(&image);
        p.setRenderHint(QPainter::Antialiasing);
        p.scale(size / kUnit, size / kUnit);
        p.setPen(QPen(kCloudOutline, 3));
        p.setBrush(kCloudFill);
        p.drawPath(cloudPath());
        drawMesh(p, Qt::white);
        p.end();
        icon.addPixmap(QPixmap::fromImage(image));
    }
    return icon;
}

} // namespace Nimbus
