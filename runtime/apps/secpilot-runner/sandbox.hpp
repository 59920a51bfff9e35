// The confinement secpilot-runner puts itself in before it maps a plugin library: what a plugin's
// code may do once it runs (docs/security.md, "The runner's sandbox").
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "secpilot/util/sanitizers.hpp"

namespace secpilot::runner {

// AddressSanitizer and ThreadSanitizer reserve terabytes of shadow address space at start: under
// them an address-space limit would fail every allocation, so sanitizer builds of the runner go
// without one (and the test of that limit is skipped there).
inline constexpr bool kAddressSpaceLimit = !(SECPILOT_ASAN || SECPILOT_TSAN);

struct SandboxOptions {
  std::uint64_t memory_mb = 512;    // address space (RLIMIT_AS); 0 = unlimited
  std::uint64_t cpu_seconds = 0;    // RLIMIT_CPU; 0 = unlimited (calls have their own timeouts)
  std::uint64_t open_files = 256;   // RLIMIT_NOFILE
  bool allow_network = false;       // sockets other than AF_UNIX
  bool allow_processes = false;     // fork, vfork, clone without CLONE_THREAD, execve
  std::optional<std::string> user;  // switch to this user (when started as root)
};

// Process-wide limits that need no filter: no core dumps, no new privileges, not dumpable (no
// ptrace or /proc/<pid>/mem by a sibling runner), resource limits, the optional user switch.
// Returns an error message, or empty on success.
std::string confine_process(const SandboxOptions& options);

// The seccomp filter (libseccomp): denies, with EPERM, network sockets and process creation
// unless allowed, and ptrace and friends always. Installed last, before the library is mapped.
std::string install_syscall_filter(const SandboxOptions& options);

}  // namespace secpilot::runner
