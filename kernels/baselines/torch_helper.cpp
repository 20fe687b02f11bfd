#include "baselines/torch_helper.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <spawn.h>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace paperlab::kernels::baselines {

const char *const kTorchFlash = "torch_flash";
const char *const kTorchCudnn = "torch_cudnn";
const char *const kTorchEfficient = "torch_efficient";
const char *const kFlashInfer = "flashinfer";

namespace {

constexpr int kProbeTimeoutMs = 120000; // a first `import torch` on a cold disk is slow
constexpr int kPointTimeoutMs = 600000; // one point's whole timing loop

std::string jsonString(const std::string &s)
{
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\')
            out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
            continue;
        }
        out += c;
    }
    return out + "\"";
}

std::string dirOf(const std::string &path)
{
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? "." : path.substr(0, slash);
}

bool fileExists(const std::string &path)
{
    struct stat st;
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// Writes `count` 2-byte values; false (with errno's text in `why`) when the disk refuses.
bool writeBits(const std::string &path, const std::uint16_t *data, std::size_t count, std::string &why)
{
    FILE *f = std::fopen(path.c_str(), "wb");
    if (!f) {
        why = "cannot create " + path + ": " + std::strerror(errno);
        return false;
    }
    const bool ok = std::fwrite(data, 2, count, f) == count && std::fflush(f) == 0;
    const int err = errno;
    if (std::fclose(f) != 0 || !ok) {
        why = "cannot write " + path + ": " + std::strerror(ok ? errno : err);
        return false;
    }
    return true;
}

// A private scratch folder for one point's inputs and output, removed when it goes.
struct ScratchDir {
    std::string path;
    ScratchDir()
    {
        const char *tmp = std::getenv("TMPDIR");
        std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/paperlab-baseline-XXXXXX";
        if (::mkdtemp(templ.data()))
            path = templ;
    }
    ~ScratchDir()
    {
        for (const char *name : {"/q.bin", "/k.bin", "/v.bin", "/out.bin"})
            ::unlink((path + name).c_str());
        if (!path.empty())
            ::rmdir(path.c_str());
    }
};

} // namespace

TorchHelper &TorchHelper::instance()
{
    static TorchHelper helper;
    return helper;
}

TorchHelper::~TorchHelper()
{
    stop();
}

std::string TorchHelper::scriptPath()
{
    if (const char *env = std::getenv("PAPERLAB_TORCH_BASELINE"))
        return env;
    char exe[4096];
    const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        const std::string beside = dirOf(std::string(exe, std::size_t(n))) + "/torch_baseline.py";
        if (fileExists(beside))
            return beside;
    }
#ifdef PAPERLAB_BASELINES_SOURCE_DIR
    return std::string(PAPERLAB_BASELINES_SOURCE_DIR) + "/torch_baseline.py";
#else
    return "torch_baseline.py";
#endif
}

bool TorchHelper::ensureStarted(std::string &why)
{
    if (pid_ > 0)
        return true;
    const std::string script = scriptPath();
    if (!fileExists(script)) {
        why = "the baseline helper " + script + " is missing";
        return false;
    }
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) {
        why = std::string("pipe: ") + std::strerror(errno);
        return false;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    // The helper's own chatter (import warnings) must not reach the runner's stderr, which
    // the app shows as the runner's last words.
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    std::string python = "python3";
    char *argv[] = {python.data(), const_cast<char *>(script.c_str()), nullptr};
    pid_t pid = -1;
    const int rc = ::posix_spawnp(&pid, "python3", &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(in[0]);
    ::close(out[1]);
    if (rc != 0) {
        ::close(in[1]);
        ::close(out[0]);
        why = std::string("cannot start python3 for the baselines: ") + std::strerror(rc);
        return false;
    }
    // A dead helper must be an error reply, not our death: once, before the first write.
    std::signal(SIGPIPE, SIG_IGN);
    pid_ = pid;
    toHelper_ = in[1];
    fromHelper_ = out[0];
    buffered_.clear();
    return true;
}

void TorchHelper::stop()
{
    if (pid_ <= 0)
        return;
    ::close(toHelper_);
    ::close(fromHelper_);
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
    toHelper_ = fromHelper_ = -1;
}

bool TorchHelper::sendLine(const std::string &line)
{
    const std::string data = line + "\n";
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(toHelper_, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += std::size_t(n);
    }
    return true;
}

std::optional<std::string> TorchHelper::readLine(int timeoutMs, const CancelToken *cancel, std::string &why)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    for (;;) {
        const auto nl = buffered_.find('\n');
        if (nl != std::string::npos) {
            std::string line = buffered_.substr(0, nl);
            buffered_.erase(0, nl + 1);
            return line;
        }
        if (cancel && cancel->cancelled()) {
            why = "cancelled";
            stop(); // the helper may be mid-point; a fresh one starts next time
            return std::nullopt;
        }
        if (std::chrono::steady_clock::now() > deadline) {
            why = "the baseline helper did not answer within " + std::to_string(timeoutMs / 1000) + " s";
            stop();
            return std::nullopt;
        }
        pollfd p{fromHelper_, POLLIN, 0};
        const int r = ::poll(&p, 1, 100); // short, so that a cancel lands within moments
        if (r < 0 && errno != EINTR) {
            why = std::string("poll: ") + std::strerror(errno);
            stop();
            return std::nullopt;
        }
        if (r <= 0)
            continue;
        char buf[4096];
        const ssize_t n = ::read(fromHelper_, buf, sizeof buf);
        if (n <= 0) {
            why = "the baseline helper (python3 " + scriptPath() + ") exited";
            stop();
            return std::nullopt;
        }
        buffered_.append(buf, std::size_t(n));
    }
}

std::string TorchHelper::unavailableReason(const std::string &backend)
{
    std::lock_guard<std::mutex> lock(mutex_);
    if (!probed_) {
        probed_ = true;
        std::string why;
        if (!ensureStarted(why) || !sendLine("{\"op\": \"probe\"}")) {
            for (const char *b : {kTorchFlash, kTorchCudnn, kTorchEfficient, kFlashInfer})
                unavailable_[b] = why.empty() ? "the baseline helper did not start" : why;
        } else {
            while (auto line = readLine(kProbeTimeoutMs, nullptr, why)) {
                if (*line == "end")
                    break;
                std::istringstream in(*line);
                std::string tag, name, reason;
                in >> tag >> name;
                std::getline(in >> std::ws, reason);
                if (tag == "variant")
                    unavailable_[name] = reason == "ok" ? "" : reason;
            }
            for (const char *b : {kTorchFlash, kTorchCudnn, kTorchEfficient, kFlashInfer})
                if (!unavailable_.count(b))
                    unavailable_[b] = why.empty() ? "the baseline helper did not answer" : why;
        }
    }
    const auto it = unavailable_.find(backend);
    return it == unavailable_.end() ? "unknown baseline '" + backend + "'" : it->second;
}

SdpaResult TorchHelper::run(const SdpaJob &job)
{
    SdpaResult result;
    const auto fail = [&result](ErrorCode code, const std::string &message) {
        result.error = RunError{code, "", message};
        return result;
    };
    const std::string reason = unavailableReason(job.backend);
    if (!reason.empty())
        return fail(ErrorCode::NoDevice, job.backend + " is unavailable here: " + reason);

    ScratchDir scratch;
    if (scratch.path.empty())
        return fail(ErrorCode::Unknown, std::string("cannot make a scratch folder: ") + std::strerror(errno));
    const std::size_t qCount = std::size_t(job.batch) * job.qHeads * job.seqQ * job.headDim;
    const std::size_t kvCount = std::size_t(job.batch) * job.kvHeads * job.seqK * job.headDim;
    std::string why;
    if (!writeBits(scratch.path + "/q.bin", job.q, qCount, why) ||
        !writeBits(scratch.path + "/k.bin", job.k, kvCount, why) ||
        !writeBits(scratch.path + "/v.bin", job.v, kvCount, why))
        return fail(ErrorCode::Unknown, why);

    std::ostringstream req;
    req.precision(17);
    req << "{\"op\": \"sdpa\", \"backend\": " << jsonString(job.backend) << ", \"device\": " << job.device
        << ", \"dtype\": " << (job.dtype == DType::BF16 ? "\"bf16\"" : "\"fp16\"") << ", \"batch\": " << job.batch
        << ", \"q_heads\": " << job.qHeads << ", \"kv_heads\": " << job.kvHeads << ", \"seq_q\": " << job.seqQ
        << ", \"seq_k\": " << job.seqK << ", \"head_dim\": " << job.headDim
        << ", \"causal\": " << (job.causal ? "true" : "false") << ", \"scale\": " << job.scale
        << ", \"q\": " << jsonString(scratch.path + "/q.bin") << ", \"k\": " << jsonString(scratch.path + "/k.bin")
        << ", \"v\": " << jsonString(scratch.path + "/v.bin") << ", \"out\": " << jsonString(scratch.path + "/out.bin")
        << ", \"reps\": " << job.repetitions << ", \"warmup\": " << job.warmup << "}";

    std::optional<std::string> line;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!ensureStarted(why) || !sendLine(req.str()))
            return fail(ErrorCode::Unknown, why.empty() ? "the baseline helper is gone" : why);
        line = readLine(kPointTimeoutMs, job.cancel, why);
    }
    if (!line)
        return fail(why == "cancelled" ? ErrorCode::Cancelled : ErrorCode::Unknown, why);
    std::istringstream in(*line);
    std::string tag;
    in >> tag;
    if (tag == "error") {
        std::string message;
        std::getline(in >> std::ws, message);
        return fail(ErrorCode::Unknown, job.backend + ": " + message);
    }
    if (tag != "times")
        return fail(ErrorCode::Unknown, "unexpected reply from the baseline helper: " + line->substr(0, 200));
    for (double t; in >> t;)
        result.timesMs.push_back(t);

    result.output.resize(qCount);
    std::ifstream outFile(scratch.path + "/out.bin", std::ios::binary);
    if (!outFile.read(reinterpret_cast<char *>(result.output.data()), std::streamsize(qCount * 2)))
        return fail(ErrorCode::Unknown, "the baseline helper's output is missing or short");
    return result;
}

} // namespace paperlab::kernels::baselines
