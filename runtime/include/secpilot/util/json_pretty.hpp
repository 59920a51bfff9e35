// Indented JSON for people (Boost.JSON 1.81 only serialises compactly).
#pragma once

#include <boost/json/value.hpp>
#include <string>

namespace secpilot {

std::string pretty_json(const boost::json::value& value, int indent = 2);

}  // namespace secpilot
