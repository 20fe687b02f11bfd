#pragma once
// What a QFileDialog MIME probe or a thumbnailer does to a file in the app's process: open,
// read a little, close. With POSIX record locks, that close dropped every SQLite lock the
// process held on the index.

#include <QFile>
#include <QString>

#include <fcntl.h>
#include <unistd.h>

namespace paperlab::testing {

inline void probe(const QString &path)
{
    QFile f(path);
    if (f.open(QIODevice::ReadOnly))
        f.read(512);
    f.close();
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0)
        ::close(fd);
}

// The index and its -shm and -wal.
inline void probeIndex(const QString &db)
{
    for (const char *suffix : {"", "-shm", "-wal"})
        probe(db + QLatin1String(suffix));
}

} // namespace paperlab::testing
