#include "jamf/health.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace jamf {
namespace {

// FileVault states of the boot volume (partitionFileVault2State).
constexpr std::array<std::string_view, 6> kFileVaultOffStates = {
    "UNENCRYPTED",       "DECRYPTED",         "DECRYPTING",
    "DECRYPTING_PAUSED", "ENCRYPTING_PAUSED", "INELIGIBLE"};
constexpr std::array<std::string_view, 4> kFileVaultOnStates = {"ENCRYPTED", "ENCRYPTING",
                                                                "OPTIMIZING", "RESTART_NEEDED"};

bool one_of(std::string_view value, const auto& list) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// What the FileVault judgement rests on, for the problem's detail.
std::string filevault_evidence(const Computer& computer) {
  if (computer.encryption.boot_partition_state)
    return "boot volume " + *computer.encryption.boot_partition_state;
  return "FileVault status " + computer.os.filevault_status.value_or("unknown");
}

// "7 days 19 hours".
std::string describe_age(std::chrono::seconds age) {
  const auto days = std::chrono::floor<std::chrono::days>(age);
  const auto hours = std::chrono::floor<std::chrono::hours>(age - days);
  auto count = [](long n, const char* unit) {
    return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
  };
  return count(static_cast<long>(days.count()), "day") + " " +
         count(static_cast<long>(hours.count()), "hour");
}

void check_os(const Computer& computer, const HealthCriteria& criteria, std::vector<Problem>& out) {
  if (!criteria.minimum_os) return;
  const auto version =
      computer.os.version ? MacosVersion::parse(*computer.os.version) : std::nullopt;
  if (!version) {
    out.push_back({"os_version_unknown", "low",
                   computer.os.version ? "Jamf Pro reports macOS version '" + *computer.os.version +
                                             "', which is not a version number"
                                       : "Jamf Pro has no macOS version for this Mac",
                   "Update the inventory: run `sudo jamf recon` on the Mac, or wait for its next "
                   "inventory update"});
    return;
  }
  if (*version >= *criteria.minimum_os) return;
  out.push_back(
      {"os_out_of_date", "high",
       "macOS " + version->text() + " is older than the minimum " + criteria.minimum_os->text(),
       "Update macOS to " + criteria.minimum_os->text() +
           " or later: send a software update with a managed software update plan (Jamf Pro: "
           "Computers > Software Updates) or the Download and Install Updates command, and ask "
           "the user to restart"});
}

void check_filevault(const Computer& computer, std::vector<Problem>& out) {
  if (filevault_enabled(computer) != false) return;
  out.push_back({"filevault_off", "high", "FileVault is off (" + filevault_evidence(computer) + ")",
                 "Turn on FileVault: scope a configuration profile with a FileVault payload that "
                 "escrows the personal recovery key to Jamf Pro (Computers > Configuration "
                 "Profiles > Security & Privacy > FileVault) to this Mac; the user is asked to "
                 "enable it at the next login"});
}

void check_check_in(const Computer& computer, const HealthCriteria& criteria,
                    std::vector<Problem>& out) {
  const std::string fix =
      "Find the Mac: check that it is on and online, and run `sudo jamf policy` on it; if it "
      "cannot be found, treat it as lost (LockComputer locks it as soon as it is online)";
  const auto& last = computer.general.last_contact;
  if (!last) {
    out.push_back({"not_checked_in", "medium", "Jamf Pro has no check-in on record", fix});
    return;
  }
  const auto limit = std::chrono::days{criteria.max_check_in_age_days};
  if (criteria.as_of - *last <= limit) return;
  out.push_back({"not_checked_in", "medium",
                 "last checked in " + format_timestamp(*last) + ", " +
                     describe_age(criteria.as_of - *last) + " before " +
                     format_timestamp(criteria.as_of) + " (more than the " +
                     std::to_string(criteria.max_check_in_age_days) + " days allowed)",
                 fix});
}

void check_security(const Computer& computer, std::vector<Problem>& out) {
  const auto& security = computer.security;
  if (security.sip_status == "DISABLED")
    out.push_back({"sip_disabled", "high", "System Integrity Protection is disabled",
                   "Turn SIP back on from recoveryOS (`csrutil enable`, then restart) and find "
                   "out who turned it off: SIP is rarely disabled for a good reason"});
  if (security.gatekeeper_status == "DISABLED")
    out.push_back({"gatekeeper_disabled", "medium", "Gatekeeper is disabled",
                   "Turn Gatekeeper back on (`sudo spctl --global-enable`) and enforce it with a "
                   "Security & Privacy configuration profile (App Store and identified "
                   "developers)"});
  if (security.firewall_enabled == false)
    out.push_back({"firewall_off", "low", "The application firewall is off",
                   "Turn on the firewall with a configuration profile (Security & Privacy > "
                   "Firewall) scoped to this Mac"});
}

}  // namespace

std::optional<bool> filevault_enabled(const Computer& computer) {
  if (const auto& state = computer.encryption.boot_partition_state) {
    if (one_of(*state, kFileVaultOnStates)) return true;
    if (one_of(*state, kFileVaultOffStates)) return false;
    return std::nullopt;  // UNKNOWN, or a state this plugin does not know
  }
  if (const auto& status = computer.os.filevault_status) {
    if (*status == "NOT_ENCRYPTED") return false;
    if (*status == "ALL_ENCRYPTED" || *status == "BOOT_ENCRYPTED") return true;
  }
  return std::nullopt;
}

std::vector<Problem> find_problems(const Computer& computer, const HealthCriteria& criteria) {
  std::vector<Problem> problems;
  check_os(computer, criteria, problems);
  check_filevault(computer, problems);
  check_check_in(computer, criteria, problems);
  check_security(computer, problems);
  return problems;
}

int severity_rank(const std::string& severity) {
  if (severity == "high") return 3;
  if (severity == "medium") return 2;
  return 1;
}

}  // namespace jamf
