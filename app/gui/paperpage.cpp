#include "paperpage.h"

#include "changeguard.h"
#include "colourlabel.h"
#include "librarywriter.h"
#include "linksafety.h"
#include "mathtext.h"
#include "noteview.h"
#include "paperdetails.h"
#include "papertablemodel.h"
#include "twolinerow.h"
#include "venuebadge.h"

#include <QAbstractItemView>
#include <QComboBox>
#include <QCompleter>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QImageReader>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QStackedWidget>
#include <QStringListModel>
#include <QTabWidget>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

namespace paperlab::gui {
namespace {

QLabel *wrappingLabel(QWidget *parent)
{
    auto *l = new QLabel(parent);
    // Always rich text: the page escapes what it shows ("&" as "&amp;"), and a label left to
    // guess would show a text without tags ("Shanghai AI Lab &amp; SJTU") as it is.
    l->setTextFormat(Qt::RichText);
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
    l->setOpenExternalLinks(true);
    return l;
}

} // namespace

PaperPage::PaperPage(Library *library, LibraryWriter *writer, QWidget *parent)
    : QWidget(parent)
    , m_library(library)
    , m_writer(writer)
{
    buildUi();
    showPaper(0);
}

void PaperPage::buildUi()
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    m_stack = new QStackedWidget(this);
    outer->addWidget(m_stack);

    auto *empty =
        new QLabel(tr("Select a paper to read its note.\n\nCtrl+F searches, Ctrl+E edits the note."), m_stack);
    empty->setAlignment(Qt::AlignCenter);
    empty->setEnabled(false);
    m_stack->addWidget(empty);

    auto *page = new QWidget(m_stack);
    auto *v = new QVBoxLayout(page);
    v->setContentsMargins(10, 8, 10, 4);
    v->setSpacing(6);

    auto *head = new QHBoxLayout;
    head->setSpacing(12);
    m_cover = new QLabel(page);
    m_cover->setFixedWidth(140);
    m_cover->setAlignment(Qt::AlignTop | Qt::AlignHCenter);
    head->addWidget(m_cover, 0, Qt::AlignTop);
    auto *info = new QVBoxLayout;
    info->setSpacing(3);
    m_title = wrappingLabel(page);
    m_title->setObjectName(QStringLiteral("paperTitle"));
    info->addWidget(m_title);
    auto *badgeRow = new QHBoxLayout;
    m_venue = new playground::ColourLabel({}, QString(), page); // its shape is in style.qss
    m_venue->setTextFormat(Qt::PlainText);
    m_venue->setObjectName(QStringLiteral("venueBadge"));
    badgeRow->addWidget(m_venue);
    m_abbr = new QLabel(page);
    m_abbr->setTextFormat(Qt::RichText);
    m_abbr->setTextInteractionFlags(Qt::TextSelectableByMouse);
    badgeRow->addWidget(m_abbr);
    badgeRow->addStretch(1);
    info->addLayout(badgeRow);
    m_authors = wrappingLabel(page);
    info->addWidget(m_authors);
    m_institutions = wrappingLabel(page);
    info->addWidget(m_institutions);
    m_topics = wrappingLabel(page);
    info->addWidget(m_topics);
    m_links = new QHBoxLayout;
    m_links->setSpacing(4);
    info->addLayout(m_links);
    head->addLayout(info, 1);
    v->addLayout(head);

    // Status, rating, tags and the edit button in one row; the tags on a line of their own
    // when the page is too narrow for them (TwoLineRow).
    auto *stateRow = new playground::TwoLineRow(page);
    QHBoxLayout *state = stateRow->line();
    state->setSpacing(6);
    m_status = new QComboBox(page);
    m_status->addItems(
        {statusLabel(ReadingStatus::Unread), statusLabel(ReadingStatus::Reading), statusLabel(ReadingStatus::Read)});
    m_status->setToolTip(tr("Reading status"));
    m_rating = new QComboBox(page);
    for (int i = 0; i <= 5; ++i)
        m_rating->addItem(ratingStars(i));
    m_rating->setToolTip(tr("Rating"));
    guardAgainstAccidentalChange(m_status);
    guardAgainstAccidentalChange(m_rating);
    state->addWidget(m_status);
    state->addWidget(m_rating);
    auto *tagBox = new QWidget(page);
    auto *tagLine = new QHBoxLayout(tagBox);
    tagLine->setContentsMargins(0, 0, 0, 0);
    tagLine->setSpacing(6);
    m_tags = new QHBoxLayout;
    m_tags->setSpacing(3);
    tagLine->addLayout(m_tags);
    m_tagEdit = new QLineEdit(tagBox);
    m_tagEdit->setPlaceholderText(tr("Add tag…"));
    m_tagEdit->setClearButtonEnabled(true);
    m_tagEdit->setMaximumWidth(160);
    auto *completer = new QCompleter(new QStringListModel(this), m_tagEdit);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setFilterMode(Qt::MatchContains);
    m_tagEdit->setCompleter(completer);
    m_tagEdit->setToolTip(tr("Enter adds the highlighted suggestion; Esc first to add exactly what you typed"));
    // Enter takes the suggestion, not the prefix typed so far: with the list open and none
    // highlighted, Enter picks the first (eventFilter), and choosing one adds it.
    completer->popup()->installEventFilter(this);
    m_tagEdit->installEventFilter(this);
    connect(completer, qOverload<const QString &>(&QCompleter::activated), this, [this](const QString &tag) {
        m_tagEdit->setText(tag);
        addTagFromEdit();
    });
    tagLine->addWidget(m_tagEdit);
    tagLine->addStretch(1);
    state->addStretch(1);
    m_editNote = new QPushButton(tr("Edit note"), page);
    m_editNote->setToolTip(tr("Edit the note in Markdown (Ctrl+E)"));
    state->addWidget(m_editNote);
    stateRow->setMovablePart(tagBox, 2);
    v->addWidget(stateRow);

    m_tabs = new QTabWidget(page);
    m_tabs->setDocumentMode(true);
    m_note = new NoteView(m_tabs);
    m_tabs->addTab(m_note, tr("Note"));
    auto *detailsScroll = new QScrollArea(m_tabs);
    detailsScroll->setWidgetResizable(true);
    detailsScroll->setFrameShape(QFrame::NoFrame);
    m_details = wrappingLabel(detailsScroll);
    m_details->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_details->setContentsMargins(10, 10, 10, 10);
    detailsScroll->setWidget(m_details);
    m_tabs->addTab(detailsScroll, tr("Details"));
    v->addWidget(m_tabs, 1);
    m_stack->addWidget(page);

    // The page shows an edit at once; the writer lands it (after an import holding the lock).
    connect(m_status, &QComboBox::activated, this, [this](int i) {
        if (m_filling || !m_paper)
            return;
        m_paper->status = ReadingStatus(i);
        edit(tr("status of %1").arg(m_paper->key),
             [i](Library &lib, qint64 id) { lib.setStatus(id, ReadingStatus(i)); });
    });
    connect(m_rating, &QComboBox::activated, this, [this](int i) {
        if (m_filling || !m_paper)
            return;
        m_paper->rating = i;
        edit(tr("rating of %1").arg(m_paper->key), [i](Library &lib, qint64 id) { lib.setRating(id, i); });
    });
    connect(m_tagEdit, &QLineEdit::returnPressed, this, &PaperPage::addTagFromEdit);
    connect(m_editNote, &QPushButton::clicked, this, [this] {
        if (m_paper)
            emit editNoteRequested(m_paper->id);
    });
    // A task ticked in the note: the note is saved like an edit in the editor (the writer's queue).
    connect(m_note, &NoteView::taskToggled, this, [this](const QString &markdown) {
        if (!m_paper)
            return;
        m_paper->note = markdown;
        edit(tr("the note of %1").arg(m_paper->key),
             [markdown](Library &lib, qint64 id) { lib.setNote(id, markdown); });
    });
}

bool PaperPage::eventFilter(QObject *watched, QEvent *event)
{
    QCompleter *completer = m_tagEdit ? m_tagEdit->completer() : nullptr;
    if (completer && event->type() == QEvent::KeyPress && (watched == completer->popup() || watched == m_tagEdit)) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        QAbstractItemView *list = completer->popup();
        if ((key == Qt::Key_Return || key == Qt::Key_Enter) && list->isVisible() && !list->currentIndex().isValid() &&
            completer->completionCount() > 0)
            list->setCurrentIndex(completer->completionModel()->index(0, 0)); // the completer then completes it
    }
    return QWidget::eventFilter(watched, event);
}

bool PaperPage::showTab(const QString &title)
{
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (m_tabs->tabText(i).remove(QLatin1Char('&')) == title) {
            m_tabs->setCurrentIndex(i);
            return true;
        }
    }
    return false;
}

void PaperPage::addSection(const QString &title, PaperPageSection *section)
{
    m_sections << section;
    m_tabs->addTab(section, title);
    section->showPaper(m_paper ? &*m_paper : nullptr);
}

void PaperPage::showPaper(qint64 id)
{
    m_paper.reset();
    if (id > 0) {
        try {
            m_paper = m_library->paper(id);
        } catch (const std::exception &) {
        }
    }
    fill();
}

void PaperPage::reload()
{
    showPaper(paperId());
}

void PaperPage::reloadIfChanged()
{
    if (!m_paper)
        return;
    std::optional<Paper> now;
    try {
        now = m_library->paper(m_paper->id);
    } catch (const std::exception &) {
        return;
    }
    const Paper &was = *m_paper;
    if (!now || now->updatedAt != was.updatedAt || now->status != was.status || now->rating != was.rating ||
        now->tags != was.tags || now->note != was.note || now->title != was.title) {
        m_paper = std::move(now);
        fill();
    }
}

void PaperPage::edit(const QString &what, std::function<void(Library &, qint64)> change)
{
    const qint64 id = m_paper->id;
    m_writer->submit(
        what,
        [change, id](Library &lib) {
            change(lib, id);
            return QString();
        },
        this, [this, id](const QString &) { emit paperEdited(id); });
}

void PaperPage::refreshTagCompletion()
{
    QStringList tags;
    try {
        tags = m_library->allTags();
    } catch (const std::exception &) {
        return;
    } // keep the old list
    if (auto *model = qobject_cast<QStringListModel *>(m_tagEdit->completer()->model()))
        model->setStringList(tags);
}

QString PaperPage::resolvePath(const QString &path) const
{
    if (path.isEmpty() || QFileInfo(path).isAbsolute())
        return path;
    if (!m_paper->notePath.isEmpty()) {
        const QString beside = QFileInfo(m_paper->notePath).absoluteDir().absoluteFilePath(path);
        if (QFileInfo::exists(beside))
            return beside;
    }
    return QDir(libraryFolder()).absoluteFilePath(path);
}

QString PaperPage::libraryFolder() const
{
    try {
        return m_library->libraryFolder();
    } catch (const std::exception &) {
        return {};
    }
}

QString PaperPage::noteFolder() const
{
    if (!m_paper->notePath.isEmpty())
        return QFileInfo(m_paper->notePath).absolutePath();
    return libraryFolder();
}

void PaperPage::fill()
{
    for (PaperPageSection *s : m_sections)
        s->showPaper(m_paper ? &*m_paper : nullptr);
    if (!m_paper) {
        m_stack->setCurrentIndex(0);
        return;
    }
    m_filling = true;
    const Paper &p = *m_paper;
    m_stack->setCurrentIndex(1);

    QImageReader cover(resolvePath(p.coverPath));
    cover.setAutoTransform(true);
    QImage image = p.coverPath.isEmpty() ? QImage() : cover.read();
    m_cover->setVisible(!image.isNull());
    if (!image.isNull())
        m_cover->setPixmap(QPixmap::fromImage(image.scaledToWidth(m_cover->width(), Qt::SmoothTransformation)));

    m_title->setText(mathAsUnicode(p.title).toHtmlEscaped());
    const QString venue = p.venue.isEmpty() ? tr("Unknown venue") : p.venue;
    m_venue->setText(p.year > 0 ? QStringLiteral("%1 %2").arg(venue).arg(p.year) : venue);
    m_venue->setColours([venue = p.venue](const QPalette &palette) { return venueBadgeColours(venue, palette); });
    m_venue->setToolTip(p.venueRaw);
    m_abbr->setText(p.abbr.isEmpty() ? QString() : QStringLiteral("<b>%1</b>").arg(p.abbr.toHtmlEscaped()));
    m_authors->setText(p.authors.isEmpty()
                           ? QString()
                           : QStringLiteral("<i>%1</i>").arg(p.authors.join(QStringLiteral(", ")).toHtmlEscaped()));
    m_authors->setVisible(!p.authors.isEmpty());
    m_institutions->setText(p.institutionList.join(QStringLiteral(" · ")).toHtmlEscaped());
    m_institutions->setVisible(!p.institutionList.isEmpty());
    m_topics->setText(p.topicList.isEmpty()
                          ? QString()
                          : tr("Topics: %1").arg(p.topicList.join(QStringLiteral(", ")).toHtmlEscaped()));
    m_topics->setVisible(!p.topicList.isEmpty());

    while (QLayoutItem *item = m_links->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    auto addLink = [this](const QString &label, const QString &url) {
        if (!isWebLink(url))
            return; // a javascript: or file: URL from an import opens nothing
        auto *b = new QPushButton(label, m_links->parentWidget());
        b->setToolTip(url);
        b->setCursor(Qt::PointingHandCursor);
        connect(b, &QPushButton::clicked, this, [url] { QDesktopServices::openUrl(QUrl(url)); });
        m_links->addWidget(b);
    };
    QString paperUrl = p.paperUrl;
    if (paperUrl.isEmpty() && !p.arxivId.isEmpty())
        paperUrl = QStringLiteral("https://arxiv.org/abs/%1").arg(p.arxivId);
    addLink(tr("Paper"), paperUrl);
    addLink(tr("Code"), p.codeUrl);
    if (p.openReviewUrl != paperUrl)
        addLink(tr("OpenReview"), p.openReviewUrl);
    addLink(tr("Slides"), p.slidesUrl);
    m_links->addStretch(1);

    m_status->setCurrentIndex(int(p.status));
    m_rating->setCurrentIndex(qBound(0, p.rating, 5));
    rebuildTags();

    if (p.note.trimmed().isEmpty())
        m_note->showMessage(tr("<p style=\"color:gray\">No note yet. Press <b>Ctrl+E</b> to write one; "
                               "it is saved in the library and as a Markdown file.</p>"));
    else
        m_note->showNote(p.note, noteFolder(), libraryFolder());

    m_details->setText(paperDetailsHtml(p));
    m_filling = false;
}

void PaperPage::rebuildTags()
{
    while (QLayoutItem *item = m_tags->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    for (const QString &tag : m_paper->tags) {
        auto *chip = new QToolButton(m_tagEdit->parentWidget());
        chip->setObjectName(QStringLiteral("tagChip"));
        chip->setText(tag + QStringLiteral("  ×"));
        chip->setToolTip(tr("Remove tag “%1”").arg(tag));
        connect(chip, &QToolButton::clicked, this, [this, tag] {
            m_paper->tags.removeAll(tag);
            edit(tr("tag “%1” of %2").arg(tag, m_paper->key),
                 [tag](Library &lib, qint64 id) { lib.removeTag(id, tag); });
            // Not now: this chip is the sender.
            QMetaObject::invokeMethod(this, &PaperPage::rebuildTags, Qt::QueuedConnection);
        });
        m_tags->addWidget(chip);
    }
}

void PaperPage::addTagFromEdit()
{
    const QString tag = m_tagEdit->text().trimmed();
    if (!m_paper || tag.isEmpty())
        return;
    if (!m_paper->tags.contains(tag))
        m_paper->tags << tag;
    edit(tr("tag “%1” of %2").arg(tag, m_paper->key), [tag](Library &lib, qint64 id) { lib.addTag(id, tag); });
    m_tagEdit->clear();
    rebuildTags();
}

} // namespace paperlab::gui
