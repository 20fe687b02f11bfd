#include "phasetimer.h"

#include <ctime>

namespace paperlab {

double threadCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

PhaseTimer::PhaseTimer(QList<PhaseTime> &out)
    : m_out(out)
    , m_cpu(threadCpuSeconds())
{
    m_wall.start();
}

void PhaseTimer::lap(const char *name)
{
    const double cpu = threadCpuSeconds();
    m_out.append({name, double(m_wall.nsecsElapsed()) / 1e9, cpu - m_cpu});
    m_cpu = cpu;
    m_wall.restart();
}

} // namespace paperlab
