// Pieces a streamed chat completion back together from its chunks. Tool calls arrive as deltas:
// id, type and name on the first one for an index, then fragments of the arguments to
// concatenate. Calls are keyed by (index, id), because Ollama reuses index 0 for every call of a
// parallel batch and tells them apart only by a new id.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "net/sse_parser.hpp"
#include "secpilot/model/chat.hpp"
#include "secpilot/util/expected.hpp"

namespace secpilot::model::detail {

class StreamAccumulator {
 public:
  // `on_text` (optional) sees the answer's text as it arrives. `max_bytes` bounds the text and
  // arguments kept, as nothing else bounds a stream.
  explicit StreamAccumulator(std::function<void(std::string_view)> on_text = {},
                             std::size_t max_bytes = 8 * 1024 * 1024);

  // One event: a chunk, or [DONE]. Errors: an error event, a chunk that is not JSON, too much.
  Outcome add(const net::SseEvent& event);

  bool done() const noexcept { return done_; }                        // [DONE] seen
  bool finished() const noexcept { return !finish_reason_.empty(); }  // a finish_reason seen
  // Where the stream stands, for a message when it breaks off: "before any data", "in the
  // middle of the tool call 'x' (id call_1, 12 bytes of arguments so far)", ...
  std::string progress() const;

  ChatCompletion take();

 private:
  Outcome add_chunk(const boost::json::object& chunk);
  void add_tool_delta(const boost::json::object& delta);

  std::function<void(std::string_view)> on_text_;
  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  ChatCompletion completion_;
  std::string finish_reason_;
  std::map<long long, std::size_t> open_by_index_;  // index -> the call it now feeds
  std::size_t last_call_ = 0;                       // the call the last delta fed, plus one
  bool any_data_ = false;
  bool done_ = false;
};

}  // namespace secpilot::model::detail
