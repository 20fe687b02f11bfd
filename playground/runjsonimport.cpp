#include "runjsonimport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace paperlab::playground {

namespace {

bool isRunnerOutput(const QJsonObject &o)
{
    return o.contains(QStringLiteral("kernel")) && o.value(QStringLiteral("points")).isArray();
}

// The runner's --mask output: {"rows", "cols", "bits": ["0110...", ...]}, one string per row.
BlockMask readMask(const QJsonObject &o)
{
    BlockMask m;
    const QJsonArray rows = o.value(QStringLiteral("bits")).toArray();
    m.rows = o.value(QStringLiteral("rows")).toInt();
    m.cols = o.value(QStringLiteral("cols")).toInt();
    for (const QJsonValue &row : rows) {
        const QString text = row.toString();
        for (int j = 0; j < m.cols; ++j)
            m.bits.append(char(j < text.size() && text.at(j) == QLatin1Char('1') ? 1 : 0));
    }
    return m.isEmpty() ? BlockMask{} : m;
}

RunRecord readRun(const QJsonObject &o, const QString &name)
{
    RunRecord r;
    r.name = name;
    r.status = RunStatus::Finished;
    r.setup.kernel = o.value(QStringLiteral("kernel")).toString();
    r.setup.device = o.value(QStringLiteral("device")).toString();
    r.deviceName = o.value(QStringLiteral("device_name")).toString(r.setup.device);
    r.runnerVersion = o.value(QStringLiteral("runner_version")).toString();
    const QJsonObject env = o.value(QStringLiteral("environment")).toObject();
    if (!env.isEmpty()) {
        r.environments << environmentFromJson(env);
        // The GPU's own name beats the device id when the output has no device_name.
        if (!o.contains(QStringLiteral("device_name")) && r.setup.device.startsWith(QLatin1String("cuda")) &&
            !r.environments.first().deviceName.isEmpty())
            r.deviceName = r.environments.first().deviceName;
    }
    QStringList variants;
    QMap<QString, QString> commonParams;
    bool first = true;
    for (const QJsonValue &v : o.value(QStringLiteral("points")).toArray()) {
        const QJsonObject po = v.toObject();
        RunPoint p;
        p.index = po.value(QStringLiteral("index")).toInt();
        p.variant = po.value(QStringLiteral("variant")).toString();
        p.device = po.value(QStringLiteral("device")).toString();
        const QString sweepParam = po.value(QStringLiteral("sweep_param")).toString();
        p.sweepValue = po.value(QStringLiteral("sweep_value")).toString();
        if (!sweepParam.isEmpty())
            r.setup.sweepParam = sweepParam;
        bool numeric = false;
        p.x = p.sweepValue.toDouble(&numeric);
        if (!numeric) {
            if (!r.setup.sweepValues.contains(p.sweepValue))
                r.setup.sweepValues << p.sweepValue;
            p.x = r.setup.sweepValues.indexOf(p.sweepValue);
        } else if (!r.setup.sweepValues.contains(p.sweepValue)) {
            r.setup.sweepValues << p.sweepValue;
        }
        const QJsonObject metrics = po.value(QStringLiteral("metrics")).toObject();
        for (auto it = metrics.begin(); it != metrics.end(); ++it)
            if (it.value().isDouble())
                p.metrics.insert(it.key(), it.value().toDouble());
        const QJsonValue err = po.value(QStringLiteral("error"));
        if (err.isObject())
            p.error = err.toObject().value(QStringLiteral("message")).toString();
        p.mask = readMask(po.value(QStringLiteral("mask")).toObject());
        if (!variants.contains(p.variant))
            variants << p.variant;
        // The fixed parameters: those equal at every point (the swept one differs).
        const QJsonObject params = po.value(QStringLiteral("params")).toObject();
        QMap<QString, QString> these;
        for (auto it = params.begin(); it != params.end(); ++it)
            if (it.key() != r.setup.sweepParam)
                these.insert(it.key(), it.value().toString());
        if (first) {
            commonParams = these;
            first = false;
        } else {
            for (auto it = commonParams.begin(); it != commonParams.end();)
                it = these.value(it.key()) == it.value() ? std::next(it) : commonParams.erase(it);
        }
        r.points << p;
    }
    r.setup.fixed = commonParams;
    r.setup.variants = variants;
    return r;
}

} // namespace

ImportedRuns importRunnerJson(const QByteArray &json, const QString &fallbackName)
{
    ImportedRuns out;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (doc.isNull()) {
        // Where it broke, as an editor counts: line and column of the byte offset Qt gives.
        const QByteArray before = json.left(parseError.offset);
        const qsizetype line = before.count('\n') + 1;
        const qsizetype column = before.size() - (before.lastIndexOf('\n') + 1) + 1;
        out.error =
            QStringLiteral("line %1, column %2: not JSON (%3)").arg(line).arg(column).arg(parseError.errorString());
        return out;
    }
    const QJsonObject top = doc.object();
    if (top.contains(QStringLiteral("error")) && !top.contains(QStringLiteral("points"))) {
        out.error = QStringLiteral("the runner reported an error: %1")
                        .arg(top.value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString());
        return out;
    }
    if (isRunnerOutput(top)) {
        out.runs << readRun(top, fallbackName);
    } else {
        // bench.json names the GPU once at the top: "NVIDIA H100 80GB HBM3, D2D copy ...".
        const QString device = top.value(QStringLiteral("device")).toString().section(QLatin1Char(','), 0, 0).trimmed();
        for (auto it = top.begin(); it != top.end(); ++it)
            if (it.value().isObject() && isRunnerOutput(it.value().toObject())) {
                out.runs << readRun(it.value().toObject(),
                                    fallbackName.isEmpty() ? it.key() : fallbackName + QStringLiteral(" ") + it.key());
                if (!device.isEmpty())
                    out.runs.last().deviceName = device;
            }
    }
    if (out.runs.isEmpty())
        out.error = QStringLiteral("no runner output found (expected an object with \"kernel\" and \"points\")");
    return out;
}

ImportedRuns importRunnerJsonFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        ImportedRuns out;
        out.error = QStringLiteral("cannot read %1: %2").arg(QDir::toNativeSeparators(path), f.errorString());
        return out;
    }
    ImportedRuns out = importRunnerJson(f.readAll(), QFileInfo(path).completeBaseName());
    // The playground shows this in its banner, long after the file dialog closed: it names the file.
    if (!out.error.isEmpty())
        out.error = QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), out.error);
    return out;
}

} // namespace paperlab::playground
