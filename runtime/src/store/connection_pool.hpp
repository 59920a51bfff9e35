// The store's connections: one writer behind a mutex (SQLite admits one writer at a time, so
// queueing writers here costs nothing and keeps them off SQLite's busy-wait), and a few readers
// that WAL lets run beside it, opened on demand and lent to one thread at a time.
#pragma once

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "store/sqlite_db.hpp"

namespace secpilot::store::sqlite {

class ConnectionPool {
 public:
  ConnectionPool(std::filesystem::path file, ConnectionSettings settings, int max_readers,
                 std::unique_ptr<Connection> writer);
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Runs body(Connection&) in a write transaction on the writer.
  template <class Body>
  auto write(Body&& body) {
    std::lock_guard lock(writer_mutex_);
    return writer_->write_transaction([&] { return body(*writer_); });
  }

  // Runs body(Connection&) on the writer outside any transaction (checkpoints).
  template <class Body>
  auto with_writer(Body&& body) {
    std::lock_guard lock(writer_mutex_);
    return body(*writer_);
  }

  // Runs body(Connection&) on a reader; statements see the data committed when each starts.
  template <class Body>
  auto read(Body&& body) {
    Lease lease(*this);
    return lease.connection().read([&] { return body(lease.connection()); });
  }

 private:
  class Lease {
   public:
    explicit Lease(ConnectionPool& pool) : pool_(pool), connection_(pool.acquire()) {}
    ~Lease() { pool_.give_back(std::move(connection_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Connection& connection() { return *connection_; }

   private:
    ConnectionPool& pool_;
    std::unique_ptr<Connection> connection_;
  };

  std::unique_ptr<Connection> acquire();
  void give_back(std::unique_ptr<Connection> connection) noexcept;

  const std::filesystem::path file_;
  const ConnectionSettings reader_settings_;
  const int max_readers_;

  std::mutex writer_mutex_;
  std::unique_ptr<Connection> writer_;

  std::mutex readers_mutex_;
  std::condition_variable reader_returned_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;
  int open_readers_ = 0;
};

}  // namespace secpilot::store::sqlite
