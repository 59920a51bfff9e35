// Builds the RSQL filters the Jamf Pro API takes in `filter=` (see developer.jamf.com, "Filtering
// with RSQL"): `field==value` comparisons joined by ';' (and) and ',' (or). Every value is quoted
// and escaped here, so no input can add a comparison or an operator of its own.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace jamf::rsql {

// The value as one double-quoted RSQL argument: '\' and '"' are escaped with a backslash. A '*'
// is left as it is: Jamf Pro reads it as a wildcard ("any characters") in == and !=.
std::string quote(std::string_view value);

// `field` `op` "value", e.g. general.name=="mbp-fin-12". `op` is one of ==, !=, <, <=, >, >=.
std::string compare(std::string_view field, std::string_view op, std::string_view value);

// Terms joined by ';' (and). An empty list gives "" (no filter).
std::string all_of(const std::vector<std::string>& terms);

// Terms joined by ',' (or), in parentheses so that the group can sit inside all_of().
std::string any_of(const std::vector<std::string>& terms);

}  // namespace jamf::rsql
