// The store's schema as an ordered list of migrations; each database records the ones applied in
// its schema_migrations table, so a newer secpilot upgrades an older file at open.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "store/sqlite_db.hpp"

namespace secpilot::store::sqlite {

struct Migration {
  int version;  // 1, 2, ... without gaps
  std::string_view name;
  std::string_view sql;
};

std::span<const Migration> migrations() noexcept;
int latest_schema_version() noexcept;

// Applies the pending migrations in one transaction (all or none). Throws a Failure when the file
// holds some other database, or a schema newer than this code knows.
void migrate(Connection& db, std::int64_t now_ms);

}  // namespace secpilot::store::sqlite
