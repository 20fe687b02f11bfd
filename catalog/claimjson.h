#pragma once
// Claims in an imported record's JSON (provenance keeps every record as JSON), with the
// field names of paper.proto's Claim.

#include "claim.h"

#include <QJsonArray>

namespace paperlab {

QJsonArray claimsToJson(const QList<Claim> &claims);
QList<Claim> claimsFromJson(const QJsonArray &array);

} // namespace paperlab
