// The version secpilot gives as serverInfo (to MCP clients) and clientInfo (to MCP servers).
#pragma once

#include <string_view>

namespace secpilot::mcp {

std::string_view secpilot_version() noexcept;

}  // namespace secpilot::mcp
