// The health rules FindUnhealthyComputers applies to each Mac: what makes a managed Mac a risk
// (out-of-date macOS, FileVault off, no check-in for too long, SIP or Gatekeeper disabled, the
// firewall off), each with what was seen and how to fix it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "jamf/computer.hpp"
#include "jamf/macos_version.hpp"
#include "jamf/timestamp.hpp"

namespace jamf {

struct HealthCriteria {
  std::optional<MacosVersion> minimum_os;  // no OS rule when unset
  int max_check_in_age_days = 7;
  Timestamp as_of;  // "now" for the check-in rule
};

struct Problem {
  std::string check;     // os_out_of_date, os_version_unknown, filevault_off, not_checked_in,
                         // sip_disabled, gatekeeper_disabled, firewall_off
  std::string severity;  // high, medium or low
  std::string detail;    // what was seen
  std::string fix;       // what to do
};

// Every problem of `computer`, in the order of the checks above. Facts Jamf Pro does not report
// (a section not collected) are not problems, except a missing check-in or macOS version.
std::vector<Problem> find_problems(const Computer& computer, const HealthCriteria& criteria);

// Whether FileVault protects the boot volume: true when encrypted (or encrypting, or pending a
// restart), false when not (UNENCRYPTED, DECRYPTED, INELIGIBLE, ...), nullopt when Jamf Pro did
// not collect it or reports UNKNOWN.
std::optional<bool> filevault_enabled(const Computer& computer);

// high = 3, medium = 2, low = 1: for ordering the worst first.
int severity_rank(const std::string& severity);

// The inventory sections the rules read.
inline constexpr const char* kHealthSections[] = {
    "GENERAL", "HARDWARE", "OPERATING_SYSTEM", "USER_AND_LOCATION", "SECURITY", "DISK_ENCRYPTION"};

}  // namespace jamf
