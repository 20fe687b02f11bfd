#pragma once
// PaperRecord <-> JSON, the form provenance keeps of what each source said.

#include "paperrecord.h"

#include <QJsonObject>

namespace paperlab {

QJsonObject recordToJson(const PaperRecord &record);
PaperRecord recordFromJson(const QJsonObject &json);

} // namespace paperlab
