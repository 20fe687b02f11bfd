#include "runner/cli_args.h"

#include "core/param_set.h"

#include <sstream>

namespace paperlab::kernels::runner {

namespace {

std::vector<std::string> splitList(const std::string &s)
{
    std::vector<std::string> out;
    std::stringstream ss(s);
    for (std::string item; std::getline(ss, item, ',');)
        if (!item.empty())
            out.push_back(item);
    return out;
}

RunError optionError(const std::string &option, const std::string &message)
{
    return RunError{ErrorCode::BadRequest, option, option + ": " + message};
}

} // namespace

const char *cliUsage()
{
    return "usage: paperlab-runner --list [--json]\n"
           "       paperlab-runner --devices [--json]\n"
           "       paperlab-runner --kernel ID [--device cpu|cuda|cuda:N] [--sweep name=v1,v2,...]\n"
           "                       [--set name=value]... [--variants a,b] [--reps N] [--warmup N]\n"
           "                       [--seed N] [--mask] [--json]\n"
           "       paperlab-runner --probe [--device cuda:N] [--reprobe]   (this GPU's environment\n"
           "                       and measured ceilings as JSON; measured once, then cached)\n"
           "       paperlab-runner --protocol   (length-delimited protobuf on stdin/stdout)\n"
           "       paperlab-runner --version\n";
}

std::optional<RunError> parseCli(int argc, char **argv, CliOptions &out)
{
    out = CliOptions{};
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&](std::string &v) -> std::optional<RunError> {
            if (i + 1 >= argc)
                return optionError(arg, "needs a value");
            v = argv[++i];
            return std::nullopt;
        };
        auto integer = [&](int &target, int lo, int hi) -> std::optional<RunError> {
            std::string v;
            if (auto e = value(v))
                return e;
            std::int64_t n = 0;
            if (!parseInt(v, n) || n < lo || n > hi)
                return optionError(arg, "'" + v + "' is not an integer in [" + std::to_string(lo) + ", " +
                                            std::to_string(hi) + "]");
            target = int(n);
            return std::nullopt;
        };
        std::optional<RunError> err;
        std::string v;
        if (arg == "--list") {
            out.action = CliAction::List;
        } else if (arg == "--devices") {
            out.action = CliAction::Devices;
        } else if (arg == "--probe") {
            out.action = CliAction::Probe;
        } else if (arg == "--reprobe") {
            out.reprobe = true;
        } else if (arg == "--protocol") {
            out.action = CliAction::Protocol;
        } else if (arg == "--version") {
            out.action = CliAction::Version;
        } else if (arg == "--help" || arg == "-h") {
            out.action = CliAction::Help;
            return std::nullopt;
        } else if (arg == "--json") {
            out.json = true;
        } else if (arg == "--mask") {
            out.request.wantMask = true; // block-sparse kernels: print each point's block mask
        } else if (arg == "--kernel") {
            err = value(out.request.kernel);
            out.action = CliAction::Run;
        } else if (arg == "--device") {
            err = value(out.request.device);
            out.deviceGiven = true;
        } else if (arg == "--variants") {
            if (!(err = value(v)))
                out.request.variants = splitList(v);
        } else if (arg == "--reps") {
            err = integer(out.request.repetitions, 1, 100000);
        } else if (arg == "--warmup") {
            err = integer(out.request.warmup, 0, 10000);
        } else if (arg == "--seed") {
            int seed = 1;
            if (!(err = integer(seed, 1, 1 << 30)))
                out.request.seed = std::uint64_t(seed);
        } else if (arg == "--set" || arg == "--sweep") {
            if (!(err = value(v))) {
                auto eq = v.find('=');
                if (eq == std::string::npos || eq == 0)
                    err = optionError(arg, "expected name=value, got '" + v + "'");
                else if (arg == "--set")
                    out.request.fixed[v.substr(0, eq)] = v.substr(eq + 1);
                else if (!out.request.sweep.param.empty())
                    err = optionError(arg, "only one parameter can be swept");
                else
                    out.request.sweep = Sweep{v.substr(0, eq), splitList(v.substr(eq + 1))};
            }
        } else {
            err = optionError(arg, "unknown option");
        }
        if (err)
            return err;
    }
    return std::nullopt;
}

} // namespace paperlab::kernels::runner
