// When a failed request to the model is worth repeating, and how long to wait first.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "secpilot/net/http_client.hpp"

namespace secpilot::model::detail {

// 429 (except when the account has run out of quota: waiting does not help) and every 5xx.
bool is_retryable_status(int status, std::string_view error_code) noexcept;

// What the response asks for: `retry-after-ms` (OpenAI, Azure), else `Retry-After` as seconds or
// as an HTTP date. nullopt when absent or unreadable.
std::optional<std::chrono::milliseconds> requested_delay(const net::Headers& headers,
                                                         std::chrono::system_clock::time_point now);

// Exponential backoff before retry number `retry` (1 = the first): 0.5 s doubling up to 8 s, of
// which a random half is kept ("equal jitter"), so that clients that failed together do not
// return together.
std::chrono::milliseconds backoff_delay(int retry);

}  // namespace secpilot::model::detail
