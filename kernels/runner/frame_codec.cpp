#include "runner/frame_codec.h"

namespace paperlab::kernels::runner {

std::string encodeFrame(std::string_view payload)
{
    std::string out;
    std::uint64_t n = payload.size();
    do {
        std::uint8_t byte = n & 0x7f;
        n >>= 7;
        out.push_back(char(n ? byte | 0x80 : byte));
    } while (n);
    out.append(payload);
    return out;
}

std::optional<std::string> FrameReader::next()
{
    if (failed_)
        return std::nullopt;
    std::uint64_t length = 0;
    std::size_t pos = 0;
    for (int shift = 0;; shift += 7) {
        if (pos >= buffer_.size())
            return std::nullopt; // varint not complete yet
        if (shift > 63) {
            failed_ = true;
            failure_ = "frame length varint is longer than 10 bytes";
            return std::nullopt;
        }
        std::uint8_t byte = std::uint8_t(buffer_[pos++]);
        length |= std::uint64_t(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            break;
    }
    if (length > kMaxFrameBytes) {
        failed_ = true;
        failure_ = "frame length " + std::to_string(length) + " exceeds the limit of " +
                   std::to_string(kMaxFrameBytes) + " bytes";
        return std::nullopt;
    }
    if (buffer_.size() - pos < length)
        return std::nullopt;
    std::string frame = buffer_.substr(pos, length);
    buffer_.erase(0, pos + length);
    return frame;
}

} // namespace paperlab::kernels::runner
