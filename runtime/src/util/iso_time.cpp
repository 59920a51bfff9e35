#include "secpilot/util/iso_time.hpp"

#include <cstdio>
#include <ctime>

namespace secpilot {

std::string iso_time(std::int64_t epoch_ms) {
  if (epoch_ms == 0) return {};
  const std::time_t seconds = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  const std::size_t used = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(text + used, sizeof text - used, ".%03dZ", static_cast<int>(epoch_ms % 1000));
  return text;
}

}  // namespace secpilot
