#include "safefile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace paperlab {
namespace {

bool fail(QString *error, const QString &path, const char *step, int err)
{
    if (error)
        *error =
            QStringLiteral("%1: %2: %3").arg(path, QLatin1String(step), QString::fromLocal8Bit(std::strerror(err)));
    return false;
}

// The mode a new file gets from open(2) with 0666; mkstemp's 0600 would hide notes and
// exports from the user's other programs (and group members of a shared library).
mode_t defaultFileMode()
{
    const mode_t mask = ::umask(0);
    ::umask(mask);
    return 0666 & ~mask;
}

bool writeAll(int fd, const QByteArray &data, int *err)
{
    const char *p = data.constData();
    qsizetype left = data.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, size_t(left));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            *err = errno;
            return false;
        }
        if (n == 0) { // a full device may answer "0 bytes" instead of ENOSPC
            *err = ENOSPC;
            return false;
        }
        p += n;
        left -= n;
    }
    return true;
}

} // namespace

bool writeFileAtomically(const QString &path, const QByteArray &data, QString *error)
{
    QFileInfo target(path);
    // A symlink is written through, as QSaveFile does: the rename replaces its target, and
    // the link (a note shared by two papers, an export kept elsewhere) stays a link.
    if (target.isSymLink())
        target.setFile(target.canonicalFilePath().isEmpty() ? target.symLinkTarget() : target.canonicalFilePath());
    const QString dir = target.absolutePath();
    // Hidden and in the same folder: the rename stays on one filesystem (atomic), and a
    // crash leaves at worst a dot-file beside the old content, never a half-written file.
    QByteArray temp =
        QFile::encodeName(QDir(dir).filePath(QLatin1Char('.') + target.fileName() + QStringLiteral(".XXXXXX")));
    const int fd = ::mkstemp(temp.data());
    if (fd < 0)
        return fail(error, path, "cannot create a temporary file beside it", errno);
    auto abandon = [&](const char *step, int err) {
        ::close(fd);
        ::unlink(temp.constData());
        return fail(error, path, step, err);
    };

    struct stat old {};
    const mode_t mode =
        ::stat(QFile::encodeName(target.absoluteFilePath()).constData(), &old) == 0 && S_ISREG(old.st_mode)
            ? (old.st_mode & 07777)
            : defaultFileMode();
    if (::fchmod(fd, mode) != 0)
        return abandon("cannot set permissions", errno);

    int err = 0;
    if (!writeAll(fd, data, &err))
        return abandon("cannot write", err);
    if (::fsync(fd) != 0) // where a delayed allocation fails (ENOSPC, EIO), it fails here
        return abandon("cannot flush to disk", errno);
    struct stat written {};
    if (::fstat(fd, &written) != 0)
        return abandon("cannot check the written size", errno);
    if (written.st_size != data.size())
        return abandon("written size differs from the data", EIO);
    if (::close(fd) != 0) {
        const int closeErr = errno;
        ::unlink(temp.constData());
        return fail(error, path, "cannot close", closeErr);
    }
    if (::rename(temp.constData(), QFile::encodeName(target.absoluteFilePath()).constData()) != 0) {
        const int renameErr = errno;
        ::unlink(temp.constData());
        return fail(error, path, "cannot replace the file", renameErr);
    }
    // The rename itself lives in the folder: without this a power cut can bring back the old name.
    const int dirFd = ::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd >= 0) {
        const bool synced = ::fsync(dirFd) == 0 || errno == EINVAL; // EINVAL: the filesystem cannot sync folders
        const int syncErr = errno;
        ::close(dirFd);
        if (!synced)
            return fail(error, path, "written, but its folder could not be flushed to disk", syncErr);
    }
    return true;
}

bool writeFileAtomicallyMakingFolders(const QString &path, const QByteArray &data, QString *error)
{
    const QString dir = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(dir)) {
        if (error)
            *error = QStringLiteral("%1: cannot create the folder %2").arg(path, dir);
        return false;
    }
    return writeFileAtomically(path, data, error);
}

} // namespace paperlab
