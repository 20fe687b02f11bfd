#pragma once
// Starting values for a kernel's form and sweep on a device: full-size shapes on a GPU
// (FlashAttention's own benchmark shapes), small ones on the CPU so a run takes seconds.

#include "kernelinfo.h"
#include "sweep.h"

#include <QMap>
#include <QString>

namespace paperlab::playground {

struct DeviceDefaults {
    QMap<QString, QString> values; // overrides of the spec defaults
    QString sweepParam;
    SweepSpec sweep;
    QStringList variants; // checked by default
};

DeviceDefaults defaultsFor(const KernelInfo &kernel, bool cuda);

// The ceiling the speed chart draws for a device, when one is known: dense fp16 tensor-core
// peak (TFLOP/s) and memory bandwidth (GB/s). Zero when unknown.
struct DeviceCeiling {
    double tflops = 0;
    double gbps = 0;
};
DeviceCeiling knownCeiling(const QString &deviceName);

} // namespace paperlab::playground
