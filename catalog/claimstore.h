#pragma once
// The paper_claims table (schema version 4): the one place its rows are read and written,
// by the import (a paper's EfficientPaper file says what its claims are) and the editor.

#include "claim.h"

namespace paperlab {

class Database;

QList<Claim> readPaperClaims(Database &db, qint64 paperId);
// Replaces the paper's claims with `claims`, in their order (inside the caller's transaction).
void replacePaperClaims(Database &db, qint64 paperId, const QList<Claim> &claims);

} // namespace paperlab
