// The runner's wire: a byte stream split into length-delimited frames, each decoded as the
// message either side expects (the app reads ServerMessage, the runner ClientMessage), and
// a decoded run request validated exactly as the runner does before it runs anything.
// No Qt here, like the runner itself.

#include "core/run_executor.h"
#include "runner/protocol.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace kr = paperlab::kernels::runner;

namespace {

void require(bool ok, const char *what)
{
    if (ok)
        return;
    std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
    std::abort();
}

void decodeBothWays(const std::string &frame)
{
    kr::pb::ServerMessage server;
    if (kr::decodeMessage(frame, server)) {
        if (server.has_point())
            (void)kr::fromProto(server.point());
        if (server.has_error())
            (void)kr::fromProto(server.error());
    }
    kr::pb::ClientMessage client;
    if (kr::decodeMessage(frame, client) && client.has_run()) {
        paperlab::kernels::PreparedRun prepared;
        (void)paperlab::kernels::prepareRun(kr::fromProto(client.run()), prepared);
    }
}

} // namespace

// The first byte picks the size of the pieces the stream arrives in (a pipe hands the
// reader arbitrary pieces); the rest is the stream.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    const std::size_t piece = std::size_t(data[0]) + 1;
    const std::string_view stream(reinterpret_cast<const char *>(data + 1), size - 1);

    kr::FrameReader reader;
    std::size_t framedBytes = 0;
    for (std::size_t at = 0; at < stream.size() && !reader.failed(); at += piece) {
        reader.feed(stream.substr(at, piece));
        while (auto frame = reader.next()) {
            framedBytes += frame->size();
            require(framedBytes <= stream.size(), "frames hold more bytes than the stream");
            // Re-encoding a frame and reading it back must give the same bytes.
            kr::FrameReader again;
            again.feed(kr::encodeFrame(*frame));
            const auto back = again.next();
            require(back && *back == *frame && again.buffered() == 0, "frame does not round-trip");
            decodeBothWays(*frame);
        }
    }
    if (reader.failed()) {
        require(!reader.failure().empty(), "failed stream without a reason");
        require(!reader.next(), "a failed reader handed out another frame");
    }
    return 0;
}
