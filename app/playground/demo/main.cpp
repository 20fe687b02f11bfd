// paperlab-playground-demo: opens a kernel's playground on a scratch library, runs a sweep
// (or imports runner JSON) and saves a screenshot. The README's pictures come from here:
//   paperlab-playground-demo --kernel flash_attention --device cpu --screenshot docs/playground-cpu.png
//   paperlab-playground-demo --kernel flash_decoding --import bench.json --screenshot docs/playground-h100.png
#include "devicedefaults.h"
#include "family.h"
#include "library.h"
#include "paperreference.h"
#include "playgroundwidget.h"
#include "runhistory.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTemporaryDir>
#include <QTimer>

using namespace paperlab;
using namespace paperlab::playground;

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCommandLineParser cli;
    cli.addHelpOption();
    cli.addOptions({{"kernel", "Kernel id.", "id", "flash_attention"},
                    {"device", "cpu or cuda:N.", "device", "cpu"},
                    {"sweep", "Sweep values (list) of the default swept parameter.", "values"},
                    {"import", "Runner --json output (or bench.json) to load instead of running.", "file"},
                    {"only", "After an import, plot only the runs whose name contains this.", "text"},
                    {"screenshot", "Save a PNG of the window and quit.", "file"},
                    {"size", "Window size WxH.", "size", "1500x900"}});
    cli.process(app);

    QTemporaryDir dir;
    Library library(dir.filePath(QStringLiteral("demo.sqlite")));
    const QString kernel = cli.value("kernel");
    const KernelInfo *k = findLocalKernel(kernel);
    if (!k) {
        qCritical("unknown kernel %s", qPrintable(kernel));
        return 2;
    }
    // The kernel's first paper, named as the kernel names it.
    const PaperReference ref = PaperReference::parse(k->paperKeys.value(0, kernel));
    PaperRecord paper;
    paper.key = kernel;
    paper.arxivId = ref.arxivId;
    paper.title = ref.name.isEmpty() ? k->displayName : ref.name;
    const qint64 paperId = library.addPaper(paper);
    PlaygroundWidget w(library, paperId, kernelsForPaper(*library.paper(paperId)));
    const QStringList size = cli.value("size").split(QLatin1Char('x'));
    w.resize(size.value(0).toInt(), size.value(1).toInt());
    w.setWindowTitle(QStringLiteral("PaperLab playground: %1").arg(k->displayName));
    w.show();

    const QString shot = cli.value("screenshot");
    auto finish = [&] {
        if (!shot.isEmpty()) {
            QTimer::singleShot(300, &app, [&] {
                w.grab().save(shot);
                app.quit();
            });
        }
    };
    if (cli.isSet("import")) {
        QTimer::singleShot(500, &app, [&] {
            const QString error = w.importRunnerJson(cli.value("import"));
            if (!error.isEmpty())
                qCritical("%s", qPrintable(error));
            if (cli.isSet("only"))
                for (int i = 0; i < w.history()->count(); ++i)
                    w.history()->item(i)->setCheckState(
                        w.history()->item(i)->text().contains(cli.value("only")) ? Qt::Checked : Qt::Unchecked);
            if (w.history()->count() > 0)
                w.history()->setCurrentRow(0); // its details below the list
            finish();
        });
    } else {
        QObject::connect(&w, &PlaygroundWidget::runEnded, &app, finish);
        // Wait for the runner's device list, then run with the device's defaults.
        QTimer::singleShot(1500, &app, [&] {
            w.selectDevice(cli.value("device"));
            if (cli.isSet("sweep"))
                w.setSweep(defaultsFor(*findLocalKernel(w.kernelId()), false).sweepParam, cli.value("sweep"));
            w.run();
        });
    }
    return app.exec();
}
