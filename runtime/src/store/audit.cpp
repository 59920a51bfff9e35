// The audit log: append-only, read newest first with optional filters.
#include <array>
#include <cstddef>
#include <iterator>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/json/serializer.hpp>

#include "store/sqlite_store_impl.hpp"

namespace secpilot::store {
namespace {

using columns::require;

namespace sql {
constexpr std::string_view select_entries =
    "SELECT seq, time_ms, actor, action, target, outcome, details FROM audit_log";
}  // namespace sql

// The query with only the filters in use, so that SQLite can pick the index that fits; the few
// variants are each prepared once and cached by the connection. Parameters keep their numbers in
// every variant.
std::string select_for(const AuditQuery& query) {
  std::string text(sql::select_entries);
  const char* glue = " WHERE ";
  auto add = [&](const char* condition) {
    text += glue;
    text += condition;
    glue = " AND ";
  };
  if (!query.actor.empty()) add("actor = ?1");
  if (!query.action.empty()) add("action = ?2");
  if (!query.target.empty()) add("target = ?3");
  if (query.outcome) add("outcome = ?4");
  if (query.since_ms != 0) add("time_ms >= ?5");
  if (query.until_ms != 0) add("time_ms < ?6");
  if (query.before_seq != 0) add("seq < ?7");
  text += " ORDER BY seq DESC LIMIT ?8";
  return text;
}

// Rows per INSERT statement, largest first: a batch is written with as few statements as it
// takes. One multi-row statement costs about half as much per row as a statement per row or
// SQLite's json_each over the batch (measured on the audit table with its three indexes).
constexpr std::size_t kRowsPerStatement[] = {32, 8, 1};

// "INSERT ... VALUES (?,?,?,?,?,?),(...)" for `rows` rows; prepared once per connection.
const std::string& insert_rows_sql(std::size_t rows) {
  static const auto texts = [] {
    std::array<std::string, std::size(kRowsPerStatement)> all;
    for (std::size_t i = 0; i < all.size(); ++i) {
      std::string& text = all[i];
      text = "INSERT INTO audit_log (time_ms, actor, action, target, outcome, details) VALUES ";
      for (std::size_t row = 0; row < kRowsPerStatement[i]; ++row)
        text += row == 0 ? "(?,?,?,?,?,?)" : ",(?,?,?,?,?,?)";
    }
    return all;
  }();
  for (std::size_t i = 0; i < texts.size(); ++i)
    if (kRowsPerStatement[i] == rows) return texts[i];
  throw std::logic_error("no INSERT statement for that many audit rows");
}

// `object` as JSON text in `out`, which keeps its capacity; `writer` keeps its working memory.
void write_json(boost::json::serializer& writer, const boost::json::object& object,
                std::string& out) {
  out.clear();
  writer.reset(&object);
  char chunk[512];
  while (!writer.done()) {
    const auto part = writer.read(chunk);
    out.append(part.data(), part.size());
  }
}

// Inserts `entries` in their order; entries without a time get `now`.
void insert_rows(sqlite::Connection& db, std::span<const AuditEntry* const> entries, TimeMs now) {
  // Every text is bound unowned: the entries and these details outlive each statement.
  std::array<std::string, kRowsPerStatement[0]> details;
  boost::json::serializer writer;
  while (!entries.empty()) {
    std::size_t rows = 1;
    for (std::size_t size : kRowsPerStatement)
      if (size <= entries.size()) {
        rows = size;
        break;
      }
    auto query = db.query(insert_rows_sql(rows));
    int index = 0;
    for (std::size_t row = 0; row < rows; ++row) {
      const AuditEntry& entry = *entries[row];
      query.bind(++index, entry.time_ms != 0 ? entry.time_ms : now);
      query.bind_unowned(++index, entry.actor);
      query.bind_unowned(++index, entry.action);
      query.bind_unowned(++index, entry.target);
      query.bind_unowned(++index, to_string(entry.outcome));
      write_json(writer, entry.details, details[row]);
      query.bind_unowned(++index, details[row]);
    }
    query.run();
    entries = entries.subspan(rows);
  }
}

void insert(sqlite::Connection& db, const AuditEntry& entry, TimeMs now) {
  require(!entry.actor.empty(), "an audit entry needs an actor");
  require(!entry.action.empty(), "an audit entry needs an action");
  const AuditEntry* one[] = {&entry};
  insert_rows(db, one, now);
}

}  // namespace

Expected<std::int64_t> SqliteStore::append_audit(const AuditEntry& entry) {
  // Queued entries come first: the log stays in the order things happened.
  audit_queue_.flush();
  return write("write the audit log", [&](sqlite::Connection& db) {
    insert(db, entry, now());
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db.handle()));
  });
}

void SqliteStore::queue_audit(AuditEntry entry) {
  if (entry.time_ms == 0) entry.time_ms = now();
  audit_queue_.push(std::move(entry));
}

bool SqliteStore::append_audit_batch(const std::vector<AuditEntry>& batch) {
  // One bad entry (a caller's bug) must not cost the others their place in the log.
  std::vector<const AuditEntry*> valid;
  valid.reserve(batch.size());
  for (const auto& entry : batch)
    if (!entry.actor.empty() && !entry.action.empty()) valid.push_back(&entry);
  auto written = write("write the audit log", [&](sqlite::Connection& db) {
    insert_rows(db, valid, now());
    return Done{};
  });
  return written.has_value();
}

Expected<std::vector<AuditEntry>> SqliteStore::list_audit(const AuditQuery& query) {
  audit_queue_.flush();
  return read("read the audit log", [&](sqlite::Connection& db) {
    require(query.limit >= 1 && query.limit <= 1000, "limit must be between 1 and 1000");
    const std::string_view outcome = query.outcome ? to_string(*query.outcome) : "";
    auto rows = db.query(select_for(query), query.actor, query.action, query.target, outcome,
                         query.since_ms, query.until_ms, query.before_seq, query.limit);
    std::vector<AuditEntry> entries;
    while (rows.next()) {
      entries.push_back(AuditEntry{rows.int64(0), rows.int64(1), rows.text(2), rows.text(3),
                                   rows.text(4), columns::enumeration(rows, 5, parse_audit_outcome),
                                   columns::json_object(rows, 6)});
    }
    return entries;
  });
}

}  // namespace secpilot::store
