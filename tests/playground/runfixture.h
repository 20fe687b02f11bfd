#pragma once
// What the playground engine tests share: a scratch library with one paper and its run
// store, tiny FlashAttention sweeps that take milliseconds on the CPU, and running a
// session to its end.
#include "library.h"
#include "runsession.h"
#include "runstore.h"

#include <QSignalSpy>
#include <QTemporaryDir>

#include <memory>

namespace paperlab::playground::testing {

inline RunSetup tinySetup(const QStringList &seqs = {QStringLiteral("16"), QStringLiteral("32"), QStringLiteral("64")})
{
    RunSetup s;
    s.kernel = QStringLiteral("flash_attention");
    s.fixed = {{QStringLiteral("batch"), QStringLiteral("1")}, {QStringLiteral("q_heads"), QStringLiteral("2")}};
    s.sweepParam = QStringLiteral("seq_len");
    s.sweepValues = seqs;
    s.variants = {QStringLiteral("cpu")};
    s.device = QStringLiteral("cpu");
    s.repetitions = 2;
    return s;
}

struct RunFixture {
    QTemporaryDir dir;
    Library library{dir.filePath(QStringLiteral("lib.sqlite"))};
    RunStore store{library};
    qint64 paperId = 0;

    RunFixture()
    {
        PaperRecord paper;
        paper.key = QStringLiteral("flashattention");
        paper.title = QStringLiteral("FlashAttention");
        paperId = library.addPaper(paper);
    }

    // Starts `setup` and waits for its end; an empty record when it did not start or end.
    RunRecord runToEnd(RunSession &session, const RunSetup &setup, int timeoutMs = 30000)
    {
        QSignalSpy ended(&session, &RunSession::runEnded);
        if (!session.start(setup, paperId) || !ended.wait(timeoutMs))
            return {};
        const auto run = ended.first().first().value<RunRecord>();
        if (run.status == RunStatus::Failed)
            qWarning("run failed: %s", qPrintable(run.message));
        return run;
    }
};

} // namespace paperlab::playground::testing
