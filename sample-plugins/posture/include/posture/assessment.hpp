// The whole assessment of one host: every check family in turn, a score, and the failed checks
// in order of severity.
#pragma once

#include <chrono>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "posture/check.hpp"
#include "posture/file_walk.hpp"
#include "posture/proc_net.hpp"
#include "posture/root_fs.hpp"

namespace posture {

struct AssessOptions {
  WalkLimits walk;                  // walk.max_entries 0 turns the file walk off
  std::function<bool()> cancelled;  // polled between steps and in the walk
  std::function<void(double, const std::string&)> progress;  // fraction 0..1 and a step name
};

struct Assessment {
  std::string root;
  bool live = false;
  std::vector<CheckResult> checks;  // ssh, password, sysctl, files, updates, firewall, network
  std::vector<Listener> listeners;
  bool walk_ran = false;
  WalkResult walk;
  WalkLimits walk_limits;
  int score = 100;
  std::chrono::milliseconds elapsed{0};
};

// Thrown when options.cancelled() turns true: the caller no longer wants the result.
class Cancelled : public std::runtime_error {
 public:
  Cancelled() : std::runtime_error("the assessment was cancelled") {}
};

Assessment assess(const RootFs& fs, const AssessOptions& options = {});

// 0-100: the share of the applicable checks (pass or fail) that pass, each weighed by its
// severity (critical 10, high 6, medium 3, low 1); 100 when none applies.
int posture_score(const std::vector<CheckResult>& checks);
int severity_weight(Severity severity);

// The failed checks, most severe first (checks of equal severity keep their order).
std::vector<const CheckResult*> prioritized_risks(const std::vector<CheckResult>& checks);

}  // namespace posture
