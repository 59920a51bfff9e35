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

void ConnectionPool::submit(WriteTask& task) {
  std::unique_lock lock(queue_mutex_);
  queue_.push_back(&task);
  // Whoever finds no batch committing commits the queue, its own task included; the others wait
  // for the batch that holds theirs.
  while (!task.done) {
    if (committing_) {
      batch_done_.wait(lock);
      continue;
    }
    committing_ = true;
    const auto count = static_cast<std::ptrdiff_t>(std::min(queue_.size(), kMaxBatch));
    std::vector<WriteTask*> batch(queue_.begin(), queue_.begin() + count);
    queue_.erase(queue_.begin(), queue_.begin() + count);
    lock.unlock();
    commit_batch(batch);
    lock.lock();
    for (WriteTask* done : batch)
      done->done = true;  // after this a waiting thread may return and free its task
    committing_ = false;
    batch_done_.notify_all();
  }
  if (task.error) std::rethrow_exception(task.error);
}

void ConnectionPool::commit_batch(std::span<WriteTask* const> batch) noexcept {
  std::lock_guard lock(writer_mutex_);
  for (int attempt = 1;; ++attempt) {
    std::exception_ptr failure;
    try {
      run_batch(*writer_, batch);
      return;
    } catch (const Failure& error) {
      writer_->rollback();
      if (error.busy() && attempt < Connection::kMaxAttempts) {
        Connection::back_off(attempt);
        continue;
      }
      failure = std::current_exception();
    } catch (...) {
      writer_->rollback();
      failure = std::current_exception();
    }
    // Nothing in the batch was committed: every task fails, with its own error if it had one.
    for (WriteTask* task : batch)
      if (!task->error) task->error = failure;
    return;
  }
}

void ConnectionPool::run_batch(Connection& db, std::span<WriteTask* const> batch) {
  db.run("BEGIN IMMEDIATE");
  for (WriteTask* task : batch) {
    task->error = nullptr;
    db.run("SAVEPOINT batched_write");
    try {
      task->invoke(task->body, db);
      db.run("RELEASE batched_write");
    } catch (...) {
      task->error = std::current_exception();
      // An I/O error or a full disk makes SQLite roll back the whole transaction: then the batch
      // fails as a whole (and a busy database retries it).
      if (!db.in_transaction()) throw;
      db.run("ROLLBACK TO batched_write");
      db.run("RELEASE batched_write");
    }
  }
  db.run("COMMIT");
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
