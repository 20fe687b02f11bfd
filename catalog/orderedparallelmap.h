#pragma once
// fn(0), fn(1), ... fn(count - 1) computed on a pool of its own, handed out in order by
// takeNext(), never more than `window` results ahead of it.
//
// Why not QtConcurrent::mapped: its QFuture keeps every result until the future goes away,
// so an import of 100,000 files held every parsed record (notes included) at once, about
// 1 GiB at its peak, and the kernel zeroed each page of that on first touch. Here a result
// is moved out when it is taken and its slot is used again. A pool of its own also means a
// caller that itself runs on the global pool cannot starve the workers it waits for.

#include <QThreadPool>

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

namespace paperlab {

template <typename T>
class OrderedParallelMap {
public:
    OrderedParallelMap(qsizetype count, std::function<T(qsizetype)> fn, qsizetype window = 2048)
        : m_fn(std::move(fn))
        , m_count(count)
        , m_window(std::max<qsizetype>(1, window))
        , m_slots(size_t(std::min(count, m_window)))
    {
        const int workers = int(std::min<qsizetype>(count, std::max(1, QThread::idealThreadCount())));
        m_pool.setMaxThreadCount(std::max(1, workers));
        for (int w = 0; w < workers; ++w)
            m_pool.start([this] { work(); });
    }
    ~OrderedParallelMap()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_room.notify_all();
        m_pool.waitForDone(); // the workers read m_fn and m_slots
    }
    OrderedParallelMap(const OrderedParallelMap &) = delete;
    OrderedParallelMap &operator=(const OrderedParallelMap &) = delete;

    qsizetype count() const { return m_count; }

    // The next result in order (the first call gives fn(0)), waiting for it if need be. An
    // exception fn threw for this index is thrown here, on the caller's thread.
    T takeNext()
    {
        Q_ASSERT(m_taken < m_count);
        Slot taken;
        {
            std::unique_lock lock(m_mutex);
            Slot &slot = m_slots[size_t(m_taken % m_window)];
            m_ready.wait(lock, [&] { return slot.ready; });
            taken = std::move(slot);
            slot = Slot();
            ++m_taken;
        }
        m_room.notify_all();
        if (taken.error)
            std::rethrow_exception(taken.error);
        return std::move(*taken.value);
    }

private:
    struct Slot {
        std::optional<T> value;
        std::exception_ptr error;
        bool ready = false;
    };

    void work()
    {
        for (;;) {
            qsizetype i = 0;
            {
                std::unique_lock lock(m_mutex);
                // Index i may start once the result `window` places before it was taken: its
                // slot is then free.
                m_room.wait(lock, [&] { return m_stop || m_claimed >= m_count || m_claimed < m_taken + m_window; });
                if (m_stop || m_claimed >= m_count)
                    return;
                i = m_claimed++;
            }
            Slot done;
            try {
                done.value.emplace(m_fn(i));
            } catch (...) {
                done.error = std::current_exception();
            }
            done.ready = true;
            {
                std::lock_guard lock(m_mutex);
                m_slots[size_t(i % m_window)] = std::move(done);
            }
            m_ready.notify_all();
        }
    }

    const std::function<T(qsizetype)> m_fn;
    const qsizetype m_count;
    const qsizetype m_window;
    std::vector<Slot> m_slots;
    std::mutex m_mutex;
    std::condition_variable m_ready, m_room;
    qsizetype m_claimed = 0, m_taken = 0;
    bool m_stop = false;
    QThreadPool m_pool; // declared last: destroyed, and waited for, before what the workers use
};

} // namespace paperlab
