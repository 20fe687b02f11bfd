#pragma once
// A small RAII layer over raw sqlite3: the catalog needs FTS5, user_version and
// precise error texts, which are plainer through the C API than through QtSql.

#include <QString>
#include <QVariant>

#include <atomic>
#include <functional>
#include <stdexcept>

struct sqlite3;
struct sqlite3_stmt;

namespace paperlab {

class SqlError : public std::runtime_error {
public:
    // `code`: SQLite's extended result code (SQLITE_BUSY, SQLITE_READONLY, SQLITE_CORRUPT...),
    // so callers can tell "try again" from "the file is damaged".
    explicit SqlError(const QString &message, int code = 1)
        : std::runtime_error(message.toStdString())
        , m_code(code)
    {}
    QString message() const { return QString::fromStdString(what()); }
    int code() const { return m_code; }
    int primaryCode() const { return m_code & 0xff; }

private:
    int m_code;
};

class Statement;

class Database {
public:
    // How long a statement waits for another connection's write lock before SQLITE_BUSY:
    // 5 s, or $PAPERLAB_BUSY_TIMEOUT_MS (tests shorten it).
    static int busyTimeoutMs();
    void setBusyTimeout(int ms); // this connection only

    // Opens (creating when asked) the file; throws SqlError naming the file on failure.
    explicit Database(const QString &path, bool create = true);
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    void exec(const char *sql); // fixed SQL only; never user text
    Statement prepare(const char *sql);
    qint64 lastInsertId() const;
    int changes() const;
    int userVersion();
    void setUserVersion(int v);
    int applicationId();
    void setApplicationId(int id);
    QString journalMode();   // reads it; never switches
    bool isReadOnly() const; // opened read-only (file or folder not writable)
    bool hasTable(const char *name);
    // Changes committed by other connections since this one last looked; cheap (no I/O
    // beyond the WAL index). See PRAGMA data_version.
    qint64 dataVersion();
    // Rows this connection has changed since it opened (its own writes, which dataVersion
    // does not count).
    qint64 totalChanges() const;
    QString path() const { return m_path; }
    QString lastError() const;
    int lastErrorCode() const;
    sqlite3 *handle() const { return m_db; }
    // Stops the statement this connection is running and every later one (each fails with
    // SQLITE_INTERRUPT): the connection is being given up. sqlite3_interrupt alone is a no-op
    // while no statement runs, so a caller between two statements (a keystroke's first page
    // and its complete list) would run the second one to its end. The one call that is safe
    // from another thread, as long as the connection stays open meanwhile.
    void interrupt();
    bool isInterrupted() const { return m_interrupted.load(std::memory_order_relaxed); }
    // While set, this connection's statements stop (SQLITE_INTERRUPT) once `unwanted` returns
    // true, asked every thousand VM steps on the connection's own thread: a search the user
    // has typed past ends early (see CancelWhen). Empty: none.
    void setCancelCheck(std::function<bool()> unwanted) { m_unwanted = std::move(unwanted); }

private:
    static int onProgress(void *self);

    sqlite3 *m_db = nullptr;
    std::atomic_bool m_interrupted{false};
    std::function<bool()> m_unwanted;
    QString m_path;
};

// One transaction; rolled back unless commit() was called (exceptions included).
class Transaction {
public:
    explicit Transaction(Database &db);
    ~Transaction();
    void commit();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

private:
    Database &m_db;
    bool m_done = false;
};

// One snapshot for several reads (a keystroke's first page and then its complete list):
// they answer for the library at one moment even while another connection commits, and the
// read lock is taken once rather than per statement. Deferred: the first read takes it.
class ReadTransaction {
public:
    explicit ReadTransaction(Database &db);
    ~ReadTransaction(); // ends it (nothing was written, so nothing to roll back)
    ReadTransaction(const ReadTransaction &) = delete;
    ReadTransaction &operator=(const ReadTransaction &) = delete;

private:
    Database &m_db;
};

// Database::setCancelCheck for one scope.
class CancelWhen {
public:
    CancelWhen(Database &db, std::function<bool()> unwanted)
        : m_db(db)
    {
        m_db.setCancelCheck(std::move(unwanted));
    }
    ~CancelWhen() { m_db.setCancelCheck({}); }
    CancelWhen(const CancelWhen &) = delete;
    CancelWhen &operator=(const CancelWhen &) = delete;

private:
    Database &m_db;
};

class Statement {
public:
    Statement(Database &db, const char *sql);
    ~Statement();
    Statement(Statement &&other) noexcept;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    // Binds by 1-based index; a null QVariant binds NULL.
    Statement &bind(int index, const QVariant &value);
    Statement &bind(int index, const QString &value);
    Statement &bind(int index, qint64 value);
    Statement &bind(int index, int value) { return bind(index, qint64(value)); }
    Statement &bind(int index, double value);
    Statement &bindNull(int index);

    bool step();  // true while a row is available
    void run();   // step to completion, then reset for reuse
    void reset(); // keeps bindings until rebound

    QString text(int column) const;
    qint64 int64(int column) const;
    int integer(int column) const { return int(int64(column)); }
    double real(int column) const;
    bool isNull(int column) const;
    int columnCount() const;

private:
    Database *m_db;
    sqlite3_stmt *m_stmt = nullptr;
};

} // namespace paperlab
