#pragma once
// The values of the swept parameter: typed as a list, or a range with linear or
// geometric (log) steps.

#include <QString>
#include <QStringList>

namespace paperlab::playground {

struct SweepSpec {
    enum class Mode { List, Linear, Log };
    Mode mode = Mode::List;
    QString list; // List: "128, 256 512" (commas and/or spaces)
    double from = 0;
    double to = 0;
    int steps = 0; // number of values, ends included (>= 2 for ranges)
};

struct SweepValues {
    QStringList values;
    QString error;          // why no values could be made
    bool geometric = false; // a log axis suits these values
};

// `integer`: round to whole numbers (and drop repeats) for Int parameters.
SweepValues sweepValues(const SweepSpec &spec, bool integer);

// True when the numbers grow by a roughly constant ratio (e.g. 512, 1024, 2048): the chart
// then uses a log x axis even for a typed list.
bool looksGeometric(const QList<double> &xs);

} // namespace paperlab::playground
