#pragma once
// The catalog: an SQLite index over the shareable source files plus the user's own state.
// One Library per thread (each holds its own connection; WAL lets readers run beside a writer).

#include "paperrecord.h"
#include "phasetimer.h"
#include "searchquery.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace paperlab {

class Database;

// What kind of trouble an index is in: each asks the user for something different (and the
// CLI exits with a different code for each).
enum class FailureKind {
    Other,       // a bad argument, a file that could not be written...
    Busy,        // another process held the write lock past the busy timeout: try again
    ReadOnly,    // the index (or its folder) cannot be written
    Damaged,     // an SQLite file damaged inside: rebuild it
    NotPaperLab, // not an SQLite file, or another application's: left untouched
    NewerSchema, // a PaperLab index from a newer PaperLab: left untouched
};

class LibraryError : public std::runtime_error {
public:
    explicit LibraryError(const QString &message, FailureKind kind = FailureKind::Other)
        : std::runtime_error(message.toStdString())
        , m_kind(kind)
    {}
    QString message() const { return QString::fromStdString(what()); }
    FailureKind kind() const { return m_kind; }

private:
    FailureKind m_kind;
};

// Any exception a Library call threw (LibraryError, SQLite's errors, out of memory), turned
// into a LibraryError whose message names the index and says what to do.
LibraryError explainFailure(const std::exception &error, const QString &dbPath);

struct ProvenanceEntry {
    QString format;
    QString file;
    int line = 0;
    QString recordJson;
    QDateTime importedAt;
};

struct PaperSummary {
    qint64 id = 0;
    QString key;
    QString title;
    QString abbr;
    QString venue;
    int year = 0;
    QString institutions; // "; "-joined
    QString topics;       // "; "-joined
    QString codeUrl;
    ReadingStatus status = ReadingStatus::Unread;
    int rating = 0;
    QString authorNames; // "; "-joined (summaries() only; a Paper has its `authors` list)
    QString tagNames;    // "; "-joined (summaries() only)
};

struct Paper : PaperSummary {
    QStringList authors;
    QStringList institutionList;
    QStringList topicList;
    QStringList tags;
    QString venueRaw;
    QString arxivId;
    QString doi;
    QString paperUrl;
    QString openReviewUrl;
    QString slidesUrl;
    QString coverPath;
    QString notePath;
    QString libraryFolder; // the library its note file lives or is created in; empty: none
    QString note;
    QString personalNote;
    // From the paper's EfficientPaper sources (the first that says), written back on export.
    QStringList baselineMethods; // "2022/FlashAttention": papers this one compares with
    qint64 updateTime = 0;
    QString extraFields;      // fields PaperLab's schema lacks, as the library wrote them
    QStringList keywordWords; // keyword.words as the library named them
    QString fieldsAsWritten;  // what PaperLab reads as nothing, as the library wrote it (see PaperRecord)
    QString bibtexKey;        // the citation key a BibTeX source used, reused on export
    QList<Claim> claims;      // the paper's claims (table paper_claims), written back on export
    bool noteWritten = false;
    bool slidesMade = false;
    bool noteEdited = false;
    bool stateByUser = false; // status, rating or flags set in PaperLab (they then win over the sources')
    QDateTime addedAt;
    QDateTime updatedAt;
    QList<ProvenanceEntry> provenance;
};

struct ImportReport {
    int added = 0;
    int merged = 0;
    int unchanged = 0;
    int skipped = 0; // blocks of the sources not read as papers (each has a diagnostic)
    bool cancelled = false;
    QList<Diagnostic> diagnostics;
    QList<PhaseTime> phases; // where the import's time went, in order (printed by the benchmark)
    int errors() const;
    int warnings() const;
};

enum class Facet { Institution, Venue, Year, Topic, Status, Tag, Author };

struct FacetValue {
    QString value; // what a filter matches on (topic key, status name, year as text)
    QString label; // what the user sees
    int count = 0;
};

// The most common values of a facet (Library::facetTop): a tree shows a few hundred of an
// author facet with a quarter of a million names.
struct FacetCounts {
    QList<FacetValue> values; // in the facet's order, at most `top` plus the kept values
    int distinct = 0;         // how many values the facet has in all
};

// A narrowing chosen in the facet tree; values within one facet are OR-ed, facets AND-ed.
struct FacetFilter {
    Facet facet;
    QStringList values;
};

enum class SortKey {
    Relevance,
    Title,
    Abbr,
    Venue,
    Year,
    Institutions,
    Topics,
    Code,
    Status,
    Rating,
    Added,
    Updated,
    Authors,
    Tags
};

struct SearchOptions {
    QList<FacetFilter> facets;
    SortKey sort = SortKey::Relevance;
    bool descending = false;
    int limit = -1;          // -1: all
    bool recentOnly = false; // "Recently added/edited": the 50 newest changes
};

struct Stats {
    int papers = 0;
    int institutions = 0;
    int venues = 0;
    int topics = 0;
    int tags = 0;
    int withNotes = 0;
    int withCode = 0;
    int read = 0;
    int reading = 0;
    int sources = 0;
};

using ProgressFn = std::function<void(int done, int total)>;

class RecordStream;

class Library {
public:
    // PRAGMA application_id of every index PaperLab creates ("PLab").
    static constexpr int kApplicationId = 0x504C6162;

    // Opens or creates the index at `dbPath`, migrating it (with a backup) when older.
    // Before anything is written the file is checked to be a PaperLab index (application_id,
    // or an older index's tables) of a schema this build can migrate; a foreign, newer,
    // damaged or unreadable file throws LibraryError naming the file and is left untouched,
    // byte for byte. Only then is it switched to WAL and migrated.
    explicit Library(const QString &dbPath);
    ~Library();
    Library(const Library &) = delete;
    Library &operator=(const Library &) = delete;

    QString path() const;
    QString migrationBackup() const { return m_backup; }

    // --- importing -------------------------------------------------------------------
    // Merges records into the library in one transaction: all or nothing.
    ImportReport importBatch(const ImportBatch &batch, const ProgressFn &progress = {},
                             const std::atomic_bool *cancel = nullptr);
    // The same for records handed over while they are parsed (recordstream.h): the writer
    // starts on the first record and the parse runs beside it on the other cores.
    ImportReport importStream(RecordStream &records, const ProgressFn &progress = {},
                              const std::atomic_bool *cancel = nullptr);
    // Parses and imports each path (folder or file, format detected): an EfficientPaper
    // folder is parsed while it is written.
    ImportReport importPaths(const QStringList &paths, const ProgressFn &progress = {},
                             const std::atomic_bool *cancel = nullptr);
    // A paper typed in by hand; returns its id.
    qint64 addPaper(const PaperRecord &record);

    // --- reading ---------------------------------------------------------------------
    int paperCount();
    Stats stats();
    std::optional<Paper> paper(qint64 id);
    std::optional<Paper> paperByKey(const QString &key);
    // Ids matching the query text and facet filters, in order. Throws LibraryError with a
    // readable message when the query is invalid.
    QList<qint64> findIds(const QString &queryText, const SearchOptions &options = {});
    QList<qint64> findIds(const SearchQuery &query, const SearchOptions &options = {});
    // The same ids, with `firstRows` called once with the first `firstCount` of them (not when
    // there are fewer) before the rest are read: search as you type shows them while the list
    // goes on to the last match (a LIMIT statement, then the whole one, in the caller's
    // snapshot). When `firstRows` returns false the first ids are returned and nothing more is read.
    QList<qint64> findIds(const QString &queryText, const SearchOptions &options, int firstCount,
                          const std::function<bool(const QList<qint64> &)> &firstRows);
    QList<PaperSummary> summaries(const QList<qint64> &ids);
    // Title with the matched terms wrapped in <b>…</b> (HTML-escaped otherwise).
    QString highlightedTitle(qint64 id, const QString &queryText);
    // Every value of a facet with its paper count, most common first (years newest first,
    // tags by name). With `within`, counted among those papers only (the current search).
    QList<FacetValue> facet(Facet facet, const QList<qint64> *within = nullptr);
    // The first `top` values of facet() (all when negative) and the values in `keep` (chosen
    // in the tree) wherever they rank; authors are ranked by a partial sort, not a full one.
    FacetCounts facetTop(Facet facet, int top, const QStringList &keep = {}, const QList<qint64> *within = nullptr);
    QStringList allTags();
    QList<Paper> allPapers(); // full records, for exporters

    // --- the user's state --------------------------------------------------------------
    void setStatus(qint64 id, ReadingStatus status);
    void setRating(qint64 id, int rating); // 0..5
    void setFlags(qint64 id, bool noteWritten, bool slidesMade);
    void setPersonalNote(qint64 id, const QString &text);
    // Replaces the paper's claims in the index and in its prototxt (libraryclaims.cpp): every
    // file of the EfficientPaper library it came from (a paper filed under two years has two;
    // only their claims fields change), else meta/YEAR/KEY.prototxt of its library folder,
    // else the index only. Returns the (first) file written (empty: none). A file that cannot
    // be written throws LibraryError; files already written get their old text back and the
    // index keeps the old claims.
    QString setClaims(qint64 id, const QList<Claim> &claims);
    QList<Claim> claims(qint64 id);
    // Every paper's claims measured by `kernel`, as (paper id, claim), papers in id order.
    QList<std::pair<qint64, Claim>> claimsForKernel(const QString &kernel);
    void addTag(qint64 id, const QString &tag);
    void removeTag(qint64 id, const QString &tag);
    // Saves the note in the index and writes it back to its file, creating
    // notes/YEAR/KEY/note.md in the paper's library folder (the EfficientPaper folder it
    // was imported from, else the index's libraryFolder()) when the paper has none. Returns
    // the file written; empty when the paper has no library folder at all, and the note
    // lives in the index only. A file is only ever written inside a library folder, and
    // atomically: when it cannot be written (full disk, refused path) LibraryError says
    // why and both the old file and the index keep the old text.
    QString setNote(qint64 id, const QString &markdown);

    // The folder of the shareable source (meta/ + notes/) new notes of papers without a
    // library of their own are written into.
    QString libraryFolder();
    void setLibraryFolder(const QString &folder);

    QList<std::pair<QString, QString>> savedSearches();
    void saveSearch(const QString &name, const QString &query);
    void deleteSavedSearch(const QString &name);

    Database &database();

private:
    struct Impl;
    std::unique_ptr<Impl> d;
    QString m_backup;
};

QString facetName(Facet f);

// `path` canonicalized when it lies inside a folder the paper's files may come from (its
// library folder, or the folder of a source file that named it); empty otherwise. What the
// note writer, the decks and the library exporter check before touching a file.
QString fileInPaperLibrary(const Paper &paper, const QString &path);

} // namespace paperlab
