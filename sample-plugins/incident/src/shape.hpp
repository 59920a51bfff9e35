// Which accepted shape a JSON object is, judged by its members alone.
#pragma once

#include <optional>
#include <string_view>

#include <boost/json/object.hpp>

namespace incident {

// One of the kShape* names of read.hpp, or nullopt when the object looks like none of them.
std::optional<std::string_view> detect_shape(const boost::json::object& object);

}  // namespace incident
