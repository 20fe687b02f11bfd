#include "baselinegraphview.h"

#include "baselinegraph.h"
#include "library.h"
#include "mathtext.h"

#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QGraphicsTextItem>
#include <QMouseEvent>
#include <QPainterPath>

namespace paperlab {
namespace {

constexpr qreal kNodeWidth = 260;
constexpr qreal kRowGap = 16;
// Three columns and their margins in 985 px: at 140 the graph was 1005 px, a few pixels
// more than its 1000 px window, which then always showed a horizontal scroll bar.
constexpr qreal kColumnGap = 120;
constexpr int kPaperIdRole = 0; // QGraphicsItem::data key holding the paper id

// A box with the paper's title wrapped inside; returns it placed with its left edge at x.
QGraphicsRectItem *addNode(QGraphicsScene &scene, const QString &title, qint64 id, qreal x, qreal y, bool centre,
                           const QPalette &pal)
{
    const QString text = mathAsUnicode(title); // plain text: "H₂O", not "H$_2$O"
    auto *label = new QGraphicsTextItem;
    label->setTextWidth(kNodeWidth - 16);
    label->setPlainText(text);
    label->setDefaultTextColor(pal.color(QPalette::Text));
    QFont f = label->font();
    f.setBold(centre);
    label->setFont(f);
    const qreal h = label->boundingRect().height() + 8;
    auto *box =
        scene.addRect(0, 0, kNodeWidth, h, QPen(pal.color(id ? QPalette::Highlight : QPalette::Mid), centre ? 2 : 1),
                      QBrush(pal.color(QPalette::Base)));
    box->setPos(x, y);
    label->setParentItem(box);
    label->setPos(8, 4);
    box->setData(kPaperIdRole, id);
    box->setToolTip(id ? QObject::tr("Open %1").arg(text) : QObject::tr("%1 (not in this library)").arg(text));
    if (id)
        box->setCursor(Qt::PointingHandCursor);
    return box;
}

// A column of nodes centred on y = 0; returns the boxes.
QList<QGraphicsRectItem *> addColumn(QGraphicsScene &scene, const QList<BaselineEdge> &edges, qreal x,
                                     const QPalette &pal)
{
    QList<QGraphicsRectItem *> boxes;
    qreal y = 0;
    for (const BaselineEdge &e : edges) {
        const QString text =
            e.via == BaselineEdge::Via::NoteLink ? QObject::tr("%1 (linked in the note)").arg(e.label) : e.label;
        auto *b = addNode(scene, text, e.paperId, x, y, false, pal);
        y += b->rect().height() + kRowGap;
        boxes.append(b);
    }
    for (auto *b : boxes)
        b->moveBy(0, -y / 2);
    return boxes;
}

void addArrow(QGraphicsScene &scene, QPointF from, QPointF to, const QPen &pen)
{
    QPainterPath path(from);
    const qreal mid = (from.x() + to.x()) / 2;
    path.cubicTo(QPointF(mid, from.y()), QPointF(mid, to.y()), to);
    scene.addPath(path, pen);
    QPolygonF head;
    head << to << to + QPointF(-8, -4) << to + QPointF(-8, 4);
    scene.addPolygon(head, pen, QBrush(pen.color()));
}

} // namespace

BaselineGraphView::BaselineGraphView(Library &library, QWidget *parent)
    : QGraphicsView(parent)
    , m_library(library)
{
    setObjectName(QStringLiteral("baselineGraph"));
    setScene(new QGraphicsScene(this));
    setRenderHint(QPainter::Antialiasing);
    setDragMode(QGraphicsView::ScrollHandDrag);
}

void BaselineGraphView::setPaper(qint64 id)
{
    QGraphicsScene &s = *scene();
    s.clear();
    m_paperId = id;
    m_neighbours = 0;
    const auto paper = id ? m_library.paper(id) : std::nullopt;
    if (!paper) {
        s.addText(tr("Select a paper to see the papers it compares with."));
        return;
    }
    const BaselineNeighbours n = baselineNeighbours(m_library, id);
    m_neighbours = int(n.comparesWith.size() + n.comparedBy.size());
    const QPalette pal = palette();
    // Edges point from a paper to the baseline it compares with: right to left.
    const qreal leftX = 0, centreX = kNodeWidth + kColumnGap, rightX = 2 * (kNodeWidth + kColumnGap);
    auto *centre = addNode(s, paper->title, id, centreX, 0, true, pal);
    centre->moveBy(0, -centre->rect().height() / 2);
    const QPen pen(pal.color(QPalette::Mid), 1.2);
    const QPointF centreLeft = centre->pos() + QPointF(0, centre->rect().height() / 2);
    const QPointF centreRight = centreLeft + QPointF(kNodeWidth, 0);
    for (auto *b : addColumn(s, n.comparesWith, leftX, pal))
        addArrow(s, centreLeft, b->pos() + QPointF(kNodeWidth, b->rect().height() / 2), pen);
    for (auto *b : addColumn(s, n.comparedBy, rightX, pal))
        addArrow(s, b->pos() + QPointF(0, b->rect().height() / 2), centreRight, pen);
    auto *left = s.addText(n.comparesWith.isEmpty() ? tr("no baselines recorded") : tr("compares with"));
    left->setPos(leftX, centre->pos().y() - 40 - (n.comparesWith.isEmpty() ? 0 : s.itemsBoundingRect().height() / 2));
    auto *right = s.addText(n.comparedBy.isEmpty() ? tr("no paper compares with it") : tr("compared by"));
    right->setPos(rightX, left->pos().y());
    setSceneRect(s.itemsBoundingRect().adjusted(-20, -20, 20, 20));
}

void BaselineGraphView::mousePressEvent(QMouseEvent *event)
{
    // The box or its label under the pointer: a paper of the library opens.
    for (QGraphicsItem *item = itemAt(event->pos()); item; item = item->parentItem()) {
        const qint64 id = item->data(kPaperIdRole).toLongLong();
        if (id > 0) {
            if (id != m_paperId)
                setPaper(id);
            emit paperActivated(id);
            return;
        }
    }
    QGraphicsView::mousePressEvent(event);
}

BaselineGraphView *BaselineGraphView::showFor(Library &library, qint64 paperId, QWidget *parent,
                                              const std::function<void(qint64)> &open)
{
    auto *view = parent->findChild<BaselineGraphView *>(QStringLiteral("baselineGraph"), Qt::FindDirectChildrenOnly);
    if (!view) {
        view = new BaselineGraphView(library, parent);
        view->setWindowFlag(Qt::Window);
        view->setWindowTitle(tr("Baseline graph — PaperLab"));
        view->resize(1000, 560);
        connect(view, &BaselineGraphView::paperActivated, parent, [open](qint64 id) { open(id); });
    }
    view->setPaper(paperId);
    view->show();
    view->raise();
    return view;
}

} // namespace paperlab
