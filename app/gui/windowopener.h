#pragma once
// `paperlab --open NAME`: opens one of the app's dialogs or windows the way a user does, by
// triggering the menu action of that name, so a screenshot (and a new-user walk under Xvfb)
// shows the very dialog the menu shows. The action runs queued: a modal dialog's own event
// loop keeps the app alive, and whatever top-level window appeared since is "the one opened".

#include <QList>
#include <QPointer>
#include <QString>
#include <QStringList>

class QAction;
class QWidget;

namespace paperlab::gui {

class WindowOpener {
public:
    // The names --open takes; each is the objectName of a menu action of the main window.
    static QStringList names();

    // Finds the action named `name` among `window`'s menus; error() says why when it cannot.
    WindowOpener(QWidget *window, const QString &name);

    bool isValid() const { return m_action != nullptr; }
    QString error() const { return m_error; }
    // Triggers the action from the event loop (a dialog's exec() must not run inside the
    // caller) after noting the windows already shown.
    void trigger();
    // The newest visible top-level window that was not shown before trigger(); null if none.
    QWidget *opened() const;

private:
    QPointer<QAction> m_action;
    QString m_error;
    QList<QPointer<QWidget>> m_before;
};

} // namespace paperlab::gui
