#pragma once
// The catalog's SQLite schema and its forward migrations, in one place.
// Each migration runs in one transaction; the file is copied aside before any migration.

#include <QString>

namespace paperlab {

class Database;

constexpr int kSchemaVersion = 8;

// Brings `db` to kSchemaVersion. Returns the backup file written before migrating (empty
// when the database was new or already current). Throws SqlError, naming the version that
// failed; the database then stays at the last version that succeeded.
QString migrateSchema(Database &db);

} // namespace paperlab
