// A library's own .proto is compiled by protoc (protobuf-compiler, the same Debian source as
// libprotobuf) into a descriptor set, which libprotobuf turns into a descriptor pool and
// dynamic messages. libprotobuf-dev ships no .proto parser of its own, and one written here
// would drift from protoc's grammar.

#include "libraryschema.h"

#include "paper.pb.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/dynamic_message.h>

namespace paperlab {

namespace pb = google::protobuf;

struct LibrarySchema::Own {
    pb::DescriptorPool pool;
    pb::DynamicMessageFactory factory{&pool};
};

LibrarySchema::LibrarySchema()
    : m_prototype(&efficient_paper::PaperInfo::default_instance())
{}

LibrarySchema::~LibrarySchema() = default;

namespace {

constexpr int kProtocTimeoutMs = 30000;

// The descriptor set protoc writes for `proto`, or an empty string with the reason in `error`.
std::string compiledDescriptors(const QString &proto, QString &error)
{
    const QString protoc = QStandardPaths::findExecutable(QStringLiteral("protoc"));
    if (protoc.isEmpty()) {
        error = QStringLiteral("protoc (Debian package protobuf-compiler) is not installed");
        return {};
    }
    QTemporaryDir tmp;
    if (!tmp.isValid()) {
        error = QStringLiteral("no temporary folder: %1").arg(tmp.errorString());
        return {};
    }
    const QString out = tmp.filePath(QStringLiteral("schema.pb"));
    const QFileInfo info(proto);
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(protoc, {QStringLiteral("--proto_path=%1").arg(info.absolutePath()),
                     QStringLiteral("--descriptor_set_out=%1").arg(out), info.fileName()});
    if (!p.waitForFinished(kProtocTimeoutMs) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        if (p.state() != QProcess::NotRunning) {
            p.kill();
            p.waitForFinished();
        }
        error = QString::fromUtf8(p.readAll()).trimmed();
        if (error.isEmpty())
            error = QStringLiteral("protoc did not finish");
        return {};
    }
    QFile f(out);
    if (!f.open(QIODevice::ReadOnly)) {
        error = f.errorString();
        return {};
    }
    return f.readAll().toStdString();
}

} // namespace

std::unique_ptr<LibrarySchema> LibrarySchema::forLibrary(const QString &libraryRoot, ImportBatch &batch)
{
    auto schema = std::make_unique<LibrarySchema>();
    const QString proto = QDir(libraryRoot).filePath(QStringLiteral("proto/efficient_paper.proto"));
    if (libraryRoot.isEmpty() || !QFileInfo(proto).isFile())
        return schema;

    auto fallback = [&](const QString &why) {
        batch.warn(proto, 0,
                   QStringLiteral("cannot use the library's own schema (%1); reading with PaperLab's").arg(why));
        return std::make_unique<LibrarySchema>();
    };
    QString error;
    const std::string bytes = compiledDescriptors(proto, error);
    if (bytes.empty())
        return fallback(error);
    pb::FileDescriptorSet set;
    if (!set.ParseFromString(bytes))
        return fallback(QStringLiteral("protoc wrote no descriptor set"));
    auto own = std::make_unique<Own>();
    for (const pb::FileDescriptorProto &file : set.file())
        if (!own->pool.BuildFile(file))
            return fallback(QStringLiteral("%1 does not build").arg(QString::fromStdString(file.name())));
    const pb::Descriptor *info = own->pool.FindMessageTypeByName("efficient_paper.PaperInfo");
    if (!info || !info->FindFieldByName("paper"))
        return fallback(QStringLiteral("it has no message efficient_paper.PaperInfo with a paper field"));
    schema->m_prototype = own->factory.GetPrototype(info);
    schema->m_pool = std::move(own);
    schema->m_protoFile = proto;
    return schema;
}

} // namespace paperlab
