#pragma once
// Small file helpers the catalog tests share: writing a fixture, reading a result back.

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTest>

namespace paperlab::testing {

// Writes `text` to `path`, creating its folders.
inline void writeText(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly), qPrintable(path));
    f.write(text);
}

// The bytes of `path`; empty when it cannot be read.
inline QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace paperlab::testing
