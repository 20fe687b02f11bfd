#pragma once
// A small RAII layer over raw sqlite3: the catalog needs FTS5, user_version and
// precise error texts, which are plainer through the C API than through QtSql.

#include <QString>
#include <QVariant>

#include <stdexcept>

struct sqlite3;
struct sqlite3_stmt;

namespace paperlab {

class SqlError : public std::runtime_error {
public:
    explicit SqlError(const QString &message) : std::runtime_error(message.toStdString()) {}
    QString message() const { return QString::fromStdString(what()); }
};

class Statement;

class Database {
public:
    // Opens (creating when asked) the file; throws SqlError naming the file on failure.
    explicit Database(const QString &path, bool create = true);
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    void exec(const char *sql);                   // fixed SQL only; never user text
    Statement prepare(const char *sql);
    qint64 lastInsertId() const;
    int changes() const;
    int userVersion();
    void setUserVersion(int v);
    QString path() const { return m_path; }
    QString lastError() const;
    sqlite3 *handle() const { return m_db; }

private:
    sqlite3 *m_db = nullptr;
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

    bool step();         // true while a row is available
    void run();          // step to completion, then reset for reuse
    void reset();        // keeps bindings until rebound

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
