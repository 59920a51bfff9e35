// The store's connections: one writer and a few readers that WAL lets run beside it, opened on
// demand and lent to one thread at a time.
//
// Writes are group-committed: SQLite admits one writer at a time and a commit costs far more
// than the statements in it, so the writes that queue up while one transaction commits run
// together in the next, each inside its own savepoint (one failing write leaves the others
// alone). A lone write commits at once; under load (an audit entry per skill call on every
// request thread) many share one commit, and with durable_commits one fsync.
#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <type_traits>
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

  // Runs body(Connection&) in a write transaction and returns its result once committed. Throws
  // what body threw (its changes undone), or the commit's failure. body may run again if the
  // transaction has to be retried, so it must not have effects outside the database.
  template <class Body>
  auto write(Body&& body) {
    using Result = std::invoke_result_t<Body&, Connection&>;
    std::optional<Result> result;
    auto run = [&](Connection& db) { result.emplace(body(db)); };
    WriteTask task{&invoke<decltype(run)>, &run};
    submit(task);
    return std::move(*result);
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
  // A write waiting for its batch; it lives on the submitting thread's stack.
  struct WriteTask {
    void (*invoke)(void* body, Connection& db);
    void* body;
    std::exception_ptr error{};
    bool done = false;
  };
  template <class Run>
  static void invoke(void* run, Connection& db) {
    (*static_cast<Run*>(run))(db);
  }

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

  // Queues the task and returns when it has run and its batch committed; rethrows its error.
  void submit(WriteTask& task);
  // Runs the tasks in one transaction on the writer; records each task's error, never throws.
  void commit_batch(std::span<WriteTask* const> batch) noexcept;
  void run_batch(Connection& db, std::span<WriteTask* const> batch);

  std::unique_ptr<Connection> acquire();
  void give_back(std::unique_ptr<Connection> connection) noexcept;

  static constexpr std::size_t kMaxBatch = 256;

  const std::filesystem::path file_;
  const ConnectionSettings reader_settings_;
  const int max_readers_;

  std::mutex writer_mutex_;  // held by the thread committing a batch, or checkpointing
  std::unique_ptr<Connection> writer_;

  std::mutex queue_mutex_;
  std::condition_variable batch_done_;
  std::deque<WriteTask*> queue_;
  bool committing_ = false;  // a thread is committing a batch (and will look at the queue again)

  std::mutex readers_mutex_;
  std::condition_variable reader_returned_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;
  int open_readers_ = 0;
};

}  // namespace secpilot::store::sqlite
