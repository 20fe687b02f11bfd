#pragma once
// SQLite locks that no other open/close of the same file in this process can release.
//
// SQLite's unix VFS locks with classic POSIX record locks (fcntl F_SETLK). The kernel drops
// every such lock a process holds on a file as soon as the process closes ANY descriptor of
// that file: a file dialog probing the index's MIME type, a thumbnailer or a QFile is enough,
// and another process may then checkpoint and delete the WAL under the app.
//
// installProcessWideLocking() replaces the VFS's "fcntl" and "close" system calls with ones
// that take Linux open-file-description (OFD) locks instead. Those belong to a file
// description, so only closing that description releases them. SQLite keeps lock state per
// inode for the whole process (connections share it and may unlock through one another's
// descriptor), so every lock call for an inode goes through ONE description of that inode,
// opened when the first SQLite descriptor locks it and closed when SQLite has closed its last
// descriptor of it (as the last close would release POSIX locks). OFD and POSIX locks conflict
// with each other, so a stock sqlite3 shell on the same index still interoperates.

namespace paperlab {

// Idempotent and thread-safe; must run before the first sqlite3_open* of the process
// (Database's constructor calls it). Returns false when the VFS refused (then SQLite keeps
// its POSIX locks).
bool installProcessWideLocking();

} // namespace paperlab
