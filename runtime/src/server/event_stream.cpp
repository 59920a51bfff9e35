#include <stdexcept>
#include <utility>

#include "secpilot/server/event_stream.hpp"
#include "server/stream_sink.hpp"

namespace secpilot::server {

namespace {

// Appends one "<field>: <line>\n" per line of `value`; LF, CRLF and CR all end a line.
void append_lines(std::string& out, std::string_view field, std::string_view value) {
  std::size_t start = 0;
  for (;;) {
    const auto end = value.find_first_of("\r\n", start);
    out += field;
    out += ": ";
    out += value.substr(start, end == std::string_view::npos ? end : end - start);
    out += '\n';
    if (end == std::string_view::npos) break;
    start = end + 1;
    if (value[end] == '\r' && start < value.size() && value[start] == '\n') ++start;
    if (start == value.size()) break;  // a final line break ends the last line, not a new one
  }
}

void check_field(std::string_view field, std::string_view value) {
  if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
    throw std::invalid_argument("server-sent event " + std::string(field) +
                                " must not contain CR, LF or NUL");
  }
}

}  // namespace

std::string format_event(const Event& event) {
  check_field("id", event.id);
  check_field("type", event.type);
  std::string out;
  out.reserve(event.data.size() + event.id.size() + event.type.size() + 32);
  if (event.retry) out += "retry: " + std::to_string(event.retry->count()) + "\n";
  if (!event.id.empty()) out += "id: " + event.id + "\n";
  if (!event.type.empty()) out += "event: " + event.type + "\n";
  append_lines(out, "data", event.data);
  out += '\n';
  return out;
}

std::string format_comment(std::string_view text) {
  std::string out;
  append_lines(out, "", text);
  return out;
}

std::string_view to_string(StreamEnd end) noexcept {
  switch (end) {
    case StreamEnd::closed:
      return "closed";
    case StreamEnd::client_disconnected:
      return "client_disconnected";
    case StreamEnd::too_slow:
      return "too_slow";
    case StreamEnd::server_stopping:
      return "server_stopping";
    case StreamEnd::failed:
      return "failed";
  }
  return "unknown";
}

StreamSink::StreamSink(EventStreamOptions options) : options_(std::move(options)) {
  if (options_.retry) {
    queue_ = "retry: " + std::to_string(options_.retry->count()) + "\n\n";
  }
}

bool StreamSink::send(const Event& event) {
  return enqueue(format_event(event));
}

bool StreamSink::comment(std::string_view text) {
  return enqueue(format_comment(text));
}

bool StreamSink::enqueue(std::string bytes) {
  std::vector<std::function<void(StreamEnd)>> callbacks;
  {
    std::lock_guard lock(mutex_);
    if (end_) return false;
    if (queue_.size() + in_flight_ + bytes.size() <= options_.max_buffered_bytes) {
      queue_ += bytes;
      wake_locked();
      return true;
    }
    callbacks = end_locked(StreamEnd::too_slow);
  }
  for (auto& callback : callbacks)
    callback(StreamEnd::too_slow);
  return false;
}

void StreamSink::close() {
  end(StreamEnd::closed);
}

void StreamSink::end(StreamEnd reason) {
  std::vector<std::function<void(StreamEnd)>> callbacks;
  {
    std::lock_guard lock(mutex_);
    callbacks = end_locked(reason);
  }
  for (auto& callback : callbacks)
    callback(reason);
}

std::vector<std::function<void(StreamEnd)>> StreamSink::end_locked(StreamEnd reason) {
  if (end_) return {};
  end_ = reason;
  wake_locked();
  drained_.notify_all();
  return std::move(callbacks_);
}

bool StreamSink::closed() const {
  std::lock_guard lock(mutex_);
  return end_.has_value();
}

void StreamSink::on_close(std::function<void(StreamEnd)> callback) {
  if (!callback) return;
  std::optional<StreamEnd> ended;
  {
    std::lock_guard lock(mutex_);
    if (!end_) {
      callbacks_.push_back(std::move(callback));
      return;
    }
    ended = end_;
  }
  callback(*ended);
}

std::size_t StreamSink::buffered_bytes() const {
  std::lock_guard lock(mutex_);
  return queue_.size() + in_flight_;
}

bool StreamSink::wait_until_buffered_below(std::size_t bytes, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  drained_.wait_for(lock, timeout,
                    [&] { return end_.has_value() || queue_.size() + in_flight_ <= bytes; });
  return !end_ && queue_.size() + in_flight_ <= bytes;
}

void StreamSink::set_waker(std::function<void()> waker) {
  std::lock_guard lock(mutex_);
  waker_ = std::move(waker);
}

StreamSink::Batch StreamSink::take() {
  std::lock_guard lock(mutex_);
  Batch batch;
  if (end_taken_) {
    batch.end = end_;
    batch.flush = false;
    return batch;
  }
  batch.bytes.swap(queue_);
  in_flight_ += batch.bytes.size();
  if (end_) {
    end_taken_ = true;
    batch.end = end_;
    batch.flush = *end_ == StreamEnd::closed || *end_ == StreamEnd::server_stopping;
    if (!batch.flush) {
      in_flight_ -= batch.bytes.size();
      batch.bytes.clear();
    }
  } else if (batch.bytes.empty()) {
    writer_waiting_ = true;
  }
  return batch;
}

void StreamSink::written() {
  std::lock_guard lock(mutex_);
  in_flight_ = 0;
  drained_.notify_all();
}

void StreamSink::wake_locked() {
  if (writer_waiting_ && waker_) {
    writer_waiting_ = false;
    waker_();
  }
}

}  // namespace secpilot::server
