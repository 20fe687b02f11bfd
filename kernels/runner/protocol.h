// Client/runner helpers for runner.proto: frames in and out, and conversion between the
// wire messages and the library's plain structs. No Qt: the app wraps these around QProcess.
#pragma once

#include "core/devices.h"
#include "core/kernel_spec.h"
#include "core/run_environment.h"
#include "runner.pb.h"
#include "runner/frame_codec.h"

#include <optional>
#include <string>
#include <string_view>

namespace paperlab::kernels::runner {

namespace pb = ::paperlab::runner;

constexpr unsigned kProtocolVersion = 1;

std::string encodeMessage(const google::protobuf::MessageLite &message); // one frame
bool decodeMessage(std::string_view frame, google::protobuf::MessageLite &message);

pb::RunRequest toProto(const RunRequest &r);
RunRequest fromProto(const pb::RunRequest &r);
pb::Error toProto(const RunError &e, const std::string &requestId = {});
RunError fromProto(const pb::Error &e);
// `askAvailability`: fill each variant's unavailable reason (may start the baseline helper,
// so only the runner asks; the app's local listing does not).
pb::KernelSpec toProto(const KernelSpec &k, bool askAvailability = false);
pb::DeviceList toProto(const DeviceReport &d);
pb::PointResult toProto(const PointResult &r, const std::string &requestId = {});
PointResult fromProto(const pb::PointResult &r);
pb::Summary toProto(const RunSummary &s, const std::string &requestId = {});
pb::RunEnvironment toProto(const RunEnvironment &e);
RunEnvironment fromProto(const pb::RunEnvironment &e);

} // namespace paperlab::kernels::runner
