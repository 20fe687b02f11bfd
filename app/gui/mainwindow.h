#pragma once
// The main window: facets | paper table | paper page, the search bar above the table,
// menus, drag-and-drop import, and the settings that survive a restart.

#include "importreportdialog.h"
#include "library.h"
#include "theme.h"

#include <QMainWindow>
#include <QPointer>
#include <QTimer>

#include <memory>

class QLabel;
class QLineEdit;
class QSplitter;
class QProgressDialog;

namespace paperlab::playground {
class KernelsOverview;
}

namespace paperlab::gui {

class FacetCounter;
class FacetPanel;
class FilterChips;
class ImportController;
class ImportReportDialog;
class LibraryWriter;
class NoteEditor;
class PaperPage;
class PaperSortProxy;
class PaperTableModel;
class PaperTableView;
class SearchController;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // Opens (creating and filling it from the bundled library on first run) the index at
    // `dbPath`. Throws LibraryError when the file cannot be opened.
    explicit MainWindow(const QString &dbPath, QWidget *parent = nullptr);
    ~MainWindow() override;

    Library &library() { return *m_library; }
    QString databasePath() const { return m_dbPath; }
    QLineEdit *searchEdit() const { return m_search; }
    QLabel *searchMessage() const { return m_searchError; }
    PaperTableView *table() const { return m_table; }
    PaperTableModel *model() const { return m_model; }
    PaperSortProxy *proxy() const { return m_proxy; }
    FacetPanel *facets() const { return m_facets; }
    FilterChips *filterChips() const { return m_chips; }
    PaperPage *page() const { return m_page; }
    SearchController *search() const { return m_searchController; }
    NoteEditor *noteEditor() const { return m_editor; }
    LibraryWriter *writer() const { return m_writer; }
    QLabel *writerState() const { return m_writerState; } // "waiting for the library…", failures
    ImportReportDialog *lastImportReport() const { return m_importReport; }
    bool importRunning() const;

    bool selectPaper(qint64 id); // selects its row (when in the list) and shows it
    bool selectPaperByKey(const QString &key);
    void importPaths(const QStringList &paths);
    void editNote(); // Ctrl+E on the current paper
    void newPaper();
    void showKernelsOverview(); // View > Kernels Playground
    // Another connection (this app's writer or import, or another process) committed since the
    // last look: re-read what is shown. Polled from PRAGMA data_version; public for tests.
    void checkForChanges();
    // File > Rebuild Index: closes this window, rebuilds the index from the library files
    // keeping the user's state, and opens a new window on it.
    void rebuildIndex();

signals:
    // The table holds a new result set: its first rows (complete=false) or all of it.
    void resultsShown(int count, bool complete);
    void firstPainted();

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void paintEvent(QPaintEvent *event) override;

private:
    void buildUi();
    void buildMenus();
    void restoreSettings();
    void saveSettings();
    void onResults(const QList<qint64> &ids, const QString &query);
    // What the paper table shows when the list is empty: how to fill an empty library, or
    // that the search or filters left nothing.
    QString emptyTableMessage() const;
    void onResultsCompleted(const QList<qint64> &ids);
    void onCurrentRowChanged();
    void onPaperEdited(qint64 id);
    void onImportFinished();
    void saveCurrentSearch();
    void openLibraryFile();
    void newLibraryFile();
    void switchToLibrary(const QString &file); // replaces this window with one on `file`
    void reloadFacets();
    void showWriterState();
    void setTheme(Theme theme);

    QString m_dbPath;
    std::unique_ptr<Library> m_library;
    LibraryWriter *m_writer = nullptr;
    QLabel *m_writerState = nullptr;
    QAction *m_retry = nullptr;
    QTimer m_changes;
    qint64 m_dataVersion = -1;
    int m_paperCount = -1; // papers at the last look: an import elsewhere changes it
    SearchController *m_searchController = nullptr;
    ImportController *m_import = nullptr;
    PaperTableModel *m_model = nullptr;
    PaperSortProxy *m_proxy = nullptr;
    PaperTableView *m_table = nullptr;
    FacetPanel *m_facets = nullptr;
    FacetCounter *m_facetCounter = nullptr; // counts on its own thread
    FilterChips *m_chips = nullptr;
    PaperPage *m_page = nullptr;
    QLineEdit *m_search = nullptr;
    QLabel *m_searchError = nullptr;
    QLabel *m_count = nullptr;
    QSplitter *m_splitter = nullptr;
    NoteEditor *m_editor = nullptr;
    QPointer<QProgressDialog> m_progress;
    QPointer<ImportReportDialog> m_importReport;
    QPointer<playground::KernelsOverview> m_kernels;
    QTimer m_facetReload;
    qint64 m_pendingSelection = 0;
    QString m_shownQuery;               // the text the rows answer
    bool m_focusTableOnResults = false; // Enter came before the rows for the text did
    bool m_facetsNarrowed = false;      // the facet counts are of a search, not of every paper
    bool m_complete = true;
    QString m_idsScope; // what the table's complete id list answers (FacetPanel::scopeOf); empty: stale
    bool m_painted = false;
    Theme m_theme = Theme::System;
};

} // namespace paperlab::gui
