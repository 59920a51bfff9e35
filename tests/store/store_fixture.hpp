// Shared by the store tests: a store on disk in a temporary folder with a clock the test drives,
// helpers to unwrap results, and raw SQLite access for checking what is really in the file.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>

#include "secpilot/store/sqlite_store.hpp"
#include "support/temp_dir.hpp"

namespace secpilot::store::testing {

// The value, or an exception carrying the error's message (GoogleTest reports it as a failure).
template <class T>
T must(Expected<T> result) {
  if (!result) {
    throw std::runtime_error("unexpected error (" +
                             std::string(status_name(result.error().status)) +
                             "): " + result.error().message);
  }
  return std::move(result).value();
}

// The error; throws if the call succeeded.
template <class T>
Error error_of(Expected<T> result) {
  if (result) throw std::runtime_error("expected an error, the call succeeded");
  return std::move(result).error();
}

// Runs one SQL statement on the file with a connection of its own; returns the first column of
// the first row as text ("" when there is none).
inline std::string raw_sql(const std::filesystem::path& file, const std::string& sql,
                           int flags = SQLITE_OPEN_READWRITE) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(file.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string message = sqlite3_errmsg(db);
    sqlite3_close(db);
    throw std::runtime_error("raw open failed: " + message);
  }
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* statement = nullptr;
  std::string result;
  int code = sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr);
  if (code == SQLITE_OK) {
    code = sqlite3_step(statement);
    if (code == SQLITE_ROW) {
      const auto* text = sqlite3_column_text(statement, 0);
      if (text != nullptr) result = reinterpret_cast<const char*>(text);
      code = SQLITE_OK;
    } else if (code == SQLITE_DONE) {
      code = SQLITE_OK;
    }
  }
  const std::string message = sqlite3_errmsg(db);
  sqlite3_finalize(statement);
  sqlite3_close(db);
  if (code != SQLITE_OK) throw std::runtime_error("raw SQL failed: " + message + ": " + sql);
  return result;
}

// The same, creating the file if needed.
inline std::string raw_sql_create(const std::filesystem::path& file, const std::string& sql) {
  return raw_sql(file, sql, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
}

inline std::string file_bytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class StoreFixture : public ::testing::Test {
 protected:
  void SetUp() override { store = open(); }

  // Opens (another) store on the same file, on the test's clock.
  std::unique_ptr<Store> open(SqliteStoreOptions options = {}) {
    if (!options.clock) options.clock = [this] { return clock.load(); };
    return must(open_sqlite_store(file(), std::move(options)));
  }
  // Closes the store, so that its WAL is checkpointed into the file.
  void close() { store.reset(); }
  void reopen() {
    close();
    store = open();
  }
  void tick(std::int64_t ms) { clock += ms; }

  std::filesystem::path file() const { return folder.path() / "state" / "secpilot.db"; }

  secpilot::testing::TempDir folder;
  std::atomic<std::int64_t> clock{1'700'000'000'000};
  std::unique_ptr<Store> store;
};

}  // namespace secpilot::store::testing
