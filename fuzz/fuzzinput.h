#pragma once
// Shared by the catalog fuzz targets: turning libFuzzer's bytes into the QString every
// parser takes, and the checks that make a wrong answer (not only a crash) a finding.

#include "paperrecord.h"

#include <QString>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace paperlab::fuzz {

// Invalid UTF-8 is part of the input space on purpose: the importers read files with
// QString::fromUtf8 too, so they see the same replacement characters a user's file gives.
inline QString textOf(const std::uint8_t *data, std::size_t size)
{
    return QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
}

// Aborts (which libFuzzer records as a crash, with the input saved) when `ok` is false.
inline void require(bool ok, const char *what, const QString &detail = {})
{
    if (ok)
        return;
    std::fprintf(stderr, "fuzz invariant broken: %s %s\n", what, qPrintable(detail));
    std::abort();
}

// Every diagnostic and record must point at a line the text has: the user is told
// "file:line", so a negative or past-the-end line is a bug even when nothing crashes.
// Lines end at "\n", "\r\n" or a lone "\r" depending on the parser, so the bound counts both.
inline void checkBatch(const ImportBatch &batch, const QString &text)
{
    const int lastLine = int(text.count(QLatin1Char('\n')) + text.count(QLatin1Char('\r'))) + 1;
    for (const Diagnostic &d : batch.diagnostics) {
        require(d.line >= 0 && d.line <= lastLine, "diagnostic line out of range:", d.toString());
        require(d.column >= 0, "negative diagnostic column:", d.toString());
        require(!d.message.isEmpty(), "diagnostic without a message at line", QString::number(d.line));
    }
    for (const PaperRecord &r : batch.papers)
        require(r.source.line >= 0 && r.source.line <= lastLine,
                "record line out of range:", QString::number(r.source.line));
}

} // namespace paperlab::fuzz
