#include "twolinerow.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QVBoxLayout>

#include <algorithm>

namespace paperlab::playground {

TwoLineRow::TwoLineRow(QWidget *parent)
    : QWidget(parent)
    , m_line(new QHBoxLayout)
    , m_below(new QHBoxLayout)
{
    auto *lines = new QVBoxLayout(this);
    lines->setContentsMargins(0, 0, 0, 0);
    lines->setSpacing(4);
    lines->addLayout(m_line);
    lines->addLayout(m_below);
}

void TwoLineRow::setMovablePart(QWidget *part, int index, Fit fit)
{
    m_part = part;
    m_index = index;
    m_fit = fit;
    m_wrapped = false;
    m_line->insertWidget(index, part); // placed once the row has its width (resizeEvent)
}

int TwoLineRow::inlineWidth() const
{
    // The line's minimum holds the part at its minimum when it is inline and not at all when
    // it is below: either way, swap that for the part's preferred width.
    const int partMinimum = m_wrapped ? -m_line->spacing() : m_part->minimumSizeHint().width();
    const QMargins margins = layout()->contentsMargins();
    const int partWidth = m_fit == Fit::Preferred ? m_part->sizeHint().width() : m_part->minimumSizeHint().width();
    return m_line->minimumSize().width() - partMinimum + partWidth + margins.left() + margins.right();
}

QSize TwoLineRow::minimumSizeHint() const
{
    QSize size = QWidget::minimumSizeHint();
    // A part that wraps at its preferred width needs nothing more: the row's minimum, inline,
    // is narrower than where it wraps.
    if (!m_part || m_wrapped || m_fit == Fit::Preferred)
        return size;
    const QMargins margins = layout()->contentsMargins();
    const int others = m_line->minimumSize().width() - m_part->minimumSizeHint().width() - m_line->spacing();
    size.setWidth(std::max(others, m_part->minimumSizeHint().width()) + margins.left() + margins.right());
    return size;
}

QSize TwoLineRow::sizeHint() const
{
    QSize size = QWidget::sizeHint();
    if (m_part && m_wrapped) {
        const QMargins margins = layout()->contentsMargins();
        size.setWidth(std::max(size.width(), m_line->sizeHint().width() + m_line->spacing() +
                                                 m_part->sizeHint().width() + margins.left() + margins.right()));
    }
    return size;
}

void TwoLineRow::place()
{
    if (!m_part)
        return;
    const bool wrap = width() < inlineWidth();
    if (wrap == m_wrapped)
        return;
    m_wrapped = wrap;
    if (wrap) {
        m_line->removeWidget(m_part);
        m_below->addWidget(m_part, 1);
    } else {
        m_below->removeWidget(m_part);
        m_line->insertWidget(m_index, m_part);
    }
}

void TwoLineRow::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    place();
}

bool TwoLineRow::event(QEvent *event)
{
    // A tag added or removed changes the part's preferred width without resizing the row.
    if (event->type() == QEvent::LayoutRequest && isVisible())
        place();
    return QWidget::event(event);
}

} // namespace paperlab::playground
