#include "ceilingentry.h"

#include "twolinerow.h"

#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSettings>

namespace paperlab::playground {

namespace {

QString ceilingKey(const QString &device, const QString &what)
{
    return QStringLiteral("playground/ceiling/%1/%2").arg(device, what);
}

QDoubleSpinBox *makePeak(QWidget *parent, const QString &name, const QString &suffix)
{
    auto *box = new QDoubleSpinBox(parent);
    box->setObjectName(name);
    box->setRange(0, 100000);
    box->setDecimals(0);
    box->setSuffix(suffix);
    box->setSpecialValueText(QObject::tr("none"));
    return box;
}

} // namespace

DeviceCeiling ceilingFor(const QString &deviceName)
{
    const DeviceCeiling known = knownCeiling(deviceName);
    const QSettings s;
    return {s.value(ceilingKey(deviceName, QStringLiteral("tflops")), known.tflops).toDouble(),
            s.value(ceilingKey(deviceName, QStringLiteral("gbps")), known.gbps).toDouble()};
}

QString ceilingSource(const QString &deviceName)
{
    const DeviceCeiling known = knownCeiling(deviceName);
    const DeviceCeiling used = ceilingFor(deviceName);
    return used.tflops == known.tflops && used.gbps == known.gbps ? QObject::tr("datasheet")
                                                                  : QObject::tr("your entry");
}

CeilingEntry::CeilingEntry(QWidget *parent)
    : QWidget(parent)
    , m_tflops(makePeak(this, QStringLiteral("peakTflops"), QStringLiteral(" TFLOP/s")))
    , m_gbps(makePeak(this, QStringLiteral("peakGbps"), QStringLiteral(" GB/s")))
{
    setObjectName(QStringLiteral("ceilingEntry"));
    // One row above the charts it draws on; the bandwidth below the compute when the charts
    // are narrow (a 1024 px window).
    auto *lines = new TwoLineRow(this);
    (new QHBoxLayout(this))->addWidget(lines);
    layout()->setContentsMargins(0, 0, 0, 0);
    QHBoxLayout *row = lines->line();
    row->setSpacing(6);
    row->addWidget(new QLabel(tr("Peak compute"), lines));
    row->addWidget(m_tflops);
    row->addStretch(1);
    auto *bandwidth = new QWidget(lines);
    auto *bandwidthRow = new QHBoxLayout(bandwidth);
    bandwidthRow->setContentsMargins(0, 0, 0, 0);
    bandwidthRow->addWidget(new QLabel(tr("Peak bandwidth"), bandwidth));
    bandwidthRow->addWidget(m_gbps);
    bandwidthRow->addStretch(1);
    lines->setMovablePart(bandwidth, 2, TwoLineRow::Fit::Minimum);
    for (QDoubleSpinBox *box : {m_tflops, m_gbps}) {
        connect(box, &QDoubleSpinBox::editingFinished, this, [this] {
            QSettings s;
            s.setValue(ceilingKey(m_device, QStringLiteral("tflops")), m_tflops->value());
            s.setValue(ceilingKey(m_device, QStringLiteral("gbps")), m_gbps->value());
            emit edited();
        });
    }
}

void CeilingEntry::showDevice(const QString &deviceName)
{
    m_device = deviceName;
    const DeviceCeiling c = ceilingFor(deviceName);
    m_tflops->setValue(c.tflops);
    m_gbps->setValue(c.gbps);
}

DeviceCeiling CeilingEntry::value() const
{
    return {m_tflops->value(), m_gbps->value()};
}

} // namespace paperlab::playground
