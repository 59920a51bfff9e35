#include "store/sqlite_db.hpp"

#include <mutex>
#include <thread>

namespace secpilot::store::sqlite {
namespace {

Status status_for(int code) {
  switch (code & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::timeout;
    case SQLITE_CONSTRAINT:
    case SQLITE_TOOBIG:
    case SQLITE_RANGE:
    case SQLITE_MISMATCH:
      return Status::invalid_input;
    default:
      return Status::internal;
  }
}

// What an operator can do about the common failures, beside SQLite's own words.
std::string_view hint_for(int code) {
  switch (code & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return " (another process kept the database locked; is a second daemon or a backup tool "
             "holding it?)";
    case SQLITE_FULL:
      return " (free some disk space)";
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
      return " (check the file's and its folder's owner and permissions)";
    case SQLITE_CORRUPT:
      return " (restore the store from a backup)";
    case SQLITE_NOTADB:
      return " (check the store path; if it is right, restore the store from a backup)";
    default:
      return "";
  }
}

}  // namespace

Query::~Query() {
  if (statement_ == nullptr) return;
  if (in_use_ == nullptr) {
    sqlite3_finalize(statement_);
    return;
  }
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
  *in_use_ = false;
}

bool Query::next() {
  const int code = sqlite3_step(statement_);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  db_->raise(code, "");
}

void Query::run() {
  while (next()) {
  }
}

bool Query::is_null(int column) const noexcept {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

std::int64_t Query::int64(int column) const noexcept {
  return sqlite3_column_int64(statement_, column);
}

std::string Query::text(int column) const {
  const auto* data = sqlite3_column_text(statement_, column);
  const int size = sqlite3_column_bytes(statement_, column);
  if (data == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size));
}

std::optional<std::string> Query::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

void Query::bind(int index, std::string_view value) {
  // SQLITE_TRANSIENT copies: arguments may be temporaries that die before the query steps.
  check_bind(sqlite3_bind_text64(statement_, index, value.data(), value.size(), SQLITE_TRANSIENT,
                                 SQLITE_UTF8));
}

void Query::bind_unowned(int index, std::string_view value) {
  check_bind(sqlite3_bind_text64(statement_, index, value.data(), value.size(), SQLITE_STATIC,
                                 SQLITE_UTF8));
}

void Query::bind(int index, std::nullopt_t) {
  check_bind(sqlite3_bind_null(statement_, index));
}

void Query::bind(int index, const std::optional<std::string>& value) {
  if (value) {
    bind(index, std::string_view(*value));
  } else {
    bind(index, std::nullopt);
  }
}

void Query::check_bind(int code) {
  if (code != SQLITE_OK) db_->raise(code, "binding a value: ");
}

Connection::Connection(const std::filesystem::path& file, const ConnectionSettings& settings)
    : file_name_(file.string()) {
  // SQLite counts every allocation under a global mutex unless told not to; the store never
  // reads those counts. Only possible before SQLite initialises (a no-op if something in the
  // process already opened a database).
  static std::once_flag no_memory_statistics;
  std::call_once(no_memory_statistics, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  constexpr int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE |
                        SQLITE_OPEN_PRIVATECACHE;
  const int code = sqlite3_open_v2(file_name_.c_str(), &db_, flags, nullptr);
  if (code != SQLITE_OK) {
    // db_ may hold the error message; raise reads it before we close.
    try {
      raise(code, "cannot open: ");
    } catch (...) {
      sqlite3_close_v2(db_);
      db_ = nullptr;
      throw;
    }
  }
  try {
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, static_cast<int>(settings.busy_timeout.count()));
    // foreign_keys makes deletes cascade; trusted_schema=OFF keeps a crafted file from calling
    // functions through views or triggers; secure_delete zeroes deleted content, so a replaced
    // plugin secret does not linger in free pages; temp_store=MEMORY keeps statement journals
    // (every multi-row INSERT of an audit batch opens one) and sorter spills out of files that
    // were created and unlinked in /var/tmp on each batch.
    exec(std::string("PRAGMA foreign_keys = ON; PRAGMA trusted_schema = OFF; ") +
         "PRAGMA secure_delete = ON; PRAGMA temp_store = MEMORY; PRAGMA synchronous = " +
         (settings.durable_commits ? "FULL" : "NORMAL") + ";" +
         (settings.query_only ? " PRAGMA query_only = ON;" : ""));
  } catch (...) {
    for (auto& [sql, cached] : cache_)
      sqlite3_finalize(cached.statement);
    sqlite3_close_v2(db_);
    throw;
  }
}

Connection::~Connection() {
  for (auto& [sql, cached] : cache_)
    sqlite3_finalize(cached.statement);
  sqlite3_close_v2(db_);
}

Query Connection::start(std::string_view sql) {
  auto found = cache_.find(sql);
  if (found == cache_.end()) {
    sqlite3_stmt* statement = nullptr;
    const int code = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                        SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
    if (code != SQLITE_OK) raise(code, "preparing a statement: ");
    found = cache_.emplace(std::string(sql), Cached{statement, false}).first;
  }
  Cached& cached = found->second;
  if (!cached.in_use) {
    cached.in_use = true;
    return Query(*this, cached.statement, &cached.in_use);
  }
  // The same statement is already being stepped further up the stack: use a private copy.
  sqlite3_stmt* statement = nullptr;
  const int code =
      sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &statement, nullptr);
  if (code != SQLITE_OK) raise(code, "preparing a statement: ");
  return Query(*this, statement, nullptr);
}

void Connection::exec(const std::string& script) {
  const int code = sqlite3_exec(db_, script.c_str(), nullptr, nullptr, nullptr);
  if (code != SQLITE_OK) raise(code, "");
}

void Connection::exec_cached(std::string_view sql) {
  query(sql).run();
}

std::int64_t Connection::changes() const noexcept {
  return sqlite3_changes64(db_);
}

void Connection::rollback() noexcept {
  if (in_transaction()) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

void Connection::back_off(int attempt) {
  std::this_thread::sleep_for(std::chrono::milliseconds(10 * attempt * attempt));
}

void Connection::raise(int code, std::string_view doing) const {
  std::string message = "store " + file_name_ + ": " + std::string(doing);
  // The connection's message only describes this code if it is the connection's last error.
  const bool own_error = db_ != nullptr && sqlite3_extended_errcode(db_) == code;
  message += own_error ? sqlite3_errmsg(db_) : sqlite3_errstr(code);
  message += hint_for(code);
  throw Failure(status_for(code), std::move(message), code);
}

}  // namespace secpilot::store::sqlite
