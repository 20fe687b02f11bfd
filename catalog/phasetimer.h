#pragma once
// Wall and CPU time of the steps of a long operation (an import: match/merge and row writes,
// index build, full-text rebuild, commit). On a machine shared with other work the wall clock
// says more about the others than about the code, so both are kept side by side.

#include <QElapsedTimer>
#include <QList>

namespace paperlab {

struct PhaseTime {
    const char *name = ""; // a string literal: the phases are fixed by the code that times them
    double wallS = 0;
    double cpuS = 0; // CPU of the thread that ran the phase
};

// Seconds of CPU the calling thread has used.
double threadCpuSeconds();

// Appends one PhaseTime per lap() to `out`: each lap covers the time since the previous one.
class PhaseTimer {
public:
    explicit PhaseTimer(QList<PhaseTime> &out);
    void lap(const char *name);

private:
    QList<PhaseTime> &m_out;
    QElapsedTimer m_wall;
    double m_cpu = 0;
};

} // namespace paperlab
