// The audit log: append-only, read newest first with optional filters.
#include <cstddef>
#include <string>

#include <boost/json/serializer.hpp>

#include "store/sqlite_store_impl.hpp"

namespace secpilot::store {
namespace {

using columns::require;

namespace sql {
constexpr std::string_view insert_entry =
    "INSERT INTO audit_log (time_ms, actor, action, target, outcome, details) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
// A whole batch in one statement: the entries as one JSON array parameter, a row per element
// ([time_ms, actor, action, target, outcome, details]), in the array's order. One statement per
// batch instead of one per entry saves the per-statement overhead of every row but one.
// (Multi-row INSERT ... VALUES of 16 rows, tried too, was no faster in the daemon.)
constexpr std::string_view insert_batch =
    "INSERT INTO audit_log (time_ms, actor, action, target, outcome, details) "
    "SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), "
    "json_extract(value, '$[2]'), json_extract(value, '$[3]'), json_extract(value, '$[4]'), "
    "json_extract(value, '$[5]') FROM json_each(?1) ORDER BY key";
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

void insert(sqlite::Connection& db, const AuditEntry& entry, TimeMs now) {
  require(!entry.actor.empty(), "an audit entry needs an actor");
  require(!entry.action.empty(), "an audit entry needs an action");
  db.run(sql::insert_entry, entry.time_ms != 0 ? entry.time_ms : now, entry.actor, entry.action,
         entry.target, to_string(entry.outcome),
         columns::json_text(boost::json::value(entry.details)));
}

// SQLite's JSON functions (3.40) cut a string at an escaped NUL: such an entry (never seen in
// practice, but the log must keep what it was given) is inserted on its own.
bool needs_own_insert(const AuditEntry& entry) {
  auto has_nul = [](const std::string& text) { return text.find('\0') != std::string::npos; };
  return has_nul(entry.actor) || has_nul(entry.action) || has_nul(entry.target);
}

// Appends what `json` serializes (reset by the caller) to `out`, without a temporary string.
void append_serialized(std::string& out, boost::json::serializer& json) {
  char buffer[512];
  while (!json.done()) {
    const auto chunk = json.read(buffer, sizeof buffer);
    out.append(chunk.data(), chunk.size());
  }
}

// Entries gathered into insert_batch's JSON array parameter.
class BatchRows {
 public:
  void add(const AuditEntry& entry, TimeMs now) {
    text_ += count_++ == 0 ? '[' : ',';
    text_ += '[';
    text_ += std::to_string(entry.time_ms != 0 ? entry.time_ms : now);
    for (const std::string* field : {&entry.actor, &entry.action, &entry.target}) {
      text_ += ',';
      json_.reset(boost::json::string_view(*field));
      append_serialized(text_, json_);
    }
    text_ += ",\"";
    text_ += to_string(entry.outcome);  // a fixed lower-case word: nothing to escape
    text_ += "\",";
    // The details object goes in as JSON; json_extract hands it back as JSON text.
    json_.reset(&entry.details);
    append_serialized(text_, json_);
    text_ += ']';
  }

  // Inserts the rows gathered so far, if any, and starts again.
  void write(sqlite::Connection& db) {
    if (count_ == 0) return;
    text_ += ']';
    db.run(sql::insert_batch, text_);
    text_.clear();
    count_ = 0;
  }

 private:
  std::string text_;
  std::size_t count_ = 0;
  boost::json::serializer json_;
};

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
  auto written = write("write the audit log", [&](sqlite::Connection& db) {
    const TimeMs time = now();
    BatchRows rows;
    for (const auto& entry : batch) {
      // One bad entry (a caller's bug) must not cost the others their place in the log.
      if (entry.actor.empty() || entry.action.empty()) continue;
      if (needs_own_insert(entry)) {
        rows.write(db);  // what came before it first: the log keeps the queue's order
        insert(db, entry, time);
      } else {
        rows.add(entry, time);
      }
    }
    rows.write(db);
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
