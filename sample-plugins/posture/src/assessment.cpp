#include "posture/assessment.hpp"

#include <algorithm>
#include <cmath>

#include "posture/apt_config.hpp"
#include "posture/file_checks.hpp"
#include "posture/firewall_checks.hpp"
#include "posture/listener_checks.hpp"
#include "posture/password_checks.hpp"
#include "posture/ssh_checks.hpp"
#include "posture/sshd_config.hpp"
#include "posture/sysctl_checks.hpp"
#include "posture/update_checks.hpp"

namespace posture {

int severity_weight(Severity severity) {
  switch (severity) {
    case Severity::critical:
      return 10;
    case Severity::high:
      return 6;
    case Severity::medium:
      return 3;
    case Severity::low:
      return 1;
    case Severity::info:
      return 0;
  }
  return 0;
}

int posture_score(const std::vector<CheckResult>& checks) {
  int possible = 0, earned = 0;
  for (const auto& check : checks) {
    if (check.status != Status::pass && check.status != Status::fail) continue;
    possible += severity_weight(check.severity);
    if (check.status == Status::pass) earned += severity_weight(check.severity);
  }
  if (possible == 0) return 100;
  return static_cast<int>(std::lround(100.0 * earned / possible));
}

std::vector<const CheckResult*> prioritized_risks(const std::vector<CheckResult>& checks) {
  std::vector<const CheckResult*> risks;
  for (const auto& check : checks)
    if (check.status == Status::fail) risks.push_back(&check);
  std::stable_sort(risks.begin(), risks.end(), [](const CheckResult* a, const CheckResult* b) {
    return a->severity > b->severity;
  });
  return risks;
}

Assessment assess(const RootFs& fs, const AssessOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  Assessment assessment;
  assessment.root = fs.root().string();
  assessment.live = fs.is_live();
  assessment.walk_limits = options.walk;
  auto step = [&](double fraction, const char* name) {
    if (options.cancelled && options.cancelled()) throw Cancelled();
    if (options.progress) options.progress(fraction, name);
  };
  auto add = [&](std::vector<CheckResult> results) {
    for (auto& result : results)
      assessment.checks.push_back(std::move(result));
  };

  step(0.0, "sshd configuration");
  add(check_ssh(load_sshd_config(fs)));
  step(0.05, "password and lockout policy");
  add(check_password_policy(fs));
  step(0.1, "kernel parameters");
  add(check_sysctl(fs, load_sysctl_config(fs)));
  step(0.15, "file permissions");
  if (options.walk.max_entries > 0) {
    assessment.walk = walk_root(fs, options.walk, options.cancelled);
    assessment.walk_ran = true;
    if (assessment.walk.stopped_by == "cancelled") throw Cancelled();
    add(check_files(assessment.walk));
  } else {
    add(skipped_file_checks());
  }
  step(0.9, "automatic updates");
  assessment.checks.push_back(check_unattended_upgrades(fs, load_apt_config(fs)));
  step(0.92, "firewall");
  add(check_firewall(fs));
  step(0.95, "listening services");
  const ListenerScan scan = scan_listeners(fs);
  assessment.checks.push_back(check_listeners(scan));
  assessment.listeners = scan.listeners;

  assessment.score = posture_score(assessment.checks);
  assessment.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  if (options.progress) options.progress(1.0, "done");
  return assessment;
}

}  // namespace posture
