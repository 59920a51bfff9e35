// File permission checks from one walk of the root file system (CIS Debian Linux 12 v1.0.1
// 7.1.11 and 7.1.13): world-writable files and folders without the sticky bit, and
// set-user-ID/set-group-ID files that a stock Debian or Ubuntu system does not ship.
#pragma once

#include <string_view>
#include <vector>

#include "posture/check.hpp"
#include "posture/file_walk.hpp"

namespace posture {

std::vector<CheckResult> check_files(const WalkResult& walk);

// The checks when the walk was turned off (MaxFiles 0).
std::vector<CheckResult> skipped_file_checks();

// Whether a set-user-ID/set-group-ID file at this host path is one Debian or Ubuntu packages
// install with that bit (/bin and /sbin count as /usr/bin and /usr/sbin).
bool is_expected_setid(std::string_view host_path);

}  // namespace posture
