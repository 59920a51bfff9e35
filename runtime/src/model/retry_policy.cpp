#include "model/retry_policy.hpp"

#include <time.h>

#include <algorithm>
#include <charconv>
#include <random>
#include <string>

#include "secpilot/util/ascii.hpp"

namespace secpilot::model::detail {
namespace {

using std::chrono::milliseconds;

std::optional<std::string_view> header(const net::Headers& headers, std::string_view name) {
  for (const auto& [key, value] : headers)
    if (iequals_ascii(key, name)) return std::string_view(value);
  return std::nullopt;
}

// A non-negative decimal number, whole or not ("2", "1.5").
std::optional<double> parse_number(std::string_view text) {
  text = trim_blanks(text);
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < 0)
    return std::nullopt;
  return value;
}

// An IMF-fixdate ("Wed, 21 Oct 2015 07:28:00 GMT"), the form HTTP dates are sent in.
std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text) {
  const std::string copy(trim_blanks(text));
  std::tm parts{};
  const char* end = ::strptime(copy.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &parts);
  if (!end || *end != '\0') return std::nullopt;
  return std::chrono::system_clock::from_time_t(::timegm(&parts));
}

}  // namespace

bool is_retryable_status(int status, std::string_view error_code) noexcept {
  if (status == 429) return error_code != "insufficient_quota";
  return status >= 500 && status <= 599;
}

std::optional<milliseconds> requested_delay(const net::Headers& headers,
                                            std::chrono::system_clock::time_point now) {
  if (auto ms = header(headers, "retry-after-ms"))
    if (auto value = parse_number(*ms)) return milliseconds(static_cast<long long>(*value));
  auto after = header(headers, "retry-after");
  if (!after) return std::nullopt;
  if (auto seconds = parse_number(*after))
    return milliseconds(static_cast<long long>(*seconds * 1000));
  if (auto date = parse_http_date(*after))
    return std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(*date - now));
  return std::nullopt;
}

milliseconds backoff_delay(int retry) {
  const int doublings = std::clamp(retry - 1, 0, 4);
  const long long full = 500LL << doublings;
  thread_local std::minstd_rand random(std::random_device{}());
  std::uniform_int_distribution<long long> half(0, full / 2);
  return milliseconds(full / 2 + half(random));
}

}  // namespace secpilot::model::detail
