#pragma once

#include <QColor>
#include <QIcon>
#include <QImage>

#include "ui/tray/traystatemachine.h"

class QPalette;

namespace Nimbus
{

/// How tray icons are drawn.
enum class TrayAppearance {
    /// Coloured glyph with a dark outline: readable on light and dark panels.
    Color,
    /// White glyph for dark panels (a mask icon).
    MonoLight,
    /// Black glyph for light panels (a mask icon).
    MonoDark,
};

/// The user's tray icon setting.
enum class TrayTheme {
    Auto,
    Monochrome,
    Light,
    Dark,
};

/// Paints the app icon and the tray icons (a cloud with a mesh inside and a state badge) with QPainter,
/// so they stay sharp at every size and need no image plugin. Every state has its own badge shape, so the
/// monochrome variants differ by shape, not only by colour.
class IconProvider
{
public:
    /// The appearance a setting means: Auto = Color; Monochrome picks light or dark from the palette's
    /// window lightness (Qt 6.4 has no colour-scheme hint).
    static TrayAppearance appearanceFor(TrayTheme theme, const QPalette &palette);
    static QIcon trayIcon(TrayState state, TrayAppearance appearance);
    /// One rendering of a tray icon, `size` pixels square.
    static QImage trayImage(TrayState state, TrayAppearance appearance, int size);
    static QIcon appIcon();
    /// The badge colour of a state (used for status dots in the window as well).
    static QColor stateColor(TrayState state);
};

} // namespace Nimbus
