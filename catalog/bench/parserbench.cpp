// Parser benchmark: prints how long each importer takes on the inputs that once made it
// quadratic (issue 10); asserts nothing.
//   paperlab-parser-bench [--bib N] [--errors N] [--brackets N] [--keywords N]

#include "importers/bibteximporter.h"
#include "importers/importers.h"
#include "pathologicalinputs.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <cstdio>

using namespace paperlab;

namespace {

template <typename Parse>
void time(const char *what, qsizetype chars, Parse parse)
{
    QElapsedTimer t;
    t.start();
    const ImportBatch batch = parse();
    std::printf("%-46s %6.2f M chars  %8.3f s  %7lld papers  %7lld diagnostics\n", what, double(chars) / 1e6,
                double(t.nsecsElapsed()) / 1e9, qlonglong(batch.papers.size()), qlonglong(batch.diagnostics.size()));
    std::fflush(stdout);
}

ImportBatch parsePrototxtText(const QString &text)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("Many.prototxt"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(text.toUtf8());
    f.close();
    return parsePrototxtFile(path);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int bib = 100000, errors = 200000, brackets = 400000, keywords = 100000;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == u"--bib")
            bib = args[i + 1].toInt();
        if (args[i] == u"--errors")
            errors = args[i + 1].toInt();
        if (args[i] == u"--brackets")
            brackets = args[i + 1].toInt();
        if (args[i] == u"--keywords")
            keywords = args[i + 1].toInt();
    }
    const QString entries = pathological::bibEntries(bib);
    time(qPrintable(QStringLiteral("BibTeX: %1 entries").arg(bib)), entries.size(),
         [&] { return parseBibTeX(entries, QStringLiteral("big.bib")); });
    const QString broken = pathological::bibErrorLines(errors);
    time(qPrintable(QStringLiteral("BibTeX: %1 error lines").arg(errors)), broken.size(),
         [&] { return parseBibTeX(broken, QStringLiteral("broken.bib")); });
    const QString nested = pathological::nestedBracketList(brackets);
    time(qPrintable(QStringLiteral("Checkbox list: %1 nested [] on one line").arg(brackets)), nested.size(),
         [&] { return parseCheckboxList(nested, QStringLiteral("nested.md")); });
    const QString keywordLines = pathological::prototxtUnknownKeywords(keywords);
    time(qPrintable(QStringLiteral("Prototxt: %1 unknown keyword lines").arg(keywords)), keywordLines.size(),
         [&] { return parsePrototxtText(keywordLines); });
    const QString keywordList = pathological::prototxtUnknownKeywordList(keywords);
    time(qPrintable(QStringLiteral("Prototxt: %1 unknown keywords in a list").arg(keywords)), keywordList.size(),
         [&] { return parsePrototxtText(keywordList); });
    return 0;
}
