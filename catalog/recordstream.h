#pragma once
// Records on their way into the library, handed to the importer in source order while the
// rest are still being parsed and prepared on the other cores. An import used to parse a
// whole folder first and write after; with a stream the writer starts on the first record
// and the parse runs beside it (issue 16: at 100,000 papers the parse was a third of the
// import's wall time on two cores).

#include "importers/importers.h"
#include "paperrecord.h"

#include <memory>

namespace paperlab {

// A record as the importer writes it: completed and checked, with its provenance text. All
// of it depends on the record alone, so it is made on the thread that parsed the record.
struct PreparedRecord {
    PaperRecord record;
    QString provenance;            // the record as the provenance table stores it (compact JSON)
    QList<Diagnostic> diagnostics; // what preparing it found, reported where the record is written
};

// Fills the gaps a parser left (venue from the raw string, "arXiv" for preprints, a year from
// the arXiv id), drops a note or cover path that names no file or lies outside the library,
// and makes the provenance text.
PreparedRecord prepareRecord(PaperRecord record);

class RecordStream {
public:
    virtual ~RecordStream() = default;
    // How many records the stream expects to hand out (the files of a folder, the records
    // of a parsed batch): decides the bulk path and the progress bar's length.
    virtual qsizetype expectedRecords() const = 0;
    // The next record in source order, waiting for it to be parsed. False at the end, and at
    // once when the stream's cancel flag is set.
    virtual bool next(PreparedRecord &out) = 0;
    // What the parse said besides records (diagnostics in source order, skipped blocks):
    // complete once next() has returned false.
    virtual const ImportBatch &parseOutcome() const = 0;
};

// A batch parsed already; large ones are prepared on every core, ahead of the writer.
std::unique_ptr<RecordStream> streamBatch(const ImportBatch &batch);

// Parses a path of any supported format. An EfficientPaper folder is parsed file by file on
// every core while its first records are written; any other source is read whole first.
std::unique_ptr<RecordStream> streamSource(const QString &path, CancelFlag cancel = nullptr);

} // namespace paperlab
