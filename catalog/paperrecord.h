#pragma once
// What an importer says about one paper, before it is merged into the library.
// Every importer (one per source format) produces these; the Library merges them
// into stored papers and keeps each record as provenance.

#include "claim.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace paperlab {

enum class ReadingStatus { Unread = 0, Reading = 1, Read = 2 };

QString readingStatusName(ReadingStatus s); // "unread", "reading", "read"
std::optional<ReadingStatus> readingStatusFromName(const QString &name);

// Where a record came from: shown to the user and stored as provenance.
struct SourceRef {
    QString format; // "efficientpaper", "readme-view", "monthly-list", "checkbox-list", "keypoint-notes", "topic-list",
                    // "bibtex"
    QString file;   // path of the source file
    int line = 0;   // 1-based line where the record starts (0 when unknown)
};

struct PaperRecord {
    SourceRef source;

    QString key; // EfficientPaper key (file stem of meta/YEAR/KEY.prototxt) when the source has one
    QString title;
    QString abbr;        // short name, e.g. "FlashAttention"
    QStringList authors; // as written; "Daliang Xu et.al." keeps the first author only
    QStringList institutions;
    QString venueRaw; // venue exactly as the source wrote it ("ICLR Poster", "sosp24", "2025-ICML")
    QString venue;    // canonical venue ("ICLR", "SOSP"); "arXiv" for preprints
    int year = 0;     // 0 when unknown

    QString arxivId; // "2205.14135" without version
    QString doi;
    QString paperUrl;
    QString codeUrl;
    QString openReviewUrl;
    QString slidesUrl;

    QStringList topics;     // display names ("KV Cache", "attention_sparsity" becomes "Attention Sparsity")
    QString coverPath;      // absolute path, or relative to the source file's folder
    QString notePath;       // absolute path of a note file when the source has one
    QString libraryFolder;  // the library folder the record came from (EfficientPaper): its
                            // note and cover stay inside it, a new note is created in it
    QString noteMarkdown;   // note text (Markdown)
    QStringList highlights; // <mark> text and other one-line remarks
    QString bibtexKey;      // the citation key a BibTeX source gave it ("dao2022flashattention")

    // What an EfficientPaper library records beyond the paper itself.
    QStringList baselineMethods; // baseline.methods: the papers it compares with, "2022/FlashAttention"
    int rating = 0;              // 1-5 stars the library gave it; 0: none
    qint64 updateTime = 0;       // update_time (Unix seconds); 0: none
    QString extraFields; // fields the schema has no place for, in the file's own text, so an export writes them back
    QList<Claim> claims; // claims (PaperInfo field 106): what the paper says it achieves
    QStringList keywordWords; // keyword.words as the file named them ("none", a word only the library's proto/ has)
    QString fieldsAsWritten;  // PaperInfo text of what PaperLab reads as nothing (abbr: "", code.type, note and
                              // cover urls, methods: "None"), so an export writes them back as they were

    // Reading state some lists carry ("[X]" read, "[x] ppt"). Applied to a paper only
    // while the user has not set that state himself.
    std::optional<ReadingStatus> status;
    bool noteWritten = false;
    bool slidesMade = false;
};

struct Diagnostic {
    enum class Severity { Warning, Error };
    Severity severity = Severity::Warning;
    QString file;
    int line = 0;   // 1-based; 0 when the message is about the whole file
    int column = 0; // 1-based; 0 when unknown
    QString message;

    QString toString() const; // "file:line:col: error: message"
};

struct ImportBatch {
    QList<PaperRecord> papers;
    QList<Diagnostic> diagnostics;
    // Blocks of the source that looked like a paper but were not read as one, each also
    // reported by skip(): papers.size() + skipped is what the file holds.
    int skipped = 0;

    // Reports a skipped block at file:line with the reason, and counts it.
    void skip(const QString &file, int line, const QString &reason,
              Diagnostic::Severity severity = Diagnostic::Severity::Warning);

    void warn(const QString &file, int line, const QString &message, int column = 0);
    void error(const QString &file, int line, const QString &message, int column = 0);
    int errorCount() const;
    int warningCount() const;
};

} // namespace paperlab
