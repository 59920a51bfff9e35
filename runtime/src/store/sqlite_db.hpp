// A thin RAII layer over the SQLite C API for the store: a connection with a cache of prepared
// statements, queries that reset themselves, transactions that retry while the file is busy.
// Failures are thrown as sqlite::Failure inside the store and become Error values at its boundary.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <concepts>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "secpilot/util/expected.hpp"

namespace secpilot::store::sqlite {

class Failure : public std::exception {
 public:
  // sqlite_code is the (extended) SQLite result code, or 0 for a failure the store itself raised.
  Failure(Status status, std::string message, int sqlite_code = 0)
      : status_(status), message_(std::move(message)), sqlite_code_(sqlite_code) {}

  const char* what() const noexcept override { return message_.c_str(); }
  Status status() const noexcept { return status_; }
  const std::string& message() const noexcept { return message_; }
  int sqlite_code() const noexcept { return sqlite_code_; }
  // Another connection holds the lock: worth retrying the whole transaction.
  bool busy() const noexcept {
    return (sqlite_code_ & 0xFF) == SQLITE_BUSY || (sqlite_code_ & 0xFF) == SQLITE_LOCKED;
  }

 private:
  Status status_;
  std::string message_;
  int sqlite_code_;
};

// Raises a failure of the store's own (not_found, invalid_input, ...).
[[noreturn]] inline void fail(Status status, std::string message) {
  throw Failure(status, std::move(message));
}

struct ConnectionSettings {
  std::chrono::milliseconds busy_timeout{5000};
  bool durable_commits = false;  // synchronous=FULL instead of NORMAL
  bool query_only = false;       // a reader: refuses writes
};

class Connection;

// One execution of a prepared statement: bound on creation, reset on destruction, so a statement
// never keeps a read snapshot open after its scope.
class Query {
 public:
  // in_use: the cache's flag for this statement, or nullptr for an uncached one this query owns.
  Query(Connection& db, sqlite3_stmt* statement, bool* in_use) noexcept
      : db_(&db), statement_(statement), in_use_(in_use) {}
  Query(Query&& other) noexcept
      : db_(other.db_),
        statement_(std::exchange(other.statement_, nullptr)),
        in_use_(other.in_use_) {}
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  Query& operator=(Query&&) = delete;
  ~Query();

  // Binds arguments to ?1, ?2, ... in order.
  template <class... Args>
  void bind_all(const Args&... args) {
    int index = 0;
    (bind(++index, args), ...);
  }

  // Steps once: true with a row to read, false when done.
  bool next();
  // Steps to the end, for statements that return no rows.
  void run();

  bool is_null(int column) const noexcept;
  std::int64_t int64(int column) const noexcept;
  std::string text(int column) const;
  std::optional<std::string> optional_text(int column) const;

  // Binds one argument to ?index (1-based), for statements whose parameter count varies.
  void bind(int index, std::string_view value);
  void bind(int index, const std::string& value) { bind(index, std::string_view(value)); }
  void bind(int index, const char* value) { bind(index, std::string_view(value)); }
  // Text that stays alive and unchanged until this query is destroyed: SQLite reads it where it
  // is instead of copying it (a malloc and a free per value, for each row of an audit batch).
  void bind_unowned(int index, std::string_view value);
  void bind(int index, std::nullopt_t);
  void bind(int index, const std::optional<std::string>& value);
  template <std::integral T>
  void bind(int index, T value) {
    check_bind(sqlite3_bind_int64(statement_, index, static_cast<sqlite3_int64>(value)));
  }

 private:
  void check_bind(int code);

  Connection* db_;
  sqlite3_stmt* statement_;
  bool* in_use_;
};

// One SQLite connection, used by one thread at a time (the pool sees to that).
class Connection {
 public:
  // Opens an existing or new database file and applies the per-connection settings.
  Connection(const std::filesystem::path& file, const ConnectionSettings& settings);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // A query on the cached statement for sql (prepared once per connection), arguments bound.
  template <class... Args>
  Query query(std::string_view sql, const Args&... args) {
    Query query = start(sql);
    query.bind_all(args...);
    return query;
  }
  // Runs a statement that returns no rows.
  template <class... Args>
  void run(std::string_view sql, const Args&... args) {
    query(sql, args...).run();
  }
  // Runs a script of statements (migrations, pragmas), uncached.
  void exec(const std::string& script);
  // Rows changed by the last INSERT, UPDATE or DELETE.
  std::int64_t changes() const noexcept;

  // Runs body inside BEGIN IMMEDIATE ... COMMIT and returns its result. Taking the write lock up
  // front means SQLite's busy handler waits for other writers (a deferred transaction upgrading
  // to write would get SQLITE_BUSY at once); the whole transaction is retried if still busy.
  template <class Body>
  auto write_transaction(Body&& body) -> decltype(body()) {
    for (int attempt = 1;; ++attempt) {
      try {
        exec_cached("BEGIN IMMEDIATE");
        if constexpr (std::is_void_v<decltype(body())>) {
          body();
          exec_cached("COMMIT");
          return;
        } else {
          auto result = body();
          exec_cached("COMMIT");
          return result;
        }
      } catch (const Failure& failure) {
        rollback();
        if (!failure.busy() || attempt >= kMaxAttempts) throw;
        back_off(attempt);
      } catch (...) {
        rollback();
        throw;
      }
    }
  }

  // Runs a read-only body, retrying while busy (WAL recovery by another process, rarely).
  template <class Body>
  auto read(Body&& body) -> decltype(body()) {
    for (int attempt = 1;; ++attempt) {
      try {
        return body();
      } catch (const Failure& failure) {
        if (!failure.busy() || attempt >= kMaxAttempts) throw;
        back_off(attempt);
      }
    }
  }

  // Rolls back the open transaction, if any (after some errors SQLite already has).
  void rollback() noexcept;
  bool in_transaction() const noexcept { return sqlite3_get_autocommit(db_) == 0; }

  // Throws the failure for an SQLite result code, with the connection's message.
  [[noreturn]] void raise(int code, std::string_view doing) const;
  const std::string& file_name() const noexcept { return file_name_; }
  sqlite3* handle() const noexcept { return db_; }

  // How often a transaction that found the database busy is tried, and the pause before the next.
  static constexpr int kMaxAttempts = 4;
  static void back_off(int attempt);

 private:
  Query start(std::string_view sql);
  void exec_cached(std::string_view sql);

  std::string file_name_;
  sqlite3* db_ = nullptr;
  struct Cached {
    sqlite3_stmt* statement = nullptr;
    bool in_use = false;
  };
  std::map<std::string, Cached, std::less<>> cache_;
};

}  // namespace secpilot::store::sqlite
