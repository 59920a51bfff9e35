// The SQLite Store: one file in WAL mode, versioned schema migrations applied at open.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>

#include "secpilot/store/store.hpp"
#include "secpilot/util/expected.hpp"

namespace secpilot::store {

struct SqliteStoreOptions {
  // How long one statement waits for another process's lock before the store retries it.
  std::chrono::milliseconds busy_timeout{5000};
  // Read connections kept open. Writes share one connection (SQLite allows one writer at a time)
  // and are group-committed: writes that arrive while a commit runs share the next one.
  int max_readers = 4;
  // false: synchronous=NORMAL. Nothing committed is lost when the process dies (SIGKILL, crash);
  // a power cut or kernel panic may lose the last commits (never a middle one, never the file).
  // true: synchronous=FULL, an fsync per commit, durable across power loss too; a lone write then
  // takes ~1-10 ms, concurrent ones share the fsync.
  bool durable_commits = false;
  // touch_key writes a key's last_used_ms at most this often.
  std::chrono::milliseconds key_touch_interval{std::chrono::minutes(1)};
  // Milliseconds since the epoch, UTC; tests substitute their own.
  std::function<std::int64_t()> clock;
};

// Opens (creating if needed) the store at file: its folder is created 0700 and the file 0600
// (an existing file loses any group or other permission, since it holds plugin secrets). Pending
// schema migrations are applied in one transaction. Fails with a clear message when the file is
// not a secpilot store or was written by a newer secpilot (its schema version is unknown here).
Expected<std::unique_ptr<Store>> open_sqlite_store(const std::filesystem::path& file,
                                                   SqliteStoreOptions options = {});

// The schema version this build writes (the last migration's number).
int sqlite_schema_version() noexcept;

}  // namespace secpilot::store
