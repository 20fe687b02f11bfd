#pragma once
// The paper_claims table (schema version 4): the one place its rows are read and written,
// by the import (a paper's EfficientPaper file says what its claims are) and the editor.

#include "claim.h"
#include "sqlitedb.h"

namespace paperlab {

QList<Claim> readPaperClaims(Database &db, qint64 paperId);
// Replaces the paper's claims with `claims`, in their order (inside the caller's transaction).
void replacePaperClaims(Database &db, qint64 paperId, const QList<Claim> &claims);

// Writes the claims of the papers of one import, its two statements prepared once for the
// batch: preparing them for every paper cost ~25 µs of the ~170 µs a paper's rows took at
// 100,000 papers. Use it inside the import's transaction.
class PaperClaimsWriter {
public:
    explicit PaperClaimsWriter(Database &db);
    // The paper's claims become `claims`, in their order (its old ones go first unless
    // `isNew`: a paper just inserted has none).
    void write(qint64 paperId, const QList<Claim> &claims, bool isNew);

private:
    Statement m_clear, m_insert;
};

} // namespace paperlab
