#pragma once
// Claims between their value type and PaperInfo.claims (field 106) of paper.proto.

#include "claim.h"

namespace google::protobuf {
class Message;
}
namespace efficient_paper {
class Claim;
class PaperInfo;
} // namespace efficient_paper

namespace paperlab {

struct ImportBatch;

Claim claimFromProto(const efficient_paper::Claim &m);
void claimToProto(const Claim &c, efficient_paper::Claim *m);

// The claims of a parsed PaperInfo, whatever schema it was parsed with (PaperLab's own or a
// library's dynamic one: each claim is read back through its wire form, so a schema whose
// Claim has fields PaperLab lacks loses only those). A claim with problems is kept, with a
// warning naming `file` and the line of its block in `text` (the file's text): the user
// fixes it in the editor, nothing is dropped.
QList<Claim> claimsFromPaperInfo(const google::protobuf::Message &info, const QString &text, const QString &file,
                                 ImportBatch &batch);

// `claims` as top-level PaperInfo text ("claims {\n  metric: ...\n}\n" each), ready to go
// into a prototxt file.
QString claimsText(const QList<Claim> &claims);

// `prototxt` with its top-level `claims { ... }` fields replaced by `claims`: everything
// else in the file stays byte for byte. The file's text when it holds no claims and
// `claims` is empty.
QString replaceClaimsInPrototxt(const QString &prototxt, const QList<Claim> &claims);

} // namespace paperlab
