#pragma once
// A label painted in colours computed from the application's palette (a banner, a badge).
// A colour written into a style sheet stays when the theme changes; this label computes its
// colours again whenever the palette changes, so a switch to dark at run time reaches it.

#include "readablecolours.h"

#include <QLabel>

#include <functional>

namespace paperlab::playground {

class ColourLabel : public QLabel {
    Q_OBJECT
public:
    using Colours = std::function<ColourPair(const QPalette &)>;

    // `shape` is the rest of the style sheet (padding, radius): the colours are added to it.
    ColourLabel(Colours colours, const QString &shape, QWidget *parent = nullptr);

    void setColours(Colours colours);
    // The colours it is painted in now.
    ColourPair colours() const { return m_current; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void restyle();

    Colours m_colours;
    QString m_shape;
    ColourPair m_current;
};

} // namespace paperlab::playground
