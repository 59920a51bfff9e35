#include "posture/sysctl_checks.hpp"

#include <optional>

#include "text_util.hpp"

namespace posture {
namespace {

constexpr std::string_view kFamily = "sysctl";

// One parameter a check wants, its acceptable values and the kernel's own default (used when
// nothing sets it and the running value cannot be read).
struct Wanted {
  std::string_view key;
  std::int64_t value;
  bool at_least;  // value or more is fine (else exactly value)
  std::int64_t kernel_default;
  // A kernel build option that sets the default to 1 when "=y" (kernel_default is mainline's).
  std::string_view build_option = {};

  bool accepts(std::int64_t seen) const { return at_least ? seen >= value : seen == value; }
  std::string describe() const { return std::to_string(value) + (at_least ? " or more" : ""); }
};

struct SysctlRule {
  CheckInfo info;
  std::vector<Wanted> wanted;
};

const std::vector<SysctlRule>& rules() {
  static const std::vector<SysctlRule> table = {
      {{"sysctl.ip_forward", "IP forwarding is disabled", kFamily,
        "CIS Debian Linux 12 v1.0.1 3.3.1 Ensure ip forwarding is disabled", Severity::medium,
        "Unless this host routes packets (a router, VPN gateway or container host), set "
        "'net.ipv4.ip_forward = 0' and 'net.ipv6.conf.all.forwarding = 0' in "
        "/etc/sysctl.d/60-netipv4.conf and run 'sysctl --system'."},
       {{"net.ipv4.ip_forward", 0, false, 0}, {"net.ipv6.conf.all.forwarding", 0, false, 0}}},
      {{"sysctl.send_redirects", "ICMP redirects are not sent", kFamily,
        "CIS Debian Linux 12 v1.0.1 3.3.2 Ensure packet redirect sending is disabled",
        Severity::medium,
        "Set 'net.ipv4.conf.all.send_redirects = 0' and 'net.ipv4.conf.default.send_redirects "
        "= 0' in /etc/sysctl.d/60-netipv4.conf and run 'sysctl --system'."},
       {{"net.ipv4.conf.all.send_redirects", 0, false, 1},
        {"net.ipv4.conf.default.send_redirects", 0, false, 1}}},
      {{"sysctl.accept_redirects", "ICMP redirects are not accepted", kFamily,
        "CIS Debian Linux 12 v1.0.1 3.3.5 Ensure icmp redirects are not accepted", Severity::medium,
        "Set net.ipv4.conf.all.accept_redirects, net.ipv4.conf.default.accept_redirects, "
        "net.ipv6.conf.all.accept_redirects and net.ipv6.conf.default.accept_redirects to 0 in "
        "/etc/sysctl.d/60-netipv4.conf and run 'sysctl --system'."},
       {{"net.ipv4.conf.all.accept_redirects", 0, false, 1},
        {"net.ipv4.conf.default.accept_redirects", 0, false, 1},
        {"net.ipv6.conf.all.accept_redirects", 0, false, 1},
        {"net.ipv6.conf.default.accept_redirects", 0, false, 1}}},
      {{"sysctl.accept_source_route", "Source-routed packets are not accepted", kFamily,
        "CIS Debian Linux 12 v1.0.1 3.3.8 Ensure source routed packets are not accepted",
        Severity::medium,
        "Set net.ipv4.conf.all.accept_source_route, net.ipv4.conf.default.accept_source_route, "
        "net.ipv6.conf.all.accept_source_route and net.ipv6.conf.default.accept_source_route "
        "to 0 in /etc/sysctl.d/60-netipv4.conf and run 'sysctl --system'."},
       {{"net.ipv4.conf.all.accept_source_route", 0, false, 0},
        {"net.ipv4.conf.default.accept_source_route", 0, false, 1},
        {"net.ipv6.conf.all.accept_source_route", 0, false, 0},
        {"net.ipv6.conf.default.accept_source_route", 0, false, 0}}},
      {{"sysctl.rp_filter", "Reverse path filtering is enabled", kFamily,
        "CIS Debian Linux 12 v1.0.1 3.3.7 Ensure reverse path filtering is enabled", Severity::low,
        "Set 'net.ipv4.conf.all.rp_filter = 1' and 'net.ipv4.conf.default.rp_filter = 1' in "
        "/etc/sysctl.d/60-netipv4.conf and run 'sysctl --system'."},
       {{"net.ipv4.conf.all.rp_filter", 1, false, 0},
        {"net.ipv4.conf.default.rp_filter", 1, false, 0}}},
      {{"sysctl.tcp_syncookies", "TCP SYN cookies are enabled", kFamily,
        "CIS Debian Linux 12 v1.0.1 3.3.10 Ensure tcp syn cookies is enabled", Severity::medium,
        "Set 'net.ipv4.tcp_syncookies = 1' in /etc/sysctl.d/60-netipv4.conf and run 'sysctl "
        "--system'."},
       {{"net.ipv4.tcp_syncookies", 1, false, 1}}},
      {{"sysctl.randomize_va_space", "Address space layout randomization is full", kFamily,
        "CIS Debian Linux 12 v1.0.1 1.5.1 Ensure address space layout randomization (ASLR) is "
        "enabled",
        Severity::high,
        "Set 'kernel.randomize_va_space = 2' in /etc/sysctl.d/60-kernel.conf and run 'sysctl "
        "--system'."},
       {{"kernel.randomize_va_space", 2, false, 2}}},
      {{"sysctl.dmesg_restrict", "Only privileged users can read the kernel log", kFamily,
        "No CIS recommendation; Linux admin-guide sysctl/kernel and the Kernel Self Protection "
        "Project's recommended settings (kernel.dmesg_restrict = 1)",
        Severity::low,
        "Set 'kernel.dmesg_restrict = 1' in /etc/sysctl.d/60-kernel.conf and run 'sysctl "
        "--system'."},
       {{"kernel.dmesg_restrict", 1, false, 0, "CONFIG_SECURITY_DMESG_RESTRICT"}}},
      {{"sysctl.suid_dumpable", "Set-user-ID programs do not dump core", kFamily,
        "CIS Debian Linux 12 v1.0.1 1.5.3 Ensure core dumps are restricted", Severity::medium,
        "Set 'fs.suid_dumpable = 0' in /etc/sysctl.d/60-kernel.conf and run 'sysctl --system' "
        "(CIS also asks for '* hard core 0' in /etc/security/limits.d/)."},
       {{"fs.suid_dumpable", 0, false, 0}}},
      {{"sysctl.kptr_restrict", "Kernel pointers are hidden from unprivileged users", kFamily,
        "No CIS recommendation; Linux admin-guide sysctl/kernel and the Kernel Self Protection "
        "Project's recommended settings (kernel.kptr_restrict = 2; 1 is accepted here)",
        Severity::low,
        "Set 'kernel.kptr_restrict = 2' (or 1) in /etc/sysctl.d/60-kernel.conf and run 'sysctl "
        "--system'."},
       {{"kernel.kptr_restrict", 1, true, 0}}},
  };
  return table;
}

std::string proc_path(std::string_view key) {
  std::string path = "/proc/sys/" + std::string(key);
  for (size_t i = 10; i < path.size(); ++i)
    if (path[i] == '.') path[i] = '/';
  return path;
}

// The value a parameter has after boot when no sysctl file sets it, and where that comes from;
// nullopt when it depends on a kernel build that cannot be seen.
struct BootDefault {
  std::optional<std::int64_t> value;
  std::string source;
};

BootDefault boot_default(const RootFs& fs, const Wanted& wanted) {
  if (wanted.build_option.empty())
    return {wanted.kernel_default, "the kernel default " + std::to_string(wanted.kernel_default)};
  // The build's config: the running release's when live, else any kernel installed in /boot.
  std::vector<std::string> configs;
  if (fs.is_live()) {
    const FileText release = fs.read("/proc/sys/kernel/osrelease");
    if (release.state == FileText::State::ok)
      configs.push_back("/boot/config-" + std::string(trim(release.text)));
  } else {
    configs = fs.glob("/boot/config-*");
  }
  const std::string option(wanted.build_option);
  for (const auto& path : configs) {
    const FileText config = fs.read(path);
    if (config.state != FileText::State::ok) continue;
    for (const auto& line : split_lines(config.text)) {
      if (line.text == option + "=y")
        return {1, "the kernel build's default 1 (" + option + "=y in " + path + ")"};
      if (line.text == "# " + option + " is not set")
        return {0, "the kernel build's default 0 (" + option + " is not set in " + path + ")"};
    }
  }
  if (fs.is_live()) return {std::nullopt, ""};
  return {wanted.kernel_default, "the mainline kernel default " +
                                     std::to_string(wanted.kernel_default) + " (" + option +
                                     " decides it; no /boot/config-* says how it was built)"};
}

// How one parameter fares, and what was seen of it.
struct KeyOutcome {
  bool good = true;
  std::string problem;  // when not good
  std::string value;    // the value that decides: running, else set at boot, else the default
  std::vector<Evidence> evidence;
};

KeyOutcome assess_key(const RootFs& fs, const SysctlConfig& config, const Wanted& wanted) {
  KeyOutcome outcome;
  const std::string key(wanted.key);
  const SysctlEntry* entry = config.lookup(key);
  std::optional<std::int64_t> configured;
  if (entry) {
    configured = parse_integer(entry->value);
    Evidence evidence{entry->file, entry->line, entry->text, "set at boot"};
    if (entry->glob) evidence.note = "set at boot by this pattern";
    if (!configured) {
      outcome.good = false;
      outcome.problem = key + " is set to '" + entry->value + "', not a number";
      evidence.note = "not a number: the kernel rejects it";
    } else if (!wanted.accepts(*configured)) {
      outcome.good = false;
      outcome.problem = key + " is set to " + std::to_string(*configured) + " at boot (want " +
                        wanted.describe() + ")";
    }
    outcome.evidence.push_back(std::move(evidence));
  }

  std::optional<std::int64_t> running;
  if (fs.is_live()) {
    const FileText live = fs.read(proc_path(key));
    if (live.state == FileText::State::ok) running = parse_integer(live.text);
    if (running) {
      outcome.evidence.push_back({proc_path(key), 0, std::to_string(*running), "running value"});
      if (!wanted.accepts(*running)) {
        const std::string now = std::to_string(*running);
        const std::string want = " (want " + wanted.describe() + ")";
        if (configured && !wanted.accepts(*configured))
          outcome.problem =
              key + " is " + now + " now and " + std::to_string(*configured) + " at boot" + want;
        else if (configured)
          outcome.problem = key + " is " + now + " now" + want + ", though the sysctl files set " +
                            std::to_string(*configured) + ": not applied since boot";
        else
          outcome.problem = key + " is " + now + " now" + want;
        outcome.good = false;
      }
    } else if (live.state == FileText::State::missing && key.starts_with("net.ipv6.")) {
      outcome.evidence.push_back({proc_path(key), 0, "missing", "IPv6 is disabled in the kernel"});
      return outcome;
    }
  }

  const BootDefault fallback = boot_default(fs, wanted);
  outcome.value = running      ? std::to_string(*running)
                  : configured ? std::to_string(*configured)
                               : std::to_string(fallback.value.value_or(wanted.kernel_default));
  if (entry) return outcome;
  if (!running) {
    const std::int64_t value = fallback.value.value_or(wanted.kernel_default);
    outcome.evidence.push_back({"/etc/sysctl.d", 0, key + " not set",
                                "no sysctl file sets it, so " + fallback.source + " applies"});
    if (!wanted.accepts(value)) {
      outcome.good = false;
      outcome.problem =
          key + " is not set, and " + fallback.source + " applies (want " + wanted.describe() + ")";
    }
  } else if (outcome.good && fallback.value && !wanted.accepts(*fallback.value)) {
    // Right now, but set by hand: the next boot brings the default back.
    outcome.good = false;
    outcome.problem = key + " is " + std::to_string(*running) +
                      " now, but no sysctl file sets it, so at boot " + fallback.source +
                      " returns (want " + wanted.describe() + ")";
    outcome.evidence.back().note += "; no sysctl file sets it";
  } else if (outcome.good) {
    outcome.evidence.back().note +=
        "; no sysctl file sets it, so it relies on " +
        (fallback.value ? fallback.source : "the kernel build's default");
  }
  return outcome;
}

}  // namespace

std::vector<CheckResult> check_sysctl(const RootFs& fs, const SysctlConfig& config) {
  std::vector<CheckResult> results;
  for (const auto& rule : rules()) {
    CheckResult result = make_result(rule.info, Status::pass, "");
    std::vector<std::string> problems;
    std::vector<std::string> values;
    for (const auto& wanted : rule.wanted) {
      KeyOutcome outcome = assess_key(fs, config, wanted);
      values.push_back(std::string(wanted.key) + " = " + outcome.value);
      if (!outcome.good) problems.push_back(outcome.problem);
      result.evidence.insert(result.evidence.end(), outcome.evidence.begin(),
                             outcome.evidence.end());
    }
    if (problems.empty()) {
      result.detail = join(values) + (fs.is_live() ? ", now and at boot" : " at boot");
    } else {
      result.status = Status::fail;
      result.detail = join(problems, "; ");
    }
    results.push_back(std::move(result));
  }
  // Lines systemd-sysctl skips are worth seeing next to the parameter they meant to set.
  for (const auto& note : config.notes)
    for (size_t i = 0; i < results.size(); ++i)
      for (const auto& wanted : rules()[i].wanted)
        if (note.value.find(wanted.key) != std::string::npos) results[i].evidence.push_back(note);
  return results;
}

}  // namespace posture
