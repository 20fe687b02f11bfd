#include "workerlibrary.h"

#include "sqlitedb.h"

namespace paperlab::gui {

Library &WorkerLibrary::get()
{
    if (m_library) // only this thread sets it
        return *m_library;
    auto library = std::make_unique<Library>(m_dbPath); // opened outside the lock: it reads the schema
    const std::lock_guard<std::mutex> lock(m_mutex);
    if (m_interrupted)
        library->database().interrupt();
    m_library = std::move(library);
    return *m_library;
}

void WorkerLibrary::close()
{
    std::unique_ptr<Library> closing;
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        closing = std::move(m_library);
    }
}

void WorkerLibrary::interrupt()
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    m_interrupted = true;
    if (m_library)
        m_library->database().interrupt();
}

} // namespace paperlab::gui
