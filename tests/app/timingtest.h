#pragma once
// Timing tests compare two durations of the real code; under AddressSanitizer everything runs
// many times slower (the CI's asan stage missed a 10 s wait), which says nothing about memory
// errors, so they skip there. clang says "address sanitizer" through __has_feature, GCC through
// __SANITIZE_ADDRESS__ (and GCC 12 has no __has_feature, so the test of it has to stand alone).

#include "library.h"
#include "sqlitedb.h"

#include <QTemporaryDir>
#include <QTest>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PAPERLAB_TEST_UNDER_ASAN
#endif
#endif

#if defined(__SANITIZE_ADDRESS__) || defined(PAPERLAB_TEST_UNDER_ASAN)
#define PAPERLAB_SKIP_TIMING_UNDER_ASAN() QSKIP("timing test: too slow under AddressSanitizer")
#else
#define PAPERLAB_SKIP_TIMING_UNDER_ASAN()                                                                              \
    do {                                                                                                               \
    } while (false)
#endif

namespace paperlab::testing {

// A timing comparison that a busy machine can spoil once (the CI runs two tests at a time on two
// cores): `attempt` runs the scenario and says whether the bound held; it gets three tries.
// Code that really waits fails every try.
template <class Attempt>
bool holdsInOneOfThree(Attempt attempt)
{
    for (int i = 0; i < 3; ++i)
        if (attempt())
            return true;
    return false;
}

// A large library for a timing test, its papers written by one INSERT statement (importing
// that many would take minutes in a test), then the full-text index rebuilt over them as the
// bulk import does.
struct BigLibrary {
    explicit BigLibrary(const char *insertPapers)
    {
        Library lib(db);
        Transaction t(lib.database());
        lib.database().exec(insertPapers);
        lib.database().exec("INSERT INTO paper_fts(paper_fts) VALUES ('rebuild')");
        t.commit();
    }
    QTemporaryDir dir;
    QString db = dir.filePath(QStringLiteral("big.sqlite"));
};

} // namespace paperlab::testing
