#include "sqlitelocking.h"

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <fcntl.h>
#include <map>
#include <mutex>
#include <set>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace paperlab {
namespace {

using Fcntl = int (*)(int, int, ...);
using Close = int (*)(int);

Fcntl g_realFcntl = nullptr;
Close g_realClose = nullptr;

using InodeKey = std::pair<dev_t, ino_t>;

// One description per locked inode, and which of SQLite's descriptors point at it.
struct LockOwner {
    int description = -1;
    std::set<int> users;
};

std::mutex g_mutex;
std::map<InodeKey, LockOwner> g_owners;
std::map<int, InodeKey> g_inodeOf; // SQLite descriptor -> its inode

// The description that holds this process's locks on fd's inode, registering fd as a user.
// Opened read-write through /proc when the file allows it, so a read-only first opener does
// not leave a later writer unable to take write locks; a dup() otherwise.
int ownerFor(int fd)
{
    if (const auto it = g_inodeOf.find(fd); it != g_inodeOf.end())
        return g_owners[it->second].description;
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        return -1;
    const InodeKey key{st.st_dev, st.st_ino};
    LockOwner &owner = g_owners[key];
    if (owner.description < 0) {
        char link[64];
        std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        owner.description = ::open(link, O_RDWR | O_CLOEXEC);
        if (owner.description < 0)
            owner.description = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
        if (owner.description < 0) {
            g_owners.erase(key);
            return -1;
        }
    }
    owner.users.insert(fd);
    g_inodeOf[fd] = key;
    return owner.description;
}

int toOfd(int cmd)
{
    switch (cmd) {
    case F_SETLK:
        return F_OFD_SETLK;
    case F_SETLKW:
        return F_OFD_SETLKW;
    case F_GETLK:
        return F_OFD_GETLK;
    default:
        return 0;
    }
}

int lockingFcntl(int fd, int cmd, ...)
{
    va_list ap;
    va_start(ap, cmd);
    void *arg = va_arg(ap, void *); // glibc's own fcntl reads every argument this way
    va_end(ap);

    const int ofdCmd = toOfd(cmd);
    if (!ofdCmd)
        return g_realFcntl(fd, cmd, arg);

    // OFD locks want l_pid = 0; the caller's struct is ours to fill in (F_GETLK writes it).
    auto *lock = static_cast<struct flock *>(arg);
    lock->l_pid = 0;
    std::unique_lock<std::mutex> guard(g_mutex);
    const int description = ownerFor(fd);
    if (description < 0)
        return -1;
    // A blocking wait must not hold the map: the description stays open while fd is a user.
    if (ofdCmd == F_OFD_SETLKW)
        guard.unlock();
    return g_realFcntl(description, ofdCmd, lock);
}

int lockingClose(int fd)
{
    int release = -1;
    {
        std::lock_guard<std::mutex> guard(g_mutex);
        if (const auto it = g_inodeOf.find(fd); it != g_inodeOf.end()) {
            const auto owner = g_owners.find(it->second);
            owner->second.users.erase(fd);
            if (owner->second.users.empty()) {
                // SQLite closed its last descriptor of the inode: with POSIX locks that close
                // would release everything, and SQLite relies on it (the -shm DMS lock).
                release = owner->second.description;
                g_owners.erase(owner);
            }
            g_inodeOf.erase(it);
        }
    }
    if (release >= 0)
        g_realClose(release);
    return g_realClose(fd);
}

bool install()
{
    sqlite3_vfs *vfs = sqlite3_vfs_find(nullptr);
    if (!vfs || vfs->iVersion < 3 || !vfs->xGetSystemCall || !vfs->xSetSystemCall)
        return false;
    g_realFcntl = reinterpret_cast<Fcntl>(vfs->xGetSystemCall(vfs, "fcntl"));
    g_realClose = reinterpret_cast<Close>(vfs->xGetSystemCall(vfs, "close"));
    if (!g_realFcntl || !g_realClose)
        return false;
    if (vfs->xSetSystemCall(vfs, "fcntl", reinterpret_cast<sqlite3_syscall_ptr>(&lockingFcntl)) != SQLITE_OK)
        return false;
    if (vfs->xSetSystemCall(vfs, "close", reinterpret_cast<sqlite3_syscall_ptr>(&lockingClose)) != SQLITE_OK) {
        vfs->xSetSystemCall(vfs, "fcntl", reinterpret_cast<sqlite3_syscall_ptr>(g_realFcntl));
        return false;
    }
    return true;
}

} // namespace

bool installProcessWideLocking()
{
    static const bool installed = install();
    return installed;
}

} // namespace paperlab
