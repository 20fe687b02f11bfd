#pragma once
// One parser per source format. Each reads text (or a folder) and returns records plus
// diagnostics naming file and line; none of them touches the database.

#include "../paperrecord.h"

#include <QString>
#include <QStringList>

#include <atomic>
#include <memory>

namespace paperlab {

enum class SourceFormat {
    Unknown,
    EfficientPaperFolder, // meta/YEAR/KEY.prototxt + notes/YEAR/KEY/note.md
    PrototxtFile,         // a single KEY.prototxt
    ReadmeView,           // EfficientPaper README: <details> per institution, Meta|Title|Cover|Publish|Code|Note tables
    MonthlyList,          // "**Title**. Author et.al. **Venue**, **Year**, ([link](...))" with >YYYY-MM headings
    CheckboxList,         // "- [X] [[2205.14135] Title](url)" under ## / ### sections
    KeyPointNotes,        // "### Title:" blocks with Institution/Conference/Paper Link and "##### Key-Point"
    TopicList,            // "## Topic" headings, one title per line, "- VENUE'YY" suffixes
    BibTeX,
    AwesomeList, // "- [ICML'24] [Title](url) [[Code](github)]" bullets or table rows under topic headings
    WeeklyList,  // EfficientPaper weekly view: "## Title", "**Authors:** ... | **Date:** ...", "**Link:** [url](url)"
};

QString sourceFormatName(SourceFormat f);

// Looks at a path (folder or file) and its first lines to decide the format.
SourceFormat detectFormat(const QString &path);

// Every parser takes an optional `cancel` flag, set from another thread (the GUI's Cancel
// button), and looks at it between records (lines, entries, files): once it is set the
// parser returns at once with what it had read, which the flag's owner throws away.
using CancelFlag = const std::atomic_bool *;

// Parses a path of any supported format (detecting it unless given).
ImportBatch parseSource(const QString &path, SourceFormat format = SourceFormat::Unknown, CancelFlag cancel = nullptr);

// Text parsers: `file` is the name used in diagnostics and provenance; relative
// note/cover paths are resolved against `baseDir` when it is given.
ImportBatch parseReadmeView(const QString &text, const QString &file, const QString &baseDir = {},
                            CancelFlag cancel = nullptr);
ImportBatch parseMonthlyList(const QString &text, const QString &file, CancelFlag cancel = nullptr);
ImportBatch parseCheckboxList(const QString &text, const QString &file, CancelFlag cancel = nullptr);
ImportBatch parseKeyPointNotes(const QString &text, const QString &file, const QString &baseDir = {},
                               CancelFlag cancel = nullptr);
ImportBatch parseTopicList(const QString &text, const QString &file, CancelFlag cancel = nullptr);
ImportBatch parseAwesomeList(const QString &text, const QString &file, CancelFlag cancel = nullptr);
ImportBatch parseWeeklyList(const QString &text, const QString &file, CancelFlag cancel = nullptr);

// What a refused file is told: the formats PaperLab reads, one example line each.
QString recognisedFormatsHint();

// EfficientPaper prototxt (protobuf text format). `notesRoot` is the folder that holds
// notes/YEAR/KEY/note.md (the library root), or empty for a lone file.
ImportBatch parsePrototxtFile(const QString &path, const QString &libraryRoot = {});
// The same for text already in memory (the fuzz target); `path` still names the file and
// places its note and cover.
ImportBatch parsePrototxt(const QString &text, const QString &path, const QString &libraryRoot = {});
ImportBatch parseEfficientPaperFolder(const QString &root, CancelFlag cancel = nullptr);

class LibrarySchema;
class OpenedLibraryRoot;

// An EfficientPaper folder's parse in parts, for a caller that parses its files on other
// threads and uses each as it comes (recordstream.cpp): the constructor lists the paper
// files (sorted: same import, same ids) and reads the library's schema; parseFile() reads
// one of them and may run on any thread.
class EfficientPaperFolderParser {
public:
    EfficientPaperFolderParser(const QString &root, CancelFlag cancel = nullptr);
    ~EfficientPaperFolderParser();
    EfficientPaperFolderParser(const EfficientPaperFolderParser &) = delete;
    EfficientPaperFolderParser &operator=(const EfficientPaperFolderParser &) = delete;

    const QStringList &files() const { return m_files; }
    // Empty once the cancel flag is set.
    ImportBatch parseFile(const QString &file) const;
    // What listing the folder and reading its schema said (no meta/ folder, an unusable
    // proto file), before any file's own diagnostics.
    const ImportBatch &outcome() const { return m_outcome; }

private:
    QString m_root;
    CancelFlag m_cancel;
    std::unique_ptr<LibrarySchema> m_schema;
    std::unique_ptr<OpenedLibraryRoot> m_opened;
    QStringList m_files;
    ImportBatch m_outcome;
};

} // namespace paperlab
