#include "wheelguard.h"

#include <QEvent>
#include <QWidget>

namespace paperlab::playground {

namespace {

class WheelGuard : public QObject {
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() != QEvent::Wheel)
            return false;
        auto *editor = static_cast<QWidget *>(watched);
        if (editor->hasFocus())
            return false;
        // Ignored and swallowed: Qt hands an ignored wheel event on to the parent, the
        // scroll area, which scrolls.
        event->ignore();
        return true;
    }
};

} // namespace

void takeWheelOnlyWhenFocused(QWidget *editor)
{
    // Wheel focus would focus the editor on the first wheel turn and defeat the guard.
    editor->setFocusPolicy(Qt::StrongFocus);
    editor->installEventFilter(new WheelGuard(editor));
}

} // namespace paperlab::playground
