// Format detection and the dispatch behind it: parseSource() reads a path, so each input
// is written to one file in a per-process temporary folder (removed at exit) and read back
// through the same entry point `paperlab-cli import` uses.

#include "fuzzinput.h"
#include "importers/importers.h"

#include <QFile>
#include <QTemporaryDir>

namespace {

const QString &inputPath()
{
    static QTemporaryDir dir; // per process: parallel fuzzing jobs never share a file
    static const QString path = dir.filePath(QStringLiteral("input.md"));
    paperlab::fuzz::require(dir.isValid(), "no temporary folder");
    return path;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QString &path = inputPath();
    QFile f(path);
    paperlab::fuzz::require(f.open(QIODevice::WriteOnly | QIODevice::Truncate), "cannot write", path);
    paperlab::fuzz::require(f.write(reinterpret_cast<const char *>(data), qint64(size)) == qint64(size),
                            "short write to", path);
    f.close();

    const paperlab::SourceFormat format = paperlab::detectFormat(path);
    const paperlab::ImportBatch batch = paperlab::parseSource(path, format);
    paperlab::fuzz::checkBatch(batch, paperlab::fuzz::textOf(data, size));
    return 0;
}
