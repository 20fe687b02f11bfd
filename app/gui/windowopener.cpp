#include "windowopener.h"

#include <QAction>
#include <QApplication>
#include <QTimer>
#include <QWidget>

namespace paperlab::gui {

QStringList WindowOpener::names()
{
    // Kept in menu order; tst_windowopener checks each one names an action of the window.
    return {QStringLiteral("import-folder"), QStringLiteral("import-file"),   QStringLiteral("new-paper"),
            QStringLiteral("export-slides"), QStringLiteral("export-html"),   QStringLiteral("export-bibtex"),
            QStringLiteral("export-csl"),    QStringLiteral("export-csv"),    QStringLiteral("export-readme"),
            QStringLiteral("open-library"),  QStringLiteral("new-library"),   QStringLiteral("save-search"),
            QStringLiteral("kernels"),       QStringLiteral("baseline-graph")};
}

WindowOpener::WindowOpener(QWidget *window, const QString &name)
{
    if (names().contains(name)) {
        // The File > Export submenu and the table's context menu share action names; the
        // menu bar's own copy comes first in the tree, and either opens the same dialog.
        m_action = window->findChild<QAction *>(name);
    }
    if (!m_action)
        m_error = QStringLiteral("--open: no window named \"%1\" (one of: %2)").arg(name, names().join(u", "));
}

void WindowOpener::trigger()
{
    m_before.clear();
    for (QWidget *w : QApplication::topLevelWidgets())
        if (w->isVisible())
            m_before.append(w);
    QTimer::singleShot(0, m_action.get(), [action = m_action] {
        if (action)
            action->trigger();
    });
}

QWidget *WindowOpener::opened() const
{
    QWidget *newest = nullptr;
    for (QWidget *w : QApplication::topLevelWidgets()) {
        if (!w->isVisible() || m_before.contains(w))
            continue;
        // A modal dialog is what the user faces: it wins over a window opened before it.
        if (!newest || w == QApplication::activeModalWidget())
            newest = w;
    }
    return newest;
}

} // namespace paperlab::gui
