#include "jamf/computer_filter.hpp"

#include <vector>

#include "jamf/rsql.hpp"

namespace jamf {

std::string to_rsql(const ComputerFilter& filter) {
  std::vector<std::string> terms;
  if (filter.name) terms.push_back(rsql::compare("general.name", "==", *filter.name));
  if (filter.serial) terms.push_back(rsql::compare("hardware.serialNumber", "==", *filter.serial));
  if (filter.user)
    terms.push_back(rsql::any_of({rsql::compare("userAndLocation.username", "==", *filter.user),
                                  rsql::compare("userAndLocation.email", "==", *filter.user),
                                  rsql::compare("userAndLocation.realname", "==", *filter.user)}));
  if (filter.os_version)
    terms.push_back(rsql::compare("operatingSystem.version", "==", *filter.os_version));
  if (filter.checked_in_before)
    terms.push_back(
        rsql::compare("general.lastContactTime", "<", format_timestamp(*filter.checked_in_before)));
  if (filter.checked_in_after)
    terms.push_back(
        rsql::compare("general.lastContactTime", ">=", format_timestamp(*filter.checked_in_after)));
  return rsql::all_of(terms);
}

}  // namespace jamf
