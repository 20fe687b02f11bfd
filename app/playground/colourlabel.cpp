#include "colourlabel.h"

#include <QApplication>
#include <QEvent>

namespace paperlab::playground {

ColourLabel::ColourLabel(Colours colours, const QString &shape, QWidget *parent)
    : QLabel(parent)
    , m_colours(std::move(colours))
    , m_shape(shape)
{
    qApp->installEventFilter(this);
    restyle();
}

void ColourLabel::setColours(Colours colours)
{
    m_colours = std::move(colours);
    restyle();
}

bool ColourLabel::eventFilter(QObject *watched, QEvent *event)
{
    // The application hears of a new palette (a theme switch); a label with a style sheet of
    // its own is not sent a palette change.
    if (watched == qApp && event->type() == QEvent::ApplicationPaletteChange)
        restyle();
    return QLabel::eventFilter(watched, event);
}

void ColourLabel::restyle()
{
    if (!m_colours)
        return; // none yet
    // The application's palette, not the label's own: the style sheet set here changes the
    // label's palette, and reading that back would feed the label its own colours.
    m_current = m_colours(QApplication::palette());
    const QString sheet =
        QStringLiteral("background:%1; color:%2; %3").arg(m_current.background.name(), m_current.text.name(), m_shape);
    if (sheet != styleSheet()) // setting it changes the palette: the same sheet ends the loop
        setStyleSheet(sheet);
}

} // namespace paperlab::playground
