#pragma once
// What the theme tests share: a fixture that gives each test a fresh library and puts the
// light theme back after it (a test that turned the app dark must not leave the next one
// dark), and how a test reads the colour a widget was painted in.

#include "apptestsupport.h"
#include "theme.h"

#include <QColor>
#include <QImage>
#include <QObject>
#include <QWidget>

#include <memory>
#include <optional>

namespace paperlab::testing {

// Qt Test runs the slots a test class inherits, so a class deriving from this one gets
// these init/cleanup slots without writing them again.
class ThemedLibraryTest : public QObject {
    Q_OBJECT
protected:
    std::unique_ptr<TestLibrary> m_lib;

private slots:
    void initTestCase() { isolateSettings(); }
    void init() { m_lib = makeTestLibrary(); }
    void cleanup()
    {
        gui::applyTheme(gui::Theme::Light);
        m_lib.reset();
    }
};

// Dark as the themes mean it: the window colours of the dark theme are below the middle.
inline bool isDark(const QColor &c)
{
    return c.lightness() < 128;
}

// The colour `widget` is painted in half-way down, `x` pixels from its left edge or, without
// x, in the middle (a chart's plot before any series is drawn).
inline QColor paintedColour(QWidget *widget, std::optional<int> x = std::nullopt)
{
    const QImage image = widget->grab().toImage();
    return image.pixelColor(x.value_or(image.width() / 2), image.height() / 2);
}

} // namespace paperlab::testing
