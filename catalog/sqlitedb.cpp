#include "sqlitedb.h"

#include "sqlitelocking.h"

#include <sqlite3.h>

namespace paperlab {

Database::Database(const QString &path, bool create)
    : m_path(path)
{
    installProcessWideLocking(); // before the first open: see sqlitelocking.h
    const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.toUtf8().constData(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        const QString msg = m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : QStringLiteral("out of memory");
        const int code = m_db ? sqlite3_extended_errcode(m_db) : rc;
        sqlite3_close(m_db);
        m_db = nullptr;
        throw SqlError(QStringLiteral("%1: cannot open database: %2").arg(path, msg), code);
    }
    sqlite3_busy_timeout(m_db, busyTimeoutMs());
    sqlite3_extended_result_codes(m_db, 1);
    // Every so many VM steps a running statement asks whether interrupt() was called: that
    // reaches a statement that began just after the call, which sqlite3_interrupt misses.
    constexpr int kStepsPerCheck = 1000;
    sqlite3_progress_handler(m_db, kStepsPerCheck, &Database::onProgress, this);
}

int Database::onProgress(void *self)
{
    const auto *db = static_cast<Database *>(self);
    return db->isInterrupted() || (db->m_unwanted && db->m_unwanted()) ? 1 : 0;
}

int Database::busyTimeoutMs()
{
    bool ok = false;
    const int env = qEnvironmentVariableIntValue("PAPERLAB_BUSY_TIMEOUT_MS", &ok);
    return ok && env >= 0 ? env : 5000;
}

void Database::setBusyTimeout(int ms)
{
    sqlite3_busy_timeout(m_db, ms);
}

Database::~Database()
{
    sqlite3_close_v2(m_db);
}

void Database::exec(const char *sql)
{
    char *err = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        const QString msg = QString::fromUtf8(err ? err : "unknown error");
        sqlite3_free(err);
        throw SqlError(QStringLiteral("%1: %2").arg(m_path, msg), lastErrorCode());
    }
}

Statement Database::prepare(const char *sql)
{
    return Statement(*this, sql);
}

qint64 Database::lastInsertId() const
{
    return sqlite3_last_insert_rowid(m_db);
}
int Database::changes() const
{
    return sqlite3_changes(m_db);
}
void Database::interrupt()
{
    m_interrupted.store(true, std::memory_order_relaxed);
    sqlite3_interrupt(m_db);
}
qint64 Database::totalChanges() const
{
    return sqlite3_total_changes64(m_db);
}
QString Database::lastError() const
{
    return QString::fromUtf8(sqlite3_errmsg(m_db));
}
int Database::lastErrorCode() const
{
    return sqlite3_extended_errcode(m_db);
}
bool Database::isReadOnly() const
{
    return sqlite3_db_readonly(m_db, "main") == 1;
}

int Database::userVersion()
{
    Statement st(*this, "PRAGMA user_version");
    return st.step() ? st.integer(0) : 0;
}

void Database::setUserVersion(int v)
{
    // PRAGMA takes no bound parameters; v is an int we produced, never user text.
    exec(QStringLiteral("PRAGMA user_version = %1").arg(v).toUtf8().constData());
}

int Database::applicationId()
{
    Statement st(*this, "PRAGMA application_id");
    return st.step() ? st.integer(0) : 0;
}

void Database::setApplicationId(int id)
{
    exec(QStringLiteral("PRAGMA application_id = %1").arg(id).toUtf8().constData());
}

QString Database::journalMode()
{
    // Without "= MODE" the pragma only reports.
    Statement st(*this, "PRAGMA journal_mode");
    return st.step() ? st.text(0).toLower() : QString();
}

bool Database::hasTable(const char *name)
{
    Statement st(*this, "SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?");
    st.bind(1, QString::fromUtf8(name));
    return st.step();
}

qint64 Database::dataVersion()
{
    Statement st(*this, "PRAGMA data_version");
    return st.step() ? st.int64(0) : 0;
}

Transaction::Transaction(Database &db)
    : m_db(db)
{
    m_db.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction()
{
    if (!m_done) {
        try {
            m_db.exec("ROLLBACK");
        } catch (...) {
        }
    }
}

void Transaction::commit()
{
    m_db.exec("COMMIT");
    m_done = true;
}

ReadTransaction::ReadTransaction(Database &db)
    : m_db(db)
{
    m_db.exec("BEGIN DEFERRED");
}

ReadTransaction::~ReadTransaction()
{
    try {
        m_db.exec("COMMIT");
    } catch (...) {
        try {
            m_db.exec("ROLLBACK"); // nothing was written: either end gives the snapshot back
        } catch (...) {
        }
    }
}

Statement::Statement(Database &db, const char *sql)
    : m_db(&db)
{
    if (db.isInterrupted()) // given up: not one more statement (see Database::interrupt)
        throw SqlError(QStringLiteral("%1: interrupted").arg(db.path()), SQLITE_INTERRUPT);
    if (sqlite3_prepare_v2(db.handle(), sql, -1, &m_stmt, nullptr) != SQLITE_OK)
        throw SqlError(QStringLiteral("%1: %2 in: %3").arg(db.path(), db.lastError(), QString::fromUtf8(sql)),
                       db.lastErrorCode());
}

Statement::~Statement()
{
    sqlite3_finalize(m_stmt);
}

Statement::Statement(Statement &&other) noexcept
    : m_db(other.m_db)
    , m_stmt(other.m_stmt)
{
    other.m_stmt = nullptr;
}

Statement &Statement::bind(int index, const QVariant &value)
{
    if (value.isNull())
        return bindNull(index);
    switch (value.typeId()) {
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::Bool:
        return bind(index, value.toLongLong());
    case QMetaType::Double:
        return bind(index, value.toDouble());
    default:
        return bind(index, value.toString());
    }
}

Statement &Statement::bind(int index, const QString &value)
{
    const QByteArray utf8 = value.toUtf8();
    sqlite3_bind_text(m_stmt, index, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement &Statement::bind(int index, qint64 value)
{
    sqlite3_bind_int64(m_stmt, index, value);
    return *this;
}

Statement &Statement::bind(int index, double value)
{
    sqlite3_bind_double(m_stmt, index, value);
    return *this;
}

Statement &Statement::bindNull(int index)
{
    sqlite3_bind_null(m_stmt, index);
    return *this;
}

bool Statement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    const QString msg = m_db->lastError();
    const int code = sqlite3_extended_errcode(m_db->handle());
    sqlite3_reset(m_stmt);
    throw SqlError(QStringLiteral("%1: %2").arg(m_db->path(), msg), code);
}

void Statement::run()
{
    while (step()) {
    }
    reset();
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
}

QString Statement::text(int column) const
{
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    return p ? QString::fromUtf8(p, sqlite3_column_bytes(m_stmt, column)) : QString();
}

qint64 Statement::int64(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}
double Statement::real(int column) const
{
    return sqlite3_column_double(m_stmt, column);
}
bool Statement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}
int Statement::columnCount() const
{
    return sqlite3_column_count(m_stmt);
}

} // namespace paperlab
