// Automatic security updates on APT systems: unattended-upgrades installed, turned on in
// /etc/apt/apt.conf.d/20auto-upgrades and pointed at a security origin in
// /etc/apt/apt.conf.d/50unattended-upgrades.
#pragma once

#include "posture/apt_config.hpp"
#include "posture/check.hpp"
#include "posture/root_fs.hpp"

namespace posture {

CheckResult check_unattended_upgrades(const RootFs& fs, const AptConfig& config);

}  // namespace posture
