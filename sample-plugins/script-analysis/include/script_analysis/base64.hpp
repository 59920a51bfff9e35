// Base64 as scripts write it: the standard and URL-safe alphabets, padding optional, whitespace
// (line-wrapped blobs) ignored.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace script_analysis {

constexpr bool is_base64_char(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/' || c == '-' || c == '_';
}

// The decoded bytes, or nullopt when the text holds anything but base64 characters, whitespace
// and trailing '=' padding, or has a length no encoder produces (4n + 1 characters).
std::optional<std::string> decode_base64(std::string_view text);

// Standard alphabet with padding; used by tests and benchmarks to build inputs.
std::string encode_base64(std::string_view bytes);

}  // namespace script_analysis
