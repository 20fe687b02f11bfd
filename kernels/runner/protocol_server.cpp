#include "runner/protocol_server.h"

#include "core/devices.h"
#include "core/registry.h"
#include "core/run_executor.h"
#include "runner/environment_probe.h"
#include "runner/protocol.h"
#include "runner/runner_version.h"

#include <atomic>
#include <cerrno>
#include <mutex>
#include <thread>
#include <unistd.h>

namespace paperlab::kernels::runner {

namespace {

constexpr std::size_t kMaxRequestIdBytes = 256;

class ProtocolServer {
public:
    ProtocolServer(int inFd, int outFd)
        : in_(inFd)
        , out_(outFd)
    {}

    int serve()
    {
        pb::ServerMessage hello;
        hello.mutable_hello()->set_protocol_version(kProtocolVersion);
        hello.mutable_hello()->set_runner_version(PAPERLAB_RUNNER_VERSION);
#ifdef PAPERLAB_KERNELS_HAVE_CUDA
        hello.mutable_hello()->set_cuda_built(true);
#endif
        send(hello);

        FrameReader reader;
        char buf[65536];
        int exitCode = 0;
        for (;;) {
            ssize_t n = ::read(in_, buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break; // stdin closed: the client is gone, so is any reason to keep running
            reader.feed(std::string_view(buf, std::size_t(n)));
            while (auto frame = reader.next())
                handleFrame(*frame);
            if (reader.failed()) {
                sendError(RunError{ErrorCode::MalformedMessage, "", "unreadable stream: " + reader.failure()}, "");
                exitCode = 3;
                break;
            }
        }
        cancel_.cancel();
        if (worker_.joinable())
            worker_.join();
        return exitCode;
    }

private:
    void send(const pb::ServerMessage &message)
    {
        const std::string frame = encodeMessage(message);
        std::lock_guard<std::mutex> lock(outMutex_);
        std::size_t done = 0;
        while (done < frame.size()) {
            ssize_t n = ::write(out_, frame.data() + done, frame.size() - done);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return; // reader gone (EPIPE): nothing useful left to do with output
            done += std::size_t(n);
        }
    }

    void sendError(const RunError &e, const std::string &requestId)
    {
        pb::ServerMessage m;
        *m.mutable_error() = toProto(e, requestId);
        send(m);
    }

    void handleFrame(const std::string &frame)
    {
        pb::ClientMessage msg;
        if (!decodeMessage(frame, msg)) {
            sendError(
                RunError{ErrorCode::MalformedMessage, "",
                         "could not parse a ClientMessage from a " + std::to_string(frame.size()) + "-byte frame"},
                "");
            return;
        }
        switch (msg.msg_case()) {
        case pb::ClientMessage::kListKernels: {
            pb::ServerMessage m;
            for (const auto &k : allKernels())
                *m.mutable_kernels()->add_kernels() = toProto(k, true);
            send(m);
            return;
        }
        case pb::ClientMessage::kListDevices: {
            pb::ServerMessage m;
            *m.mutable_devices() = toProto(listDevices());
            send(m);
            return;
        }
        case pb::ClientMessage::kCancel:
            if (busy_.load())
                cancel_.cancel();
            return;
        case pb::ClientMessage::kRun:
            startRun(msg.run());
            return;
        case pb::ClientMessage::MSG_NOT_SET:
            break;
        }
        sendError(RunError{ErrorCode::BadRequest, "", "ClientMessage carries no request"}, "");
    }

    void startRun(const pb::RunRequest &request)
    {
        // A request id is the client's label, echoed in every reply; an oversized one is
        // refused without echoing it (a stream of megabyte ids would be echoed per point).
        if (request.request_id().size() > kMaxRequestIdBytes) {
            sendError(RunError{ErrorCode::BadRequest, "request_id",
                               "request id of " + std::to_string(request.request_id().size()) + " bytes; at most " +
                                   std::to_string(kMaxRequestIdBytes) + " are accepted"},
                      "");
            return;
        }
        const std::string id = request.request_id();
        if (busy_.load()) {
            sendError(RunError{ErrorCode::BadRequest, "request_id", "a run is already in progress"}, id);
            return;
        }
        PreparedRun run;
        if (auto err = prepareRun(fromProto(request), run)) {
            sendError(*err, id);
            return;
        }
        if (worker_.joinable())
            worker_.join(); // the previous run has finished (busy_ is false)
        cancel_.reset();
        busy_.store(true);
        worker_ = std::thread([this, run = std::move(run), id] {
            RunCallbacks callbacks;
            callbacks.progress = [&](int done, int total, const std::string &stage) {
                pb::ServerMessage m;
                auto *p = m.mutable_progress();
                p->set_request_id(id);
                p->set_done(done);
                p->set_total(total);
                p->set_stage(stage);
                send(m);
            };
            callbacks.point = [&](const PointResult &r) {
                pb::ServerMessage m;
                *m.mutable_point() = toProto(r, id);
                send(m);
            };
            ProbeOptions probe;
            probe.warmup = run.request.warmup;
            probe.repetitions = run.request.repetitions;
            const int total = int(run.points.size() * run.variants.size());
            probe.progress = [&](const std::string &stage) { callbacks.progress(0, total, stage); };
            RunEnvironment env = beginEnvironment(run.device, probe);
            RunSummary s = executeRun(run, callbacks, cancel_);
            finishEnvironment(env);
            pb::ServerMessage m;
            *m.mutable_summary() = toProto(s, id);
            *m.mutable_summary()->mutable_environment() = toProto(env);
            // Free before the Summary goes out: a client may send its next RunRequest the
            // moment it reads it (startRun joins this thread before starting another).
            busy_.store(false);
            send(m);
        });
    }

    int in_, out_;
    std::mutex outMutex_;
    std::thread worker_;
    std::atomic<bool> busy_{false};
    CancelToken cancel_;
};

} // namespace

int serveProtocol(int inFd, int outFd)
{
    ProtocolServer server(inFd, outFd);
    return server.serve();
}

} // namespace paperlab::kernels::runner
