#pragma once
// A run's default name: what sets it apart from the kernel's other runs, so that a list of
// runs (and a chart legend overlaying them) can be told apart without opening each one.

#include "kernelinfo.h"
#include "runtypes.h"

namespace paperlab::playground {

// "flash, naive · CPU · seq_len 512–4096 · head_dim=128, causal=false": the variants, the
// device (its name without the parenthesised detail), the swept parameter and its range,
// and the fixed values that differ from those the form starts with on that kind of device.
QString defaultRunName(const RunSetup &setup, const KernelInfo &kernel, const QString &deviceName);

} // namespace paperlab::playground
