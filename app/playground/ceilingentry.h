#pragma once
// The ceiling each speed chart draws for a device: the vendor's figures for a known GPU, or
// what the user measured or looked up, remembered per device name.

#include "devicedefaults.h"

#include <QWidget>

class QDoubleSpinBox;

namespace paperlab::playground {

// What the user entered for this device, else the vendor's figures for a known GPU.
DeviceCeiling ceilingFor(const QString &deviceName);
// Where ceilingFor's figures come from, as the chart labels them: "your entry" or "datasheet".
QString ceilingSource(const QString &deviceName);

class CeilingEntry : public QWidget {
    Q_OBJECT
public:
    explicit CeilingEntry(QWidget *parent = nullptr);

    // Shows (and from now on stores edits under) this device's ceiling.
    void showDevice(const QString &deviceName);
    QString deviceName() const { return m_device; }
    DeviceCeiling value() const;

signals:
    void edited(); // the user changed a figure; it is stored already

private:
    QString m_device;
    QDoubleSpinBox *m_tflops; // 0 draws no line
    QDoubleSpinBox *m_gbps;
};

} // namespace paperlab::playground
