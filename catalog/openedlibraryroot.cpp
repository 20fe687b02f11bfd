#include "openedlibraryroot.h"

#include "librarypaths.h"

#include <QFile>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__linux__) && __has_include(<linux/openat2.h>)
#include <linux/openat2.h>
#include <sys/syscall.h>
#define PAPERLAB_HAVE_OPENAT2 1
#endif

namespace paperlab {

OpenedLibraryRoot::File &OpenedLibraryRoot::File::operator=(File &&other) noexcept
{
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = other.release();
    }
    return *this;
}

OpenedLibraryRoot::File::~File()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

int OpenedLibraryRoot::File::release()
{
    const int fd = m_fd;
    m_fd = -1;
    return fd;
}

OpenedLibraryRoot::OpenedLibraryRoot(const QString &root)
    : m_canonical(canonicalPathAllowingMissing(root))
{
#ifdef PAPERLAB_HAVE_OPENAT2
    if (!m_canonical.isEmpty())
        m_fd = ::open(QFile::encodeName(m_canonical).constData(), O_PATH | O_DIRECTORY | O_CLOEXEC);
#endif
}

OpenedLibraryRoot::~OpenedLibraryRoot()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

OpenedLibraryRoot::Answer OpenedLibraryRoot::open(const QString &relative, File *file) const
{
#ifdef PAPERLAB_HAVE_OPENAT2
    if (m_fd < 0 || relative.isEmpty() || relative.contains(QChar(0)))
        return Answer::AskGeneral;
    open_how how{};
    // O_NONBLOCK: a FIFO named note.md must not hang the import (regular files ignore it).
    how.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    int fd;
    do
        fd = int(::syscall(SYS_openat2, m_fd, QFile::encodeName(relative).constData(), &how, sizeof how));
    while (fd < 0 && errno == EINTR);
    // Resolution stops at the first symlink with ELOOP, so ENOENT / ENOTDIR mean that every
    // part before the missing one is a real folder: following links would not find it either.
    if (fd < 0)
        return errno == ENOENT || errno == ENOTDIR ? Answer::Missing : Answer::AskGeneral;
    File opened(fd);
    struct stat st;
    if (::fstat(fd, &st) != 0)
        return Answer::AskGeneral;
    if (!S_ISREG(st.st_mode))
        return Answer::AskGeneral;
    if (file)
        *file = std::move(opened);
    return Answer::RegularFile;
#else
    Q_UNUSED(relative);
    Q_UNUSED(file);
    return Answer::AskGeneral;
#endif
}

} // namespace paperlab
