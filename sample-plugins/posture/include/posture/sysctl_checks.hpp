// Kernel hardening parameters (CIS Debian Linux 12 v1.0.1 sections 1.5 and 3.3, plus two
// Kernel Self Protection Project settings): the value set at boot by the sysctl files and, when
// the root is this machine's "/", the running value in /proc/sys.
#pragma once

#include <vector>

#include "posture/check.hpp"
#include "posture/root_fs.hpp"
#include "posture/sysctl_config.hpp"

namespace posture {

std::vector<CheckResult> check_sysctl(const RootFs& fs, const SysctlConfig& config);

}  // namespace posture
