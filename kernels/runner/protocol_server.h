// The runner's protobuf front end: reads ClientMessage frames from stdin, writes
// ServerMessage frames to stdout. Runs execute on a worker thread so that a Cancel frame
// or the end of stdin is noticed while a kernel is being timed.
#pragma once

namespace paperlab::kernels::runner {

// Serves until stdin closes (exit code 0) or the byte stream cannot be framed (exit 3).
int serveProtocol(int inFd, int outFd);

} // namespace paperlab::kernels::runner
