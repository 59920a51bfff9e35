// Password ageing (/etc/login.defs), password quality (pam_pwquality with
// /etc/security/pwquality.conf) and account lockout (pam_faillock or pam_tally2 in
// /etc/pam.d/common-auth): CIS Debian Linux 12 v1.0.1 sections 5.3 and 5.4.1.
#pragma once

#include <vector>

#include "posture/check.hpp"
#include "posture/root_fs.hpp"

namespace posture {

std::vector<CheckResult> check_password_policy(const RootFs& fs);

}  // namespace posture
