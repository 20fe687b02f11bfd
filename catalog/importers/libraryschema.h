#pragma once
// The PaperInfo schema an EfficientPaper library's files are read with. A library that
// ships its own proto/efficient_paper.proto (EfficientPaper's does) is read with that one,
// so its keyword enum and newer fields are known; otherwise PaperLab's built-in copy.

#include "../paperrecord.h"

#include <QString>

#include <google/protobuf/message.h>
#include <memory>

namespace paperlab {

class LibrarySchema {
public:
    // PaperLab's own schema (catalog/proto/paper.proto).
    LibrarySchema();
    ~LibrarySchema();
    LibrarySchema(const LibrarySchema &) = delete;
    LibrarySchema &operator=(const LibrarySchema &) = delete;

    // The library's proto/efficient_paper.proto when it has one and protoc can read it; the
    // built-in schema otherwise, with a warning in `batch` when the library's file is unusable.
    static std::unique_ptr<LibrarySchema> forLibrary(const QString &libraryRoot, ImportBatch &batch);

    // An empty PaperInfo message of this schema; parse into a New() of it. Thread-safe.
    const google::protobuf::Message &prototype() const { return *m_prototype; }
    bool isLibraryOwn() const { return m_pool != nullptr; }
    QString protoFile() const { return m_protoFile; }

private:
    struct Own;
    std::unique_ptr<Own> m_pool; // set for a library's own schema: its pool and message factory
    const google::protobuf::Message *m_prototype = nullptr;
    QString m_protoFile;
};

class OpenedLibraryRoot;

// One meta/YEAR/KEY.prototxt of the library at `libraryRoot`, read with `schema`. An import
// passes `opened`, the same library opened once (its canonical path, note files opened
// beneath it: openedlibraryroot.h).
ImportBatch parsePrototxtFileWith(const QString &path, const QString &libraryRoot, const LibrarySchema &schema,
                                  const OpenedLibraryRoot *opened = nullptr);
// The same for its text, already read (`path` names the file in messages and resolves urls).
ImportBatch parsePrototxtWith(const QString &text, const QString &path, const QString &libraryRoot,
                              const LibrarySchema &schema, const OpenedLibraryRoot *opened = nullptr);

} // namespace paperlab
