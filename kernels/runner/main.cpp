// paperlab-runner: runs kernels in a process of its own, so a kernel fault never takes the
// app down. See cli_args.cpp for the command line and runner.proto for the wire protocol.
#include "runner/cli_args.h"
#include "runner/cli_mode.h"
#include "runner/runner_version.h"

#ifdef PAPERLAB_KERNELS_HAVE_PROTOBUF
#include "runner/protocol_server.h"
#endif

#include <csignal>
#include <iostream>

using namespace paperlab::kernels;
using namespace paperlab::kernels::runner;

int main(int argc, char **argv)
{
    // A client that goes away must not kill us mid-write; writes just fail with EPIPE.
    std::signal(SIGPIPE, SIG_IGN);

    CliOptions options;
    if (auto err = parseCli(argc, argv, options)) {
        std::cerr << "paperlab-runner: " << err->message << "\n" << cliUsage();
        return 2;
    }
    switch (options.action) {
    case CliAction::Help:
        std::cout << cliUsage();
        return 0;
    case CliAction::Version:
        std::cout << "paperlab-runner " << PAPERLAB_RUNNER_VERSION << "\n";
        return 0;
    case CliAction::List:
        std::cout << kernelsJson() << "\n"; // JSON is the only listing format: it is for tools
        return 0;
    case CliAction::Devices:
        std::cout << devicesJson() << "\n";
        return 0;
    case CliAction::Probe:
        return probeCli(options);
    case CliAction::Run:
        return runCli(options);
    case CliAction::Protocol:
#ifdef PAPERLAB_KERNELS_HAVE_PROTOBUF
        return serveProtocol(0, 1);
#else
        std::cerr << "paperlab-runner: built without protobuf; --protocol is unavailable\n";
        return 2;
#endif
    }
    return 2;
}
