#include "elidingcombo.h"

#include <QEvent>
#include <QStyleOptionComboBox>
#include <QStylePainter>

namespace paperlab::playground {

ElidingComboBox::ElidingComboBox(QWidget *parent)
    : QComboBox(parent)
{
    connect(this, &QComboBox::currentTextChanged, this, &ElidingComboBox::updateToolTip);
}

QString ElidingComboBox::shownText() const
{
    QStyleOptionComboBox option;
    initStyleOption(&option);
    const QRect room = style()->subControlRect(QStyle::CC_ComboBox, &option, QStyle::SC_ComboBoxEditField, this);
    int width = room.width();
    if (!option.currentIcon.isNull())
        width -= option.iconSize.width() + 4; // the label draws the icon inside the same room
    return fontMetrics().elidedText(currentText(), Qt::ElideRight, width);
}

void ElidingComboBox::paintEvent(QPaintEvent *event)
{
    if (isEditable()) { // its line edit shows (and scrolls) the text itself
        QComboBox::paintEvent(event);
        return;
    }
    // QComboBox::paintEvent, with the label cut to fit instead of clipped.
    QStylePainter painter(this);
    painter.setPen(palette().color(QPalette::Text));
    QStyleOptionComboBox option;
    initStyleOption(&option);
    painter.drawComplexControl(QStyle::CC_ComboBox, option);
    option.currentText = shownText();
    painter.drawControl(QStyle::CE_ComboBoxLabel, option);
}

void ElidingComboBox::resizeEvent(QResizeEvent *event)
{
    QComboBox::resizeEvent(event);
    updateToolTip();
}

void ElidingComboBox::changeEvent(QEvent *event)
{
    QComboBox::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        updateToolTip();
}

void ElidingComboBox::updateToolTip()
{
    setToolTip(shownText() == currentText() ? QString() : currentText());
}

} // namespace paperlab::playground
