// A spdlog sink writing one JSON object per line to stderr (log: {format: json}), so log
// shippers need no parsing rules: {"time", "level", "logger", "message"}.
#pragma once

#include <spdlog/sinks/base_sink.h>

#include <mutex>

namespace secpilot::daemon {

class JsonLogSink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& message) override;
  void flush_() override;
};

}  // namespace secpilot::daemon
