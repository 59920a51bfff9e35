// Opening the SQLite store: the file and its permissions, the connection settings, migrations.
#include "secpilot/store/sqlite_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "store/migrations.hpp"
#include "store/sqlite_store_impl.hpp"

namespace secpilot::store {
namespace fs = std::filesystem;
using sqlite::fail;

namespace {

std::string errno_text(int error) {
  std::string text = std::strerror(error);
  if (error == EACCES || error == EPERM || error == EROFS)
    text += " (check the owner and permissions of the file and its folder)";
  return text;
}

// Creates the folder (0700) and the file (0600), and takes group and other access away from an
// existing store and its WAL files: they hold plugin secrets.
void prepare_file(const fs::path& file) {
  const fs::path folder = file.parent_path();
  std::error_code error;
  if (!folder.empty() && !fs::exists(folder, error)) {
    fs::create_directories(folder, error);
    if (error)
      fail(Status::internal,
           "cannot create the store's folder " + folder.string() + ": " + error.message());
    fs::permissions(folder, fs::perms::owner_all, error);
  }
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    fail(Status::internal,
         "cannot open or create the store " + file.string() + ": " + errno_text(errno));
  }
  struct stat status {};
  const bool regular = ::fstat(fd, &status) == 0 && S_ISREG(status.st_mode);
  if (regular && (status.st_mode & 077) != 0) ::fchmod(fd, status.st_mode & 0700);
  ::close(fd);
  if (!regular)
    fail(Status::invalid_input, "the store " + file.string() + " is not a regular file");
  for (const char* suffix : {"-wal", "-shm"}) {
    const std::string companion = file.string() + suffix;
    struct stat companion_status {};
    if (::stat(companion.c_str(), &companion_status) == 0 && (companion_status.st_mode & 077) != 0)
      ::chmod(companion.c_str(), companion_status.st_mode & 0700);
  }
}

// WAL lets readers run beside the writer and makes a commit one append to the log.
void enable_wal(sqlite::Connection& db) {
  auto mode = db.query("PRAGMA journal_mode = WAL");
  const std::string result = mode.next() ? mode.text(0) : std::string();
  if (result != "wal") {
    fail(Status::unsupported, "store " + db.file_name() +
                                  ": SQLite cannot use write-ahead logging there (journal mode "
                                  "stays '" +
                                  result + "'); keep the store on a local file system");
  }
  // After a checkpoint, truncate a WAL that grew under a burst of writes back to 64 MiB.
  db.exec("PRAGMA journal_size_limit = 67108864");
}

std::int64_t system_clock_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

Expected<std::unique_ptr<Store>> open_sqlite_store(const fs::path& file,
                                                   SqliteStoreOptions options) {
  if (!options.clock) options.clock = system_clock_ms;
  try {
    prepare_file(file);
    const sqlite::ConnectionSettings settings{options.busy_timeout, options.durable_commits,
                                              /*query_only=*/false};
    auto writer = std::make_unique<sqlite::Connection>(file, settings);
    enable_wal(*writer);
    sqlite::migrate(*writer, options.clock());
    auto pool = std::make_unique<sqlite::ConnectionPool>(file, settings, options.max_readers,
                                                         std::move(writer));
    return std::unique_ptr<Store>(
        std::make_unique<SqliteStore>(std::move(pool), std::move(options)));
  } catch (const sqlite::Failure& failure) {
    return make_error(failure.status(), failure.sqlite_code() != 0
                                            ? "cannot open the store: " + failure.message()
                                            : failure.message());
  } catch (const std::exception& exception) {
    return make_error(Status::internal,
                      "cannot open the store " + file.string() + ": " + exception.what());
  }
}

int sqlite_schema_version() noexcept {
  return sqlite::latest_schema_version();
}

SqliteStore::SqliteStore(std::unique_ptr<sqlite::ConnectionPool> pool, SqliteStoreOptions options)
    : pool_(std::move(pool)),
      options_(std::move(options)),
      audit_queue_(
          [this](const std::vector<AuditEntry>& batch) { return append_audit_batch(batch); }) {}

Error SqliteStore::to_error(std::string_view operation, const sqlite::Failure& failure) {
  // The store's own failures (not found, bad argument) already say what is wrong; SQLite's get
  // the operation that hit them.
  if (failure.sqlite_code() == 0) return make_error(failure.status(), failure.message());
  return make_error(failure.status(),
                    "cannot " + std::string(operation) + ": " + failure.message());
}

Outcome SqliteStore::checkpoint() {
  audit_queue_.flush();
  return guarded("checkpoint the store", [&] {
    return pool_->with_writer([](sqlite::Connection& db) {
      auto result = db.query("PRAGMA wal_checkpoint(TRUNCATE)");
      if (result.next() && result.int64(0) != 0)
        fail(Status::timeout, "store " + db.file_name() +
                                  ": the checkpoint could not finish while readers held old "
                                  "data; try again");
      return Done{};
    });
  });
}

namespace columns {

std::string json_text(const boost::json::value& value) {
  return boost::json::serialize(value);
}

std::optional<std::string> json_text(const std::optional<boost::json::value>& value) {
  if (!value) return std::nullopt;
  return boost::json::serialize(*value);
}

namespace {
boost::json::value parse_column(const sqlite::Query& query, int column) {
  boost::system::error_code error;
  boost::json::value value = boost::json::parse(query.text(column), error);
  if (error) fail(Status::internal, "the store holds corrupt JSON: " + error.message());
  return value;
}
}  // namespace

boost::json::object json_object(const sqlite::Query& query, int column) {
  boost::json::value value = parse_column(query, column);
  if (!value.is_object()) fail(Status::internal, "the store holds JSON that is not an object");
  return std::move(value.as_object());
}

std::optional<boost::json::value> optional_json(const sqlite::Query& query, int column) {
  if (query.is_null(column)) return std::nullopt;
  return parse_column(query, column);
}

Status status_from_name(std::string_view name) noexcept {
  for (int code = 0; code <= static_cast<int>(Status::forbidden); ++code)
    if (status_name(static_cast<Status>(code)) == name) return static_cast<Status>(code);
  return Status::internal;
}

}  // namespace columns
}  // namespace secpilot::store
