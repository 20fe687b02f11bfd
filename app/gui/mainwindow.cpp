#include "mainwindow.h"

#include "baselinegraphview.h"
#include "claimssection.h"
#include "defaultlibrary.h"
#include "exportmenu.h"
#include "facetcounter.h"
#include "facetpanel.h"
#include "filterchips.h"
#include "importcontroller.h"
#include "importreportdialog.h"
#include "indexrebuild.h"
#include "kernelsoverview.h"
#include "lastfolder.h"
#include "librarywriter.h"
#include "linksafety.h"
#include "mainsplittershares.h"
#include "newpaperdialog.h"
#include "noteeditor.h"
#include "paperpage.h"
#include "papersortproxy.h"
#include "papertablemodel.h"
#include "papertableview.h"
#include "playgroundentry.h"
#include "playgroundsection.h"
#include "searchcontroller.h"
#include "sqlitedb.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressDialog>
#include <QScreen>
#include <QSettings>
#include <QShortcut>
#include <QSplitter>
#include <QStatusBar>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

namespace paperlab::gui {

MainWindow::MainWindow(const QString &dbPath, QWidget *parent)
    : QMainWindow(parent)
    , m_dbPath(dbPath)
{
    m_library = openLibrary(dbPath); // first run: fills the index from the bundled library
    setWindowTitle(tr("PaperLab — %1").arg(QFileInfo(dbPath).fileName()));
    setWindowIcon(QIcon(QStringLiteral(":/paperlab/paperlab.svg")));
    setAcceptDrops(true);

    m_searchController = new SearchController(dbPath, this);
    m_facetCounter = new FacetCounter(dbPath, this);
    m_import = new ImportController(dbPath, this);
    m_writer = new LibraryWriter(dbPath, this);
    buildUi();
    buildMenus();

    connect(m_searchController, &SearchController::resultsReady, this, &MainWindow::onResults);
    connect(m_facetCounter, &FacetCounter::countsReady, this,
            [this](const QHash<int, FacetCounts> &counts, const FacetRequest &request, bool invalidSearch) {
                // Counts without an invalid search only fill a tree that has none yet.
                if (!invalidSearch || !m_facets->hasCounts())
                    m_facets->applyCounts(*m_library, counts, request);
            });
    connect(m_facetCounter, &FacetCounter::failed, this,
            [this](const QString &message) { statusBar()->showMessage(message, 10000); });
    connect(m_searchController, &SearchController::resultsCompleted, this, &MainWindow::onResultsCompleted);
    connect(m_searchController, &SearchController::queryError, this, [this](const QString &message) {
        // Keep the previous rows, and say why they did not change.
        m_searchError->setText(tr("⚠ %1 — the list shows the last valid search.").arg(message));
        m_searchError->show();
        m_focusTableOnResults = false;
    });
    connect(m_searchController, &SearchController::queryOk, m_searchError, &QWidget::hide);
    connect(m_import, &ImportController::finished, this, &MainWindow::onImportFinished);
    connect(m_import, &ImportController::progress, this, [this](int done, int total) {
        if (!m_progress)
            return;
        m_progress->setMaximum(total);
        m_progress->setValue(done);
        m_progress->setLabelText(tr("Importing… %1 of %2").arg(done).arg(total));
    });
    connect(m_import, &ImportController::waiting, this, [this] {
        if (m_progress)
            m_progress->setLabelText(tr("Waiting for the library: another program is writing to it…"));
    });

    m_facetReload.setSingleShot(true);
    m_facetReload.setInterval(400);
    connect(&m_facetReload, &QTimer::timeout, this, &MainWindow::reloadFacets);

    // Another process (paperlab-cli, a second window) may change the index: a cheap look
    // each second, and a refresh when it did.
    m_changes.setInterval(1000);
    connect(&m_changes, &QTimer::timeout, this, &MainWindow::checkForChanges);
    checkForChanges(); // the baseline: what this window is about to show
    m_changes.start();
    connect(m_writer, &LibraryWriter::stateChanged, this, &MainWindow::showWriterState);

    // Facet counts read every paper (most of the wait before the first paint of a large
    // library): the tree shows without them, and they follow the first paint.
    m_facets->showWithoutCounts(*m_library);
    connect(this, &MainWindow::firstPainted, this, &MainWindow::reloadFacets, Qt::QueuedConnection);
    // The first page is read here, synchronously, so the first painted window shows papers;
    // the search thread then brings the rest (a 100,000-row id list takes a few hundred ms).
    SearchOptions first;
    first.limit = SearchController::kFirstPage;
    onResults(m_library->findIds(QString(), first), QString());
    m_searchController->refresh();
    restoreSettings();
}

MainWindow::~MainWindow()
{
    // Children are deleted after m_library; the editor flushes a pending save on deletion,
    // so it goes first, while the library is still open.
    delete m_editor;
}

void MainWindow::buildUi()
{
    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_splitter->setChildrenCollapsible(false);

    m_facets = new FacetPanel(m_splitter);
    m_facets->setObjectName(QStringLiteral("facets"));

    auto *centre = new QWidget(m_splitter);
    auto *v = new QVBoxLayout(centre);
    v->setContentsMargins(4, 6, 4, 0);
    v->setSpacing(3);
    m_search = new QLineEdit(centre);
    m_search->setObjectName(QStringLiteral("search"));
    m_search->setClearButtonEnabled(true);
    m_search->setPlaceholderText(
        tr("Search (Ctrl+F): words, \"phrases\", author:, venue:, year:2024..2025, topic:, status:, tag:"));
    auto *searchRow = new QHBoxLayout;
    searchRow->setSpacing(4);
    searchRow->addWidget(m_search, 1);
    m_chips = new FilterChips(m_facets, centre);
    searchRow->addWidget(m_chips);
    v->addLayout(searchRow);
    m_searchError = new QLabel(centre);
    m_searchError->setObjectName(QStringLiteral("searchError"));
    m_searchError->setWordWrap(true);
    m_searchError->hide();
    v->addWidget(m_searchError);

    m_model = new PaperTableModel(m_library.get(), this);
    m_model->setWriter(m_writer);
    m_proxy = new PaperSortProxy(this);
    m_proxy->setSourceModel(m_model);
    m_table = new PaperTableView(centre);
    m_table->setObjectName(QStringLiteral("papers"));
    m_table->setModel(m_proxy);
    m_table->useDefaultColumns();
    v->addWidget(m_table, 1);

    m_page = new PaperPage(m_library.get(), m_writer, m_splitter);
    m_page->setObjectName(QStringLiteral("paperPage"));
    m_page->refreshTagCompletion();
    m_page->addSection(tr("Playground"), new PlaygroundSection(m_library.get(), m_page));
    m_page->addSection(tr("Claims"), new ClaimsSection(m_library.get(), m_writer, m_page));

    m_splitter->addWidget(m_facets);
    m_splitter->addWidget(centre);
    m_splitter->addWidget(m_page);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 3);
    m_splitter->setStretchFactor(2, 2);
    m_splitter->setSizes({230, 800, 560});
    setCentralWidget(m_splitter);

    m_writerState = new QLabel(this);
    m_writerState->setObjectName(QStringLiteral("writerState"));
    m_writerState->hide();
    statusBar()->addPermanentWidget(m_writerState);
    auto *retry = new QToolButton(this);
    m_retry = new QAction(tr("Retry"), this);
    m_retry->setToolTip(tr("Try to save the edits that failed again"));
    m_retry->setVisible(false);
    retry->setDefaultAction(m_retry);
    statusBar()->addPermanentWidget(retry);
    connect(m_retry, &QAction::triggered, m_writer, &LibraryWriter::retryFailed);
    connect(m_retry, &QAction::changed, retry, [retry, this] { retry->setVisible(m_retry->isVisible()); });
    retry->hide();
    m_count = new QLabel(this);
    statusBar()->addPermanentWidget(m_count);
    statusBar()->showMessage(tr("0–5 rate · Space toggles read · Ctrl+1/2/3 status · Ctrl+E edit note"), 8000);

    connect(m_search, &QLineEdit::textChanged, m_searchController, &SearchController::setQueryText);
    // Enter goes to the list once it answers what is typed: never to rows left from an
    // earlier search while the text is invalid or its results are still on their way.
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        m_focusTableOnResults = m_searchError->isVisible() || m_shownQuery != m_search->text();
        if (!m_focusTableOnResults)
            m_table->setFocus();
    });
    connect(m_search, &QLineEdit::textEdited, this, [this] { m_focusTableOnResults = false; });
    // Tab runs search -> papers -> the paper's page, not onto a combo that arrows would change.
    setTabOrder(m_facets, m_search);
    setTabOrder(m_search, m_table);
    setTabOrder(m_table, m_page);
    connect(m_facets, &FacetPanel::filtersChanged, m_searchController, &SearchController::setFacets);
    connect(m_facets, &FacetPanel::savedSearchActivated, m_search, &QLineEdit::setText);
    connect(m_facets, &FacetPanel::deleteSavedSearchRequested, this, [this](const QString &name) {
        m_writer->submit(
            tr("deleting the saved search “%1”").arg(name),
            [name](Library &lib) {
                lib.deleteSavedSearch(name);
                return QString();
            },
            this, [this](const QString &) { reloadFacets(); });
    });
    connect(m_proxy, &PaperSortProxy::sortRequested, m_searchController, &SearchController::setSort);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &MainWindow::onCurrentRowChanged);
    connect(m_table, &QTableView::doubleClicked, this, [](const QModelIndex &index) {
        if (index.column() == PaperTableModel::Code) {
            const QString url = index.data(PaperTableModel::UrlRole).toString();
            if (isWebLink(url))
                QDesktopServices::openUrl(QUrl(url));
        }
    });
    connect(m_model, &PaperTableModel::paperEdited, this, &MainWindow::onPaperEdited);
    connect(m_page, &PaperPage::paperEdited, this, &MainWindow::onPaperEdited);
    connect(m_page, &PaperPage::editNoteRequested, this, &MainWindow::editNote);
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("Import &Folder…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I), this,
                    [this] {
                        const QString dir = QFileDialog::getExistingDirectory(
                            this, tr("Import an EfficientPaper library folder"), playground::lastFolder(u"import"));
                        if (dir.isEmpty())
                            return;
                        playground::rememberFolder(u"import",
                                                   QFileInfo(dir).absolutePath()); // its siblings show next time
                        importPaths({dir});
                    })
        ->setObjectName(QStringLiteral("import-folder"));
    file->addAction(tr("&Import File…"), QKeySequence(Qt::CTRL | Qt::Key_I), this,
                    [this] {
                        const QStringList files = QFileDialog::getOpenFileNames(
                            this, tr("Import reading lists or notes"), playground::lastFolder(u"import"),
                            tr("Sources (*.txt *.md *.prototxt *.bib);;All files (*)"));
                        if (files.isEmpty())
                            return;
                        playground::rememberFolder(u"import", QFileInfo(files.first()).absolutePath());
                        importPaths(files);
                    })
        ->setObjectName(QStringLiteral("import-file"));
    file->addAction(tr("&New Paper…"), QKeySequence::New, this, &MainWindow::newPaper)
        ->setObjectName(QStringLiteral("new-paper"));
    file->addSeparator();
    // Exports take the selected rows, or the whole current view when fewer than two are selected.
    auto *exporter = new ExportMenu(
        m_library.get(),
        [this] {
            QList<qint64> ids;
            const QList<int> rows = m_table->selectedRows();
            if (rows.size() >= 2) {
                for (int row : rows)
                    ids.append(m_model->ids().value(row));
            } else {
                ids = m_model->ids();
            }
            return ids;
        },
        this);
    exporter->populate(file->addMenu(tr("&Export")));
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QWidget::customContextMenuRequested, this, [this, exporter](const QPoint &pos) {
        QMenu menu(this);
        exporter->populate(menu.addMenu(tr("&Export")));
        menu.exec(m_table->viewport()->mapToGlobal(pos));
    });
    file->addSeparator();
    file->addAction(tr("&Open Library…"), QKeySequence::Open, this, &MainWindow::openLibraryFile)
        ->setObjectName(QStringLiteral("open-library"));
    file->addAction(tr("New &Library…"), this, &MainWindow::newLibraryFile)
        ->setObjectName(QStringLiteral("new-library"));
    file->addAction(tr("&Rebuild Index…"), this, &MainWindow::rebuildIndex)
        ->setToolTip(tr("Rebuild the index from the library files, keeping status, ratings, tags and notes"));
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(tr("&Find"), QKeySequence::Find, this, [this] {
        m_search->setFocus();
        m_search->selectAll();
    });
    edit->addAction(tr("&Edit Note"), QKeySequence(Qt::CTRL | Qt::Key_E), this, &MainWindow::editNote);
    edit->addAction(tr("&Save Search…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S), this,
                    &MainWindow::saveCurrentSearch)
        ->setObjectName(QStringLiteral("save-search"));
    edit->addAction(tr("Add &Tag"), QKeySequence(Qt::CTRL | Qt::Key_T), this,
                    [this] { m_page->tagEdit()->setFocus(); });

    QMenu *paper = menuBar()->addMenu(tr("&Paper"));
    const char *names[] = {QT_TR_NOOP("Mark &Unread"), QT_TR_NOOP("Mark &Reading"), QT_TR_NOOP("Mark Rea&d")};
    for (int s = 0; s < 3; ++s)
        paper->addAction(tr(names[s]), QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + s)), this,
                         [this, s] { m_table->setStatusOfSelection(s); });
    QMenu *rate = paper->addMenu(tr("&Rating"));
    for (int r = 0; r <= 5; ++r)
        rate->addAction(r ? ratingStars(r) : tr("No rating"), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key(Qt::Key_0 + r)),
                        this, [this, r] { m_table->setRatingOfSelection(r); });
    paper->addAction(tr("&Open Paper Link"), QKeySequence(Qt::CTRL | Qt::Key_Return), this, [this] {
        const auto &p = m_page->paper();
        if (!p)
            return;
        const QString url = !p->paperUrl.isEmpty() ? p->paperUrl
                            : p->arxivId.isEmpty() ? QString()
                                                   : QStringLiteral("https://arxiv.org/abs/") + p->arxivId;
        if (isWebLink(url))
            QDesktopServices::openUrl(QUrl(url));
    });

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("Focus &Facets"), QKeySequence(Qt::ALT | Qt::Key_1), this, [this] { m_facets->setFocus(); });
    view->addAction(tr("Focus &Papers"), QKeySequence(Qt::ALT | Qt::Key_2), this, [this] { m_table->setFocus(); });
    view->addAction(tr("Focus &Note"), QKeySequence(Qt::ALT | Qt::Key_3), this, [this] { m_page->setFocus(); });
    view->addAction(tr("Kernels &Playground…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P), this,
                    &MainWindow::showKernelsOverview)
        ->setObjectName(QStringLiteral("kernels"));
    view->addAction(tr("&Baseline Graph…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G), this,
                    [this] {
                        BaselineGraphView::showFor(*m_library, m_page->paperId(), this,
                                                   [this](qint64 id) { selectPaper(id); });
                    })
        ->setObjectName(QStringLiteral("baseline-graph"));
    QMenu *theme = view->addMenu(tr("&Theme"));
    auto *group = new QActionGroup(this);
    for (Theme t : {Theme::System, Theme::Light, Theme::Dark}) {
        const QString label = t == Theme::System  ? tr("Follow &System")
                              : t == Theme::Light ? tr("&Light")
                                                  : tr("&Dark");
        QAction *a = theme->addAction(label, this, [this, t] { setTheme(t); });
        a->setCheckable(true);
        a->setData(int(t));
        group->addAction(a);
    }
    connect(theme, &QMenu::aboutToShow, this, [this, group] {
        for (QAction *a : group->actions())
            a->setChecked(a->data().toInt() == int(m_theme));
    });

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("Search &Syntax"), this, [this] {
        QMessageBox::information(
            this, tr("Search syntax"),
            tr("<p>Words match as prefixes, ranked by relevance (FTS5).</p><ul>"
               "<li><code>\"exact phrase\"</code>, <code>a OR b</code>, <code>a NOT b</code>, <code>flash*</code></li>"
               "<li><code>author:dao</code>, <code>institution:Berkeley</code>, <code>venue:ICML</code></li>"
               "<li><code>year:2024</code>, <code>year:2024..2025</code>, <code>topic:kv_cache</code>, "
               "<code>status:read</code>, <code>tag:group</code></li></ul>"));
    });
    help->addAction(tr("&About PaperLab"), this, [this] {
        QMessageBox::about(this, tr("About PaperLab"),
                           tr("<b>PaperLab</b> — read, search and annotate LLM-efficiency papers.<br>Library: %1")
                               .arg(m_dbPath.toHtmlEscaped()));
    });
}

void MainWindow::restoreSettings()
{
    QSettings s;
    // A first start on a small screen (1366 x 768, 1024 x 700) opens within it.
    if (!restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(QSize(1500, 900).boundedTo(screen()->availableGeometry().size()));
    if (!m_splitter->restoreState(s.value(QStringLiteral("window/splitter")).toByteArray()))
        shareWhenFirstShown(m_splitter);
    const QByteArray header = s.value(QStringLiteral("window/tableHeader")).toByteArray();
    if (!header.isEmpty()) {
        m_table->restoreColumns(header);
        // The restored sort indicator is not a request: start on relevance.
        m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    }
    m_theme = themeFromName(s.value(QStringLiteral("view/theme")).toString());
    if (m_theme != Theme::System)
        applyTheme(m_theme);
}

void MainWindow::saveSettings()
{
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/splitter"), m_splitter->saveState());
    s.setValue(QStringLiteral("window/tableHeader"), m_table->horizontalHeader()->saveState());
    s.setValue(QStringLiteral("library/last"), m_dbPath);
    s.setValue(QStringLiteral("view/theme"), themeName(m_theme));
    if (m_editor)
        s.setValue(QStringLiteral("editor/splitter"), m_editor->saveGeometry());
}

void MainWindow::setTheme(Theme theme)
{
    m_theme = theme;
    applyTheme(theme);
}

void MainWindow::onResults(const QList<qint64> &ids, const QString &query)
{
    const qint64 current = m_page->paperId();
    m_shownQuery = query;
    m_idsScope.clear();
    m_model->setIds(ids, query);
    m_complete = ids.size() < SearchController::kFirstPage;
    m_count->setText(m_complete ? tr("%n paper(s)", nullptr, int(ids.size())) : tr("%1+ papers…").arg(ids.size()));
    m_table->setEmptyMessage(emptyTableMessage());
    // Keep the paper being read selected when it is still in the list.
    const qint64 want = m_pendingSelection ? m_pendingSelection : current;
    const int row = m_model->rowOf(want);
    if (row >= 0) {
        QSignalBlocker block(m_table->selectionModel());
        m_table->selectRow(row);
        m_table->selectionModel()->setCurrentIndex(m_proxy->index(row, 0), QItemSelectionModel::NoUpdate);
        if (m_pendingSelection) {
            if (m_page->paperId() != want)
                m_page->showPaper(want);
            m_table->scrollTo(m_proxy->index(row, 0), QAbstractItemView::PositionAtCenter);
            m_pendingSelection = 0;
        }
    } else if (current && m_complete && !m_pendingSelection) {
        m_page->showPaper(0); // the search left the paper out: do not go on showing it
    }
    if (m_focusTableOnResults && query == m_search->text()) {
        m_focusTableOnResults = false;
        m_table->setFocus();
    }
    emit resultsShown(int(ids.size()), m_complete);
}

QString MainWindow::emptyTableMessage() const
{
    const bool narrowed = !m_shownQuery.trimmed().isEmpty() || !m_facets->filters().isEmpty() || m_facets->recentOnly();
    if (narrowed)
        return m_facets->filters().isEmpty() && !m_facets->recentOnly()
                   ? tr("No paper matches “%1”.").arg(m_shownQuery.trimmed())
                   : tr("No paper matches the search and the filters picked on the left.\n"
                        "All papers, at the top of the left panel, drops the filters.");
    return tr("This library has no papers yet.\n\n"
              "File › Import Folder… (Ctrl+Shift+I) reads an EfficientPaper checkout (meta/ and notes/);\n"
              "File › Import File… (Ctrl+I) reads Markdown paper lists, notes and BibTeX files.\n"
              "Or drop folders and files on this window.");
}

void MainWindow::onResultsCompleted(const QList<qint64> &ids)
{
    if (ids.size() != m_model->rowCount() || !m_complete) {
        m_model->extendIds(ids);
        if (m_pendingSelection && m_model->rowOf(m_pendingSelection) >= 0) {
            const qint64 id = m_pendingSelection;
            m_pendingSelection = 0;
            QSignalBlocker block(m_table->selectionModel());
            const int row = m_model->rowOf(id);
            m_table->selectRow(row);
            m_table->selectionModel()->setCurrentIndex(m_proxy->index(row, 0), QItemSelectionModel::NoUpdate);
            // After the view has laid out the appended rows, or the scroll range is too short.
            QTimer::singleShot(0, this, [this, row] {
                m_table->scrollTo(m_proxy->index(row, 0), QAbstractItemView::PositionAtCenter);
            });
        }
    }
    m_complete = true;
    m_idsScope = m_facets->scopeOf(m_shownQuery);
    // A window that is not shown (never painted) counts once its list is complete.
    if (!m_facets->hasCounts() && !isVisible())
        reloadFacets();
    // The counts follow what the list now holds (all papers: the counts read at start-up).
    const bool narrowed = !m_shownQuery.trimmed().isEmpty() || !m_facets->filters().isEmpty() || m_facets->recentOnly();
    if (narrowed || m_facetsNarrowed)
        m_facetReload.start();
    m_facetsNarrowed = narrowed;
    if (!m_pendingSelection && m_page->paperId() && m_model->rowOf(m_page->paperId()) < 0)
        m_page->showPaper(0);
    m_count->setText(tr("%n paper(s)", nullptr, int(ids.size())));
    emit resultsShown(int(ids.size()), true);
}

void MainWindow::onCurrentRowChanged()
{
    const QModelIndex cur = m_table->currentIndex();
    const qint64 id = cur.isValid() ? cur.data(PaperTableModel::IdRole).toLongLong() : 0;
    if (id && id != m_page->paperId())
        m_page->showPaper(id);
}

void MainWindow::onPaperEdited(qint64 id)
{
    m_searchController->invalidate();
    m_idsScope.clear(); // the edit may move the paper in or out of the search (status:, tag:)
    m_model->refreshPaper(id);
    if (sender() != m_page && m_page->paperId() == id)
        m_page->reload();
    m_page->refreshTagCompletion();
    m_facetReload.start(); // counts (status, tags) moved
}

bool MainWindow::selectPaper(qint64 id)
{
    m_page->showPaper(id);
    if (!m_page->paperId())
        return false;
    const int row = m_model->rowOf(id);
    if (row < 0) {
        // Not among the rows yet: select it when they arrive. When the list is complete and
        // lacks it, show every paper first.
        m_pendingSelection = id;
        if (m_complete) {
            m_search->clear();
            m_facets->clearSelection();
            m_facets->allPapersItem()->setSelected(true);
            m_searchController->refresh();
        }
        return true;
    }
    m_table->selectRow(row);
    m_table->scrollTo(m_proxy->index(row, 0), QAbstractItemView::PositionAtCenter);
    return true;
}

void MainWindow::showKernelsOverview()
{
    // One window, kept: every kernel with the papers it implements; a paper opens its page here.
    if (!m_kernels) {
        m_kernels = playground::createKernelsOverview(*m_library, this);
        m_kernels->setWindowFlag(Qt::Window);
        m_kernels->setWindowTitle(tr("Kernels — PaperLab Playground"));
        m_kernels->resize(m_kernels->preferredSize(screen()->availableGeometry().size()));
        // The window lists papers by their kernel: one opened from it opens on its playground
        // (it opened on whichever tab the page last showed, most often the note).
        connect(m_kernels, &playground::KernelsOverview::paperActivated, this, [this](qint64 id) {
            selectPaper(id);
            if (m_page->paperId() == id)
                m_page->showTab(QStringLiteral("Playground"));
            activateWindow();
        });
    }
    m_kernels->show();
    m_kernels->raise();
}

bool MainWindow::selectPaperByKey(const QString &key)
{
    try {
        std::optional<Paper> p = m_library->paperByKey(key);
        if (!p) {
            // Accept an abbreviation too ("SKVQ").
            const QList<qint64> ids = m_library->findIds(
                QStringLiteral("\"%1\"").arg(QString(key).remove(QLatin1Char('"'))), SearchOptions{});
            if (ids.isEmpty())
                return false;
            selectPaper(ids.first());
            return true;
        }
        selectPaper(p->id);
        return true;
    } catch (const std::exception &e) {
        statusBar()->showMessage(explainFailure(e, m_dbPath).message(), 10000);
        return false;
    }
}

void MainWindow::editNote()
{
    const qint64 id = m_page->paperId();
    if (!id) {
        statusBar()->showMessage(tr("Select a paper first"), 3000);
        return;
    }
    if (!m_editor) {
        m_editor = new NoteEditor(m_library.get(), this);
        m_editor->setWriter(m_writer);
        QSettings s;
        m_editor->restoreGeometry(s.value(QStringLiteral("editor/splitter")).toByteArray());
        connect(m_editor, &NoteEditor::noteSaved, this, [this](qint64 noteId, const QString &) {
            if (m_page->paperId() == noteId)
                m_page->reload();
            m_model->refreshPaper(noteId);
        });
    }
    if (m_editor->paperId() != id)
        m_editor->openPaper(id);
    m_editor->show();
    m_editor->raise();
    m_editor->activateWindow();
    m_editor->textEdit()->setFocus();
}

void MainWindow::newPaper()
{
    NewPaperDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const PaperRecord record = dialog.record();
    m_writer->submit(
        tr("the new paper “%1”").arg(record.title),
        [record](Library &lib) { return QString::number(lib.addPaper(record)); }, this,
        [this](const QString &id) {
            m_idsScope.clear();
            reloadFacets();
            selectPaper(id.toLongLong());
            m_searchController->refresh();
        });
}

bool MainWindow::importRunning() const
{
    return m_import->isRunning();
}

void MainWindow::importPaths(const QStringList &paths)
{
    if (paths.isEmpty())
        return;
    if (!m_import->start(paths)) {
        statusBar()->showMessage(tr("An import is already running"), 3000);
        return;
    }
    m_progress = new QProgressDialog(tr("Importing…"), tr("Cancel"), 0, 0, this);
    m_progress->setObjectName(QStringLiteral("importProgress"));
    m_progress->setWindowTitle(tr("Import"));
    m_progress->setMinimumDuration(300);
    m_progress->setAutoClose(false);
    m_progress->setAutoReset(false);
    connect(m_progress, &QProgressDialog::canceled, m_import, &ImportController::cancel);
}

void MainWindow::onImportFinished()
{
    if (m_progress) {
        m_progress->close();
        m_progress->deleteLater();
    }
    if (m_importReport)
        m_importReport->deleteLater();
    m_importReport = new ImportReportDialog(m_import->report(), m_import->paths(), m_import->failure(), this);
    m_importReport->setAttribute(Qt::WA_DeleteOnClose);
    m_importReport->open();
    m_idsScope.clear();
    reloadFacets();
    m_searchController->refresh();
    m_page->reload();
}

void MainWindow::saveCurrentSearch()
{
    const QString query = m_search->text().trimmed();
    if (query.isEmpty()) {
        statusBar()->showMessage(tr("Type a search first, then save it"), 3000);
        return;
    }
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Save search"), tr("Name:"), QLineEdit::Normal, query, &ok);
    if (!ok || name.trimmed().isEmpty())
        return;
    const QString saved = name.trimmed();
    m_writer->submit(
        tr("the saved search “%1”").arg(saved),
        [saved, query](Library &lib) {
            lib.saveSearch(saved, query);
            return QString();
        },
        this, [this](const QString &) { reloadFacets(); });
}

void MainWindow::reloadFacets()
{
    // The table's ids, when they answer exactly what the counts are for: no second search.
    // Counted on the facet thread; the tree follows when the counts arrive.
    const QString text = m_search->text();
    const bool inHand = m_complete && !m_idsScope.isEmpty() && m_idsScope == m_facets->scopeOf(text);
    m_facetCounter->request(m_facets->request(text, inHand ? &m_model->ids() : nullptr));
}

void MainWindow::showWriterState()
{
    const int pending = m_writer->pendingCount();
    const int failed = m_writer->failedCount();
    QString text;
    if (failed > 0)
        text = tr("⚠ %n edit(s) not saved: ", nullptr, failed) + m_writer->lastError();
    else if (m_writer->isWaiting())
        text = tr("Waiting for the library (an import or another program is writing); %n edit(s) queued…", nullptr,
                  pending);
    else if (pending > 0)
        text = tr("Saving…");
    m_writerState->setText(text);
    m_writerState->setToolTip(failed > 0 ? m_writer->lastError() : QString());
    m_writerState->setVisible(!text.isEmpty());
    m_retry->setVisible(failed > 0);
}

void MainWindow::checkForChanges()
{
    qint64 version = 0;
    try {
        version = m_library->database().dataVersion();
    } catch (const std::exception &) {
        return; // busy or unreadable for a moment: look again at the next tick
    }
    if (m_dataVersion < 0 || version == m_dataVersion) {
        if (m_dataVersion < 0) {
            try {
                m_paperCount = m_library->paperCount();
            } catch (const std::exception &) {
            }
        }
        m_dataVersion = version;
        return;
    }
    m_dataVersion = version;
    m_idsScope.clear();
    // Rows are re-read in place (as after an edit here); the list itself is searched again
    // only when papers came or went (an import elsewhere), so the view does not jump.
    m_model->refreshAll();
    int papers = m_paperCount;
    try {
        papers = m_library->paperCount();
    } catch (const std::exception &) {
    }
    if (papers != m_paperCount) {
        m_paperCount = papers;
        m_searchController->refresh();
    } else {
        m_searchController->invalidate();
    }
    // While edits are pending the page shows them already; the index would show the past.
    if (m_writer->pendingCount() == 0)
        m_page->reloadIfChanged();
    m_page->refreshTagCompletion();
    m_facetReload.start();
}

void MainWindow::rebuildIndex()
{
    if (importRunning()) {
        statusBar()->showMessage(tr("Wait for the import to finish, then rebuild"), 5000);
        return;
    }
    const auto answer = QMessageBox::question(
        this, tr("Rebuild index"),
        tr("<p>Rebuild %1 from the library files?</p><p>Your status, ratings, tags, personal and edited notes, saved "
           "searches and playground runs are kept; the old index is kept beside it. Close paperlab-cli runs on it "
           "first.</p>")
            .arg(m_dbPath.toHtmlEscaped()));
    if (answer != QMessageBox::Yes)
        return;
    if (m_editor && m_editor->hasPendingSave())
        m_editor->saveNow();
    m_writer->waitForIdle();
    // Every connection of this window (its own, search, import, writer) must be closed
    // before the new file takes the index's name: the rebuild runs once the window is gone.
    const QString db = m_dbPath;
    connect(this, &QObject::destroyed, qApp, [db] {
        QTimer::singleShot(0, qApp, [db] {
            QApplication::setOverrideCursor(Qt::WaitCursor);
            QString message;
            try {
                const RebuildReport r = paperlab::rebuildIndex(db);
                message = tr("Rebuilt %1: %2 papers, state restored for %3 papers. The old index is %4.")
                              .arg(db)
                              .arg(r.papers)
                              .arg(r.stateRestored)
                              .arg(r.keptAs);
                if (!r.stateLost.isEmpty())
                    message += tr(" No paper was left for: %1.").arg(r.stateLost.join(QStringLiteral(", ")));
            } catch (const std::exception &e) {
                message = explainFailure(e, db).message();
            }
            QApplication::restoreOverrideCursor();
            try {
                auto *window = new MainWindow(db);
                window->setAttribute(Qt::WA_DeleteOnClose);
                window->show();
                window->statusBar()->showMessage(message, 20000);
            } catch (const std::exception &e) {
                QMessageBox::critical(nullptr, tr("Rebuild index"),
                                      message + QStringLiteral("\n\n") + QString::fromUtf8(e.what()));
            }
        });
    });
    setAttribute(Qt::WA_DeleteOnClose);
    close();
}

void MainWindow::openLibraryFile()
{
    // An existing index only: a mistyped name is refused by the dialog, never created.
    const QString file =
        QFileDialog::getOpenFileName(this, tr("Open a library index"), QFileInfo(m_dbPath).absolutePath(),
                                     tr("PaperLab library (*.sqlite);;All files (*)"));
    switchToLibrary(file);
}

void MainWindow::newLibraryFile()
{
    QString file = QFileDialog::getSaveFileName(this, tr("New library index"), QFileInfo(m_dbPath).absolutePath(),
                                                tr("PaperLab library (*.sqlite)"));
    if (file.isEmpty())
        return;
    if (QFileInfo(file).suffix().isEmpty())
        file += QStringLiteral(".sqlite");
    if (QFileInfo::exists(file)) {
        // The dialog asked before overwriting; an index is the user's work, so it is opened, never replaced.
        QMessageBox::information(this, tr("New library"), tr("%1 exists already; it is opened as it is.").arg(file));
    }
    switchToLibrary(file);
}

void MainWindow::switchToLibrary(const QString &file)
{
    if (file.isEmpty() || QFileInfo(file) == QFileInfo(m_dbPath))
        return;
    MainWindow *other = nullptr;
    try {
        other = new MainWindow(file);
    } catch (const std::exception &e) {
        QMessageBox::warning(this, tr("Open library"), explainFailure(e, file).message());
        return;
    }
    // The new library takes this window's place: same geometry, maximised as this one was,
    // and this window goes away with its Kernels window (when it may close: unsaved edits ask).
    other->setAttribute(Qt::WA_DeleteOnClose);
    other->restoreGeometry(saveGeometry());
    other->m_splitter->restoreState(m_splitter->saveState());
    keepCurrentShares(other->m_splitter);
    setAttribute(Qt::WA_DeleteOnClose);
    if (!close()) {
        setAttribute(Qt::WA_DeleteOnClose, false);
        delete other;
        return;
    }
    if (m_kernels)
        m_kernels->close();
    if (isMaximized())
        other->showMaximized();
    else
        other->show();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // The editor saves what is typed; when it cannot, it asks, and "Cancel" keeps the app open.
    if (m_editor && !m_editor->close()) {
        event->ignore();
        return;
    }
    // Edits still queued land first; edits that failed are the user's work: ask before dropping them.
    m_writer->waitForIdle(10000);
    while (m_writer->failedCount() > 0 || m_writer->pendingCount() > 0) {
        QMessageBox box(QMessageBox::Warning, tr("Edits not saved"),
                        tr("%n edit(s) could not be written to the library:\n%1", nullptr,
                           m_writer->failedCount() + m_writer->pendingCount())
                            .arg(m_writer->lastError()),
                        QMessageBox::Retry | QMessageBox::Discard | QMessageBox::Cancel, this);
        box.setObjectName(QStringLiteral("unsavedEditsQuestion"));
        box.setDefaultButton(QMessageBox::Retry);
        const int answer = box.exec();
        if (answer == QMessageBox::Discard)
            break;
        if (answer != QMessageBox::Retry) {
            event->ignore();
            return;
        }
        m_writer->retryFailed();
        m_writer->waitForIdle(10000);
    }
    saveSettings();
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    QStringList paths;
    for (const QUrl &url : event->mimeData()->urls())
        if (url.isLocalFile())
            paths << url.toLocalFile();
    if (!paths.isEmpty()) {
        event->acceptProposedAction();
        importPaths(paths);
    }
}

void MainWindow::paintEvent(QPaintEvent *event)
{
    QMainWindow::paintEvent(event);
    if (!m_painted) {
        m_painted = true;
        // After this paint reaches the screen: the children paint in the same pass.
        QMetaObject::invokeMethod(this, &MainWindow::firstPainted, Qt::QueuedConnection);
    }
}

} // namespace paperlab::gui
