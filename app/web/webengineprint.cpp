#include "webengineprint.h"

#include <QEventLoop>
#include <QGuiApplication>
#include <QLoggingCategory>
#include <QMarginsF>
#include <QPageLayout>
#include <QPageSize>
#include <QPointer>
#include <QTimer>
#include <QWebEnginePage>
#include <QWebEngineProfile>

namespace paperlab {

void whenMathDone(QWebEnginePage *page, QObject *context, std::function<void()> done)
{
    QPointer<QObject> alive(context);
    page->runJavaScript(QStringLiteral("window.paperlabMathDone === true"), [page, alive, done](const QVariant &v) {
        if (!alive)
            return;
        if (v.toBool())
            done();
        else
            QTimer::singleShot(20, alive, [page, alive, done] { whenMathDone(page, alive, done); });
    });
}

QByteArray printHtmlFileToPdf(const QString &htmlFile, const QSizeF &pageSizeMm, QString *error, int timeoutMs)
{
    auto fail = [error, &htmlFile](const QString &why) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(htmlFile, why);
        return QByteArray();
    };
    if (!qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
        return fail(QStringLiteral("printing to PDF needs a QGuiApplication"));

    // WebEngine starts here in the CLI: its start-up report (GL backend, Chromium flags) is
    // no news to someone exporting slides. QT_LOGGING_RULES still overrides this.
    QLoggingCategory::setFilterRules(QStringLiteral("qt.webenginecontext.info=false"));
    // Off the record: printing leaves no cache or cookies in the user's profile folder.
    QWebEngineProfile profile;
    QWebEnginePage page(&profile);
    QEventLoop loop;
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, [&loop] { loop.exit(2); });
    deadline.start(timeoutMs);

    bool loaded = false;
    QObject::connect(&page, &QWebEnginePage::loadFinished, &loop, [&](bool ok) {
        loaded = ok;
        loop.exit(ok ? 0 : 1);
    });
    page.load(QUrl::fromLocalFile(htmlFile));
    if (loop.exec() != 0)
        return fail(loaded ? QStringLiteral("timed out loading the page") : QStringLiteral("the page did not load"));

    // The math is typeset by the page's script; print only once it is done.
    whenMathDone(&page, &loop, [&loop] { loop.exit(0); });
    if (loop.exec() != 0)
        return fail(QStringLiteral("timed out typesetting the math"));

    QByteArray pdf;
    const QPageLayout layout(QPageSize(pageSizeMm, QPageSize::Millimeter, QString(), QPageSize::ExactMatch),
                             QPageLayout::Portrait, QMarginsF(0, 0, 0, 0), QPageLayout::Millimeter);
    page.printToPdf(
        [&](const QByteArray &bytes) {
            pdf = bytes;
            loop.exit(0);
        },
        layout);
    if (loop.exec() != 0)
        return fail(QStringLiteral("timed out printing"));
    if (pdf.isEmpty())
        return fail(QStringLiteral("the web engine printed nothing"));
    return pdf;
}

} // namespace paperlab
