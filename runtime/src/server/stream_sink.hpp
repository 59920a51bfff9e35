// The EventSink the server hands to a handler: a bounded byte queue between producer threads and
// the connection's writer. Producers append formatted events; the writer takes everything queued
// in one batch, writes it, and reports it written. No Asio here: the writer is woken through a
// callback the connection installs.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "secpilot/server/event_stream.hpp"

namespace secpilot::server {

class StreamSink final : public EventSink {
 public:
  explicit StreamSink(EventStreamOptions options);

  bool send(const Event& event) override;
  bool comment(std::string_view text) override;
  void close() override;
  bool closed() const override;
  void on_close(std::function<void(StreamEnd)> callback) override;
  std::size_t buffered_bytes() const override;
  bool wait_until_buffered_below(std::size_t bytes, std::chrono::milliseconds timeout) override;

  // --- the connection's side ---

  const EventStreamOptions& options() const noexcept { return options_; }

  // Installs (or, with nullptr, removes) the writer's wake-up. It is called with the sink's lock
  // held, so it must only post work elsewhere, never run the writer inline.
  void set_waker(std::function<void()> waker);

  struct Batch {
    std::string bytes;  // everything queued, to be written now
    // The stream has ended: after `bytes` (when `flush` is set) nothing more comes.
    std::optional<StreamEnd> end;
    bool flush = true;  // false: the end is abrupt; drop `bytes` and close the connection
  };
  // Takes everything queued. When nothing is queued and the stream goes on, arms the wake-up and
  // returns an empty batch: the writer should wait for the waker (or its keep-alive timer).
  Batch take();
  // The last batch taken was written (or abandoned): wakes back-pressure waiters.
  void written();
  // Ends the stream from the connection's side: disconnect, stop, failure. Idempotent.
  void end(StreamEnd reason);

 private:
  bool enqueue(std::string bytes);
  // Ends the stream with the lock held; returns the callbacks to run after unlocking.
  std::vector<std::function<void(StreamEnd)>> end_locked(StreamEnd reason);
  void wake_locked();

  const EventStreamOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable drained_;
  std::string queue_;
  std::size_t in_flight_ = 0;  // taken by the writer, not yet written
  std::optional<StreamEnd> end_;
  bool end_taken_ = false;
  bool writer_waiting_ = false;
  std::function<void()> waker_;
  std::vector<std::function<void(StreamEnd)>> callbacks_;
};

}  // namespace secpilot::server
