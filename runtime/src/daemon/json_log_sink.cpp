#include "daemon/json_log_sink.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cstdio>
#include <ctime>

namespace secpilot::daemon {

void JsonLogSink::sink_it_(const spdlog::details::log_msg& message) {
  const auto since_epoch = message.time.time_since_epoch();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count();
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char time[40];
  const std::size_t used = std::strftime(time, sizeof time, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(time + used, sizeof time - used, ".%03dZ", static_cast<int>(ms % 1000));
  const auto level = spdlog::level::to_string_view(message.level);
  boost::json::object line{
      {"time", time},
      {"level", std::string_view(level.data(), level.size())},
      {"logger", std::string_view(message.logger_name.data(), message.logger_name.size())},
      {"message", std::string_view(message.payload.data(), message.payload.size())}};
  const std::string text = boost::json::serialize(line) + "\n";
  std::fwrite(text.data(), 1, text.size(), stderr);
}

void JsonLogSink::flush_() {
  std::fflush(stderr);
}

}  // namespace secpilot::daemon
