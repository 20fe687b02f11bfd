#include "changeguard.h"

#include <QEvent>
#include <QKeyEvent>
#include <QWidget>

namespace paperlab::gui {
namespace {

class ChangeGuard : public QObject {
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Wheel) {
            // Scrolling over the header must not re-rate the paper.
            return true;
        }
        if (event->type() == QEvent::KeyPress) {
            const auto *key = static_cast<QKeyEvent *>(event);
            const bool plain = !(key->modifiers() & (Qt::AltModifier | Qt::ControlModifier));
            switch (key->key()) {
            case Qt::Key_Up:
            case Qt::Key_Down:
            case Qt::Key_PageUp:
            case Qt::Key_PageDown:
            case Qt::Key_Home:
            case Qt::Key_End:
                if (plain)
                    return true;
                break;
            default:
                break;
            }
        }
        return QObject::eventFilter(watched, event);
    }
};

} // namespace

void guardAgainstAccidentalChange(QWidget *widget)
{
    widget->installEventFilter(new ChangeGuard(widget));
}

} // namespace paperlab::gui
