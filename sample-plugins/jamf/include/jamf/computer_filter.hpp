// Turns the skills' search inputs into the Jamf Pro RSQL filter for computers-inventory.
// Matching is Jamf Pro's: exact and case-insensitive, with '*' as a wildcard.
#pragma once

#include <optional>
#include <string>

#include "jamf/timestamp.hpp"

namespace jamf {

struct ComputerFilter {
  std::optional<std::string> name;             // general.name
  std::optional<std::string> serial;           // hardware.serialNumber
  std::optional<std::string> user;             // userAndLocation.username, .email or .realname
  std::optional<std::string> os_version;       // operatingSystem.version
  std::optional<Timestamp> checked_in_before;  // general.lastContactTime <
  std::optional<Timestamp> checked_in_after;   // general.lastContactTime >=
};

// The RSQL filter, or "" when nothing is filtered.
std::string to_rsql(const ComputerFilter& filter);

}  // namespace jamf
