// OpenSSH server checks (CIS Debian Linux 12 v1.0.1 section 5.1 and older CIS SSH items):
// root login, password and empty-password logins, X11 forwarding, MaxAuthTries, Protocol,
// ClientAlive timeouts and weak Ciphers, MACs and KexAlgorithms.
#pragma once

#include <vector>

#include "posture/check.hpp"
#include "posture/sshd_config.hpp"

namespace posture {

std::vector<CheckResult> check_ssh(const SshdConfig& config);

// sshd's time format ("30", "90s", "5m", "1h30m"): seconds, or nullopt when malformed.
std::optional<long long> parse_sshd_time(std::string_view text);

}  // namespace posture
