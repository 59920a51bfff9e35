// Percent-encoding for query strings and application/x-www-form-urlencoded bodies (RFC 3986
// unreserved characters stay as they are; everything else, '+' and space included, is escaped,
// so no server can read a '+' as a space).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace jamf {

using Parameters = std::vector<std::pair<std::string, std::string>>;

std::string percent_encode(std::string_view text);

// "a=1&b=x%20y": the query of a URL (without '?') or a form body.
std::string encode_parameters(const Parameters& parameters);

}  // namespace jamf
