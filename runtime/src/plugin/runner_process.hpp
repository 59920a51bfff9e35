// Starting and ending secpilot-runner children: the socket pair, a clean start (own process
// group, fd 3 the socket, fd 4 the poke eventfd, nothing else inherited, an empty environment so no daemon secret
// leaks), and the words for how a child ended.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include "secpilot/util/expected.hpp"

namespace secpilot::plugin {

struct RunnerChild {
  pid_t pid = -1;
  int fd = -1;       // the daemon's end of the socket pair
  int poke_fd = -1;  // an eventfd shared with the child: wakes its watcher (runner_host.hpp)
};

// Starts `program` with `arguments` (argv[1..]). Every child is started from one long-lived
// thread: the child's parent-death signal follows the thread that started it, not the process.
Expected<RunnerChild> spawn_runner(const std::filesystem::path& program,
                                   const std::vector<std::string>& arguments);

// "crashed with SIGSEGV (segmentation fault)", "exited with status 3", ... from waitpid's status.
std::string describe_exit(int wait_status);

}  // namespace secpilot::plugin
