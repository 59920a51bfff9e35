// Reading skill inputs. The host has already checked them against the manifest (required ones
// present, types converted); these add the checks a JSON type cannot express, with messages that
// say what to pass instead.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

namespace red_canary::detail {

// A string (or number) input as text; nullopt when absent, null or empty.
std::optional<std::string> optional_text(const boost::json::object& input, std::string_view name);

// A detection id: 4127, "4127", or as Red Canary labels it, "CORP-4127" / "[CORP-4127]".
long detection_id_input(const boost::json::object& input, std::string_view name);

// A positive count no larger than `max`; `fallback` when absent.
std::size_t limit_input(const boost::json::object& input, std::size_t fallback, std::size_t max);

}  // namespace red_canary::detail
