#pragma once
// A worker thread's own Library connection that another thread can interrupt: quitting stops
// the search, the facet counts and the first-page fill where they are (a complete id list,
// the facet index's first load, a wide prefix's match: 0.1-0.5 s each at 100,000 papers)
// instead of waiting for them. The connection is opened and closed on the worker's thread
// (a connection belongs to one thread); the mutex keeps interrupt() off one being opened or
// closed. An interrupt is for good: a connection opened after it is interrupted at once.

#include "library.h"

#include <QString>

#include <memory>
#include <mutex>

namespace paperlab::gui {

class WorkerLibrary {
public:
    explicit WorkerLibrary(QString dbPath)
        : m_dbPath(std::move(dbPath))
    {}

    Library &get(); // opens it on first use; the worker's thread only
    void close();   // the worker's thread only
    void interrupt();

private:
    const QString m_dbPath;
    std::mutex m_mutex;
    std::unique_ptr<Library> m_library;
    bool m_interrupted = false;
};

} // namespace paperlab::gui
