#include "sandbox.hpp"

#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace secpilot::runner {
namespace {

std::string errno_text(const char* what) {
  return std::string(what) + ": " + std::strerror(errno);
}

bool set_limit(int resource, std::uint64_t value) {
  rlimit limit{static_cast<rlim_t>(value), static_cast<rlim_t>(value)};
  return ::setrlimit(resource, &limit) == 0;
}

std::string switch_user(const std::string& name) {
  if (::geteuid() != 0) return {};  // only root can switch; otherwise we already are someone
  errno = 0;
  const passwd* entry = ::getpwnam(name.c_str());
  if (!entry) return "runner user '" + name + "' does not exist — create it or fix runner.user";
  if (::setgroups(0, nullptr) != 0) return errno_text("setgroups");
  if (::setgid(entry->pw_gid) != 0) return errno_text("setgid");
  if (::setuid(entry->pw_uid) != 0) return errno_text("setuid");
  if (::setuid(0) == 0) return "could not drop root: setuid(0) still succeeds";
  return {};
}

// A condition on a syscall's first argument. libseccomp's SCMP_A0 macro is a C compound literal,
// which clang's -Wpedantic refuses in C++.
scmp_arg_cmp first_argument(scmp_compare op, scmp_datum_t value, scmp_datum_t mask_value = 0) {
  return scmp_arg_cmp{.arg = 0, .op = op, .datum_a = value, .datum_b = mask_value};
}

}  // namespace

std::string confine_process(const SandboxOptions& options) {
  if (!set_limit(RLIMIT_CORE, 0)) return errno_text("RLIMIT_CORE");
  if (kAddressSpaceLimit && options.memory_mb > 0 &&
      !set_limit(RLIMIT_AS, options.memory_mb * 1024 * 1024))
    return errno_text("RLIMIT_AS");
  if (options.cpu_seconds > 0 && !set_limit(RLIMIT_CPU, options.cpu_seconds))
    return errno_text("RLIMIT_CPU");
  if (options.open_files > 0 && !set_limit(RLIMIT_NOFILE, options.open_files))
    return errno_text("RLIMIT_NOFILE");
  if (options.user)
    if (auto failed = switch_user(*options.user); !failed.empty()) return failed;
  if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) return errno_text("PR_SET_DUMPABLE");
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return errno_text("PR_SET_NO_NEW_PRIVS");
  return {};
}

std::string install_syscall_filter(const SandboxOptions& options) {
  using Context = std::unique_ptr<void, void (*)(scmp_filter_ctx)>;
  Context context(::seccomp_init(SCMP_ACT_ALLOW), &::seccomp_release);
  if (!context) return "seccomp_init failed";
  const auto deny = SCMP_ACT_ERRNO(EPERM);
  int failed = 0;
  auto rule = [&](std::uint32_t action, int syscall, unsigned count, auto... conditions) {
    if (::seccomp_rule_add(context.get(), action, syscall, count, conditions...) != 0) ++failed;
  };
  // Always: no debugging or reading other processes.
  rule(deny, SCMP_SYS(ptrace), 0);
  rule(deny, SCMP_SYS(process_vm_readv), 0);
  rule(deny, SCMP_SYS(process_vm_writev), 0);
  if (!options.allow_network) {
    rule(deny, SCMP_SYS(socket), 1, first_argument(SCMP_CMP_NE, AF_UNIX));
    rule(deny, SCMP_SYS(socketpair), 1, first_argument(SCMP_CMP_NE, AF_UNIX));
  }
  if (!options.allow_processes) {
    rule(deny, SCMP_SYS(fork), 0);
    rule(deny, SCMP_SYS(vfork), 0);
    rule(deny, SCMP_SYS(execve), 0);
    rule(deny, SCMP_SYS(execveat), 0);
    // Threads are clone(CLONE_THREAD); anything else is a new process.
    rule(deny, SCMP_SYS(clone), 1, first_argument(SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0));
    // clone3 passes its flags in memory a filter cannot read: make it look absent, and glibc
    // falls back to clone for threads.
    rule(SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
  }
  if (failed) return "could not build the seccomp filter (" + std::to_string(failed) + " rules)";
  if (int error = ::seccomp_load(context.get()); error != 0)
    return std::string("seccomp_load: ") + std::strerror(-error);
  return {};
}

}  // namespace secpilot::runner
