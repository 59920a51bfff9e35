#include "store/connection_pool.hpp"

#include <algorithm>

namespace secpilot::store::sqlite {

ConnectionPool::ConnectionPool(std::filesystem::path file, ConnectionSettings settings,
                               int max_readers, std::unique_ptr<Connection> writer)
    : file_(std::move(file)),
      reader_settings_{settings.busy_timeout, settings.durable_commits, /*query_only=*/true},
      max_readers_(std::max(1, max_readers)),
      writer_(std::move(writer)) {
  idle_readers_.reserve(static_cast<std::size_t>(max_readers_));  // give_back never allocates
}

ConnectionPool::~ConnectionPool() {
  // Readers first: the writer, closing last, checkpoints the WAL into the database and removes it.
  idle_readers_.clear();
  writer_.reset();
}

std::unique_ptr<Connection> ConnectionPool::acquire() {
  std::unique_lock lock(readers_mutex_);
  reader_returned_.wait(lock,
                        [&] { return !idle_readers_.empty() || open_readers_ < max_readers_; });
  if (!idle_readers_.empty()) {
    auto connection = std::move(idle_readers_.back());
    idle_readers_.pop_back();
    return connection;
  }
  ++open_readers_;
  lock.unlock();
  try {
    return std::make_unique<Connection>(file_, reader_settings_);
  } catch (...) {
    lock.lock();
    --open_readers_;
    reader_returned_.notify_one();
    throw;
  }
}

void ConnectionPool::give_back(std::unique_ptr<Connection> connection) noexcept {
  {
    std::lock_guard lock(readers_mutex_);
    idle_readers_.push_back(std::move(connection));
  }
  reader_returned_.notify_one();
}

}  // namespace secpilot::store::sqlite
