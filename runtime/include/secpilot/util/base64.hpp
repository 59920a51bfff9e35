// Base64 (RFC 4648, with padding) for bytes that must travel inside JSON text or a header.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace secpilot {

std::string base64_encode(std::string_view bytes);
// nullopt when `text` is not valid padded base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace secpilot
