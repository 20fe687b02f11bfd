// Length-delimited framing: varint length, then the payload. Independent of protobuf so a
// client (the Qt app reading a QProcess, a test) can split a byte stream into frames itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace paperlab::kernels::runner {

// Frames larger than this are treated as a corrupt stream (nothing legitimate comes close).
constexpr std::size_t kMaxFrameBytes = 64u << 20;

std::string encodeFrame(std::string_view payload);

// Accumulates bytes as they arrive and hands out complete frames.
class FrameReader {
public:
    void feed(std::string_view bytes) { buffer_.append(bytes); }
    // A complete frame, or nothing yet. Sets failed() on a bad varint or an oversized length:
    // after that the stream cannot be resynchronised.
    std::optional<std::string> next();
    bool failed() const { return failed_; }
    const std::string &failure() const { return failure_; }
    std::size_t buffered() const { return buffer_.size(); }

private:
    std::string buffer_;
    bool failed_ = false;
    std::string failure_;
};

} // namespace paperlab::kernels::runner
