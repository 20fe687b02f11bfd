#pragma once
// Where and how a playground run was measured (runner.proto's RunEnvironment, in Qt types):
// the device, its versions, clocks and power at start and end, the ceilings measured on it
// and the timing discipline. A run fanned out over N GPUs has N of them, one per lane.
// Its JSON is the runner's `--json` "environment" object, so imported runner output and
// the run store read the same text.

#include <QJsonObject>
#include <QList>
#include <QString>

namespace paperlab {

struct MeasuredCeiling {
    QString id; // "copy", "matrix_fp16", "matrix_bf16", "matrix_int8"
    double value = 0;
    QString unit; // GB/s, TFLOP/s, TOP/s
    QString how;  // what was timed
};

// Negative: unknown (no NVML on the host).
struct ClockReading {
    double smClockMhz = -1;
    double memClockMhz = -1;
    double powerWatts = -1;
};

struct RunEnvironment {
    QString device; // "cpu", "cuda:0"
    QString deviceName;
    QString uuid;
    int smCount = 0;
    QString driverVersion;
    QString cudaRuntimeVersion;
    QString cudaDriverVersion;
    QString hostCpu;
    int hostCores = 0;
    ClockReading start, end;
    double powerLimitWatts = -1;
    QString nvmlNote;
    QList<MeasuredCeiling> ceilings;
    QString ceilingsMeasuredAt; // UTC, ISO 8601
    bool ceilingsCached = false;
    QString ceilingsNote;
    int warmup = 0;
    int repetitions = 0;
    bool l2Flush = false;
    qint64 l2FlushBytes = 0;

    bool isEmpty() const { return device.isEmpty() && deviceName.isEmpty() && hostCpu.isEmpty(); }
    const MeasuredCeiling *ceiling(const QString &id) const;
};

QJsonObject environmentToJson(const RunEnvironment &env);
RunEnvironment environmentFromJson(const QJsonObject &o);

} // namespace paperlab
