#include "mcp/version.hpp"

#ifndef SECPILOT_VERSION
#define SECPILOT_VERSION "unknown"
#endif

namespace secpilot::mcp {

std::string_view secpilot_version() noexcept {
  return SECPILOT_VERSION;
}

}  // namespace secpilot::mcp
