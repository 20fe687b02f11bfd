#pragma once
// The app's QApplication: the last line of defence for "no exception reaches the event loop".
// Library calls on the GUI thread catch their own errors and edits go through the writer;
// anything that still escapes an event handler is reported here instead of aborting the app
// (Qt cannot unwind an exception through its event loop). It also says counts in English
// ("1 paper", "338 papers"; see englishplurals.h).

#include <QApplication>

namespace paperlab::gui {

class GuiApplication : public QApplication {
    Q_OBJECT
public:
    GuiApplication(int &argc, char **argv);
    bool notify(QObject *receiver, QEvent *event) override;
};

} // namespace paperlab::gui
