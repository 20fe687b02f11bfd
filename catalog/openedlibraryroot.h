#pragma once
// A library folder held open for the length of an import. Confining a note path to the
// library (librarypaths.h) canonicalizes it: a readlink per path component, the most of the
// system calls a 100,000-file import makes. On Linux a plain relative path is instead opened
// beneath the folder's descriptor with no symlink allowed on the way (openat2 with
// RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS): one call proves the file is inside the library and
// that the folder's canonical path joined with the relative one is the file's canonical path.
// Whatever that call cannot settle (a symlink on the way, a file that is not there, a kernel
// without openat2) is answered "ask the general path", which decides as it always did.

#include <QString>

namespace paperlab {

class OpenedLibraryRoot {
public:
    // `root` is canonicalized here, once.
    explicit OpenedLibraryRoot(const QString &root);
    ~OpenedLibraryRoot();
    OpenedLibraryRoot(const OpenedLibraryRoot &) = delete;
    OpenedLibraryRoot &operator=(const OpenedLibraryRoot &) = delete;

    const QString &canonicalPath() const { return m_canonical; }

    // A descriptor of a file opened for reading, closed with the object.
    class File {
    public:
        File() = default;
        explicit File(int fd)
            : m_fd(fd)
        {}
        File(File &&other) noexcept
            : m_fd(other.release())
        {}
        File &operator=(File &&other) noexcept;
        ~File();
        bool isOpen() const { return m_fd >= 0; }
        int release();

    private:
        int m_fd = -1;
    };

    enum class Answer {
        RegularFile, // opened: canonicalPath() + '/' + relative is its canonical path
        Missing,     // a part of it is not there (and none before it is a symlink): no file
        AskGeneral,  // a symlink on the way, not a regular file, no openat2: the general way decides
    };
    // `relative` must be plain: relative, with no "." or ".." part (the caller checks).
    Answer open(const QString &relative, File *file) const;

private:
    QString m_canonical;
    int m_fd = -1;
};

} // namespace paperlab
