#include "store/migrations.hpp"

#include <cstdio>
#include <string>

namespace secpilot::store::sqlite {
namespace {

// "secp" in the file header: tells our files from other SQLite databases.
constexpr std::int64_t kApplicationId = 0x73656370;

// Append new migrations at the end; never edit one that has shipped. A migration that rebuilds a
// table must follow SQLite's 12-step ALTER TABLE procedure; the foreign-key check below catches
// a rebuild that broke references.
//
// Times are ms since the epoch (0 = not yet), JSON columns hold JSON text, and plugin and
// setting names compare NOCASE, as the manifests do.
constexpr std::string_view kInitialSchema = R"sql(
CREATE TABLE sessions (
  id           TEXT PRIMARY KEY,
  owner        TEXT NOT NULL,
  display_name TEXT NOT NULL,
  created_ms   INTEGER NOT NULL,
  modified_ms  INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_by_owner ON sessions (owner, modified_ms);

CREATE TABLE prompts (
  id         TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  seq        INTEGER NOT NULL,
  type       TEXT NOT NULL CHECK (type IN ('prompt', 'skill')),
  content    TEXT NOT NULL,
  skill_name TEXT NOT NULL,
  inputs     TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  UNIQUE (session_id, seq)
) STRICT;

CREATE TABLE evaluations (
  id             TEXT PRIMARY KEY,
  prompt_id      TEXT NOT NULL REFERENCES prompts (id) ON DELETE CASCADE,
  session_id     TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  state          TEXT NOT NULL CHECK (state IN
                   ('created', 'running', 'waitingForInput', 'completed', 'failed', 'cancelled')),
  result_type    TEXT NOT NULL CHECK (result_type IN
                   ('', 'success', 'error', 'timedOut', 'cancelled')),
  result_content TEXT NOT NULL,
  result_json    TEXT,
  error          TEXT NOT NULL,
  created_ms     INTEGER NOT NULL,
  started_ms     INTEGER NOT NULL,
  completed_ms   INTEGER NOT NULL
) STRICT;
CREATE INDEX evaluations_by_prompt ON evaluations (prompt_id);
CREATE INDEX evaluations_by_session ON evaluations (session_id);
CREATE INDEX evaluations_unfinished ON evaluations (state)
  WHERE state IN ('created', 'running', 'waitingForInput');

CREATE TABLE steps (
  evaluation_id TEXT NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  seq           INTEGER NOT NULL,
  skill         TEXT NOT NULL,
  inputs        TEXT NOT NULL,
  output        TEXT,
  error_status  TEXT NOT NULL,
  error_message TEXT NOT NULL,
  state         TEXT NOT NULL CHECK (state IN ('running', 'completed', 'failed', 'cancelled')),
  started_ms    INTEGER NOT NULL,
  duration_ms   INTEGER NOT NULL,
  PRIMARY KEY (evaluation_id, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE events (
  evaluation_id TEXT NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  seq           INTEGER NOT NULL,
  type          TEXT NOT NULL,
  data          TEXT NOT NULL,
  PRIMARY KEY (evaluation_id, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE api_keys (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  role         TEXT NOT NULL CHECK (role IN ('owner', 'contributor', 'reader')),
  user_id      TEXT NOT NULL,
  key_hash     TEXT NOT NULL UNIQUE,
  created_ms   INTEGER NOT NULL,
  revoked_ms   INTEGER NOT NULL,
  last_used_ms INTEGER NOT NULL
) STRICT;

-- AUTOINCREMENT: a seq is never reused, even after old entries are pruned.
CREATE TABLE audit_log (
  seq     INTEGER PRIMARY KEY AUTOINCREMENT,
  time_ms INTEGER NOT NULL,
  actor   TEXT NOT NULL,
  action  TEXT NOT NULL,
  target  TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'denied', 'error')),
  details TEXT NOT NULL
) STRICT;
CREATE INDEX audit_by_time ON audit_log (time_ms);
CREATE INDEX audit_by_actor ON audit_log (actor);
CREATE INDEX audit_by_action ON audit_log (action);

CREATE TABLE plugin_enablement (
  scope       TEXT NOT NULL CHECK (scope IN ('user', 'organization')),
  user_id     TEXT NOT NULL,
  plugin      TEXT NOT NULL COLLATE NOCASE,
  enabled     INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  modified_ms INTEGER NOT NULL,
  PRIMARY KEY (plugin, scope, user_id),
  CHECK ((scope = 'organization') = (user_id = ''))
) STRICT, WITHOUT ROWID;

CREATE TABLE plugin_settings (
  plugin      TEXT NOT NULL COLLATE NOCASE,
  name        TEXT NOT NULL COLLATE NOCASE,
  value       TEXT NOT NULL,
  is_secret   INTEGER NOT NULL CHECK (is_secret IN (0, 1)),
  modified_ms INTEGER NOT NULL,
  PRIMARY KEY (plugin, name)
) STRICT, WITHOUT ROWID;
)sql";

// Approvals of side-effecting calls, and each evaluation's planned calls (a JSON array, NULL
// until planned) so that a paused evaluation resumes from them, also after a restart.
constexpr std::string_view kApprovals = R"sql(
ALTER TABLE evaluations ADD COLUMN plan TEXT;

CREATE TABLE approvals (
  id            TEXT PRIMARY KEY,
  evaluation_id TEXT NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  call_index    INTEGER NOT NULL,
  skill         TEXT NOT NULL,
  inputs        TEXT NOT NULL,
  side_effects  TEXT NOT NULL CHECK (side_effects IN ('write', 'destructive')),
  args_hash     TEXT NOT NULL,
  state         TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'denied', 'cancelled')),
  decided_by    TEXT NOT NULL,
  reason        TEXT NOT NULL,
  created_ms    INTEGER NOT NULL,
  decided_ms    INTEGER NOT NULL
) STRICT;
CREATE INDEX approvals_by_evaluation ON approvals (evaluation_id);
CREATE INDEX approvals_by_state ON approvals (state, created_ms);
)sql";

// When a decided approval's outcome was handed to the call that asked for it (an MCP client's
// repeated tools/call), so that a further identical call asks anew; 0 until then. Such calls look
// their approval up by its arguments' hash.
constexpr std::string_view kApprovalClaims = R"sql(
ALTER TABLE approvals ADD COLUMN claimed_ms INTEGER NOT NULL DEFAULT 0;
CREATE INDEX approvals_by_hash ON approvals (args_hash);
)sql";

constexpr Migration kMigrations[] = {
    {1, "initial schema", kInitialSchema},
    {2, "approvals and evaluation plans", kApprovals},
    {3, "approval claims", kApprovalClaims},
};

std::string hex(std::int64_t value) {
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "0x%llx", static_cast<unsigned long long>(value));
  return buffer;
}

std::int64_t single_int(Connection& db, std::string_view sql) {
  auto query = db.query(sql);
  return query.next() ? query.int64(0) : 0;
}

}  // namespace

std::span<const Migration> migrations() noexcept {
  return kMigrations;
}

int latest_schema_version() noexcept {
  return kMigrations[std::size(kMigrations) - 1].version;
}

void migrate(Connection& db, std::int64_t now_ms) {
  db.write_transaction([&] {
    const std::int64_t application_id = single_int(db, "PRAGMA application_id");
    const bool has_migrations = single_int(db,
                                           "SELECT count(*) FROM sqlite_schema WHERE type = "
                                           "'table' AND name = 'schema_migrations'") > 0;
    const bool has_tables = single_int(db,
                                       "SELECT count(*) FROM sqlite_schema WHERE type = 'table' "
                                       "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'") > 0;
    if ((application_id != 0 && application_id != kApplicationId) ||
        (!has_migrations && has_tables)) {
      fail(Status::invalid_input,
           "store " + db.file_name() + " is an SQLite database but not a secpilot store" +
               (application_id != 0 ? " (application_id " + hex(application_id) + ")" : "") +
               ": point the store path at a new file or at an existing secpilot store");
    }
    if (!has_migrations) {
      db.exec(
          "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
          "applied_ms INTEGER NOT NULL) STRICT; PRAGMA application_id = " +
          std::to_string(kApplicationId) + ";");
    }

    const std::int64_t current =
        single_int(db, "SELECT coalesce(max(version), 0) FROM schema_migrations");
    const int latest = latest_schema_version();
    if (current > latest) {
      fail(Status::unsupported,
           "store " + db.file_name() + " has schema version " + std::to_string(current) +
               " but this secpilot knows versions up to " + std::to_string(latest) +
               ": the file was written by a newer secpilot. Run that release, or restore the "
               "backup taken before the upgrade");
    }
    for (const Migration& migration : kMigrations) {
      if (migration.version <= current) continue;
      try {
        db.exec(std::string(migration.sql));
      } catch (const Failure& failure) {
        throw Failure(failure.status(),
                      "schema migration " + std::to_string(migration.version) + " (" +
                          std::string(migration.name) + ") failed: " + failure.message(),
                      failure.sqlite_code());
      }
      db.run("INSERT INTO schema_migrations (version, name, applied_ms) VALUES (?1, ?2, ?3)",
             migration.version, migration.name, now_ms);
    }
    if (current < latest) {
      auto violations = db.query("PRAGMA foreign_key_check");
      if (violations.next())
        fail(Status::internal, "schema migration to version " + std::to_string(latest) +
                                   " left rows with broken references in table " +
                                   violations.text(0) + "; the store was not changed");
    }
  });
}

}  // namespace secpilot::store::sqlite
