// API keys: stored as the SHA-256 of their secret, found by it.
#include <string>

#include "secpilot/util/sha256.hpp"
#include "store/random_ids.hpp"
#include "store/sqlite_store_impl.hpp"

namespace secpilot::store {
namespace {

using columns::require;
using sqlite::fail;

#define KEY_COLUMNS "id, name, role, user_id, key_hash, created_ms, revoked_ms, last_used_ms"

namespace sql {
constexpr std::string_view insert_key =
    "INSERT INTO api_keys (" KEY_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, 0)";
constexpr std::string_view find_key = "SELECT " KEY_COLUMNS " FROM api_keys WHERE key_hash = ?1";
constexpr std::string_view key_exists = "SELECT 1 FROM api_keys WHERE id = ?1";
constexpr std::string_view revoke_key =
    "UPDATE api_keys SET revoked_ms = ?2 WHERE id = ?1 AND revoked_ms = 0";
constexpr std::string_view list_keys =
    "SELECT " KEY_COLUMNS " FROM api_keys ORDER BY created_ms, rowid";
constexpr std::string_view list_user_keys =
    "SELECT " KEY_COLUMNS " FROM api_keys WHERE user_id = ?1 ORDER BY created_ms, rowid";
constexpr std::string_view touch_key = "UPDATE api_keys SET last_used_ms = ?2 WHERE id = ?1";
}  // namespace sql

ApiKey read_key(const sqlite::Query& row) {
  return ApiKey{row.text(0),  row.text(1), columns::enumeration(row, 2, parse_role),
                row.text(3),  row.text(4), row.int64(5),
                row.int64(6), row.int64(7)};
}

std::string key_not_found(std::string_view id) {
  return "API key '" + std::string(id) + "' not found";
}

}  // namespace

Expected<CreatedApiKey> SqliteStore::create_api_key(std::string_view name, Role role,
                                                    std::string_view user) {
  return write("create an API key", [&](sqlite::Connection& db) {
    require(!name.empty(), "an API key needs a name");
    require(!user.empty(), "an API key needs the user it acts as");
    CreatedApiKey created;
    created.secret = new_key_secret();
    // The secret is 256 random bits, so a plain SHA-256 cannot be brute-forced: no slow hash is
    // needed, and the lookup stays one index probe per request.
    created.key = ApiKey{
        new_id(), std::string(name), role, std::string(user), sha256_hex(created.secret), now(), 0,
        0};
    const ApiKey& key = created.key;
    db.run(sql::insert_key, key.id, key.name, to_string(key.role), key.user, key.key_hash,
           key.created_ms);
    return created;
  });
}

Expected<ApiKey> SqliteStore::find_key_by_secret(std::string_view secret) {
  if (!secret.starts_with("sp_")) return make_error(Status::unauthorized, "not a secpilot API key");
  // Only live keys are remembered (by hash, never the secret): unknown and revoked ones are
  // looked up every time, so guessing cannot fill the cache and a revocation shows at once.
  std::string hash = sha256_hex(secret);
  if (auto cached = keys_by_hash_.get(hash)) return std::move(*cached);
  const auto generation = keys_by_hash_.generation();
  auto found = read("check an API key", [&](sqlite::Connection& db) {
    auto row = db.query(sql::find_key, hash);
    if (!row.next()) fail(Status::unauthorized, "unknown API key");
    ApiKey key = read_key(row);
    if (key.revoked_ms != 0) fail(Status::unauthorized, "API key '" + key.name + "' was revoked");
    return key;
  });
  if (found) keys_by_hash_.put(std::move(hash), *found, generation);
  return found;
}

Outcome SqliteStore::revoke_key(std::string_view id) {
  keys_by_hash_.invalidate();
  auto revoked = write("revoke an API key", [&](sqlite::Connection& db) {
    db.run(sql::revoke_key, id, now());
    if (db.changes() == 0) {
      auto row = db.query(sql::key_exists, id);
      if (!row.next()) fail(Status::not_found, key_not_found(id));
    }
    return Done{};
  });
  keys_by_hash_.invalidate();
  return revoked;
}

Expected<std::vector<ApiKey>> SqliteStore::list_keys(std::string_view user) {
  return read("list API keys", [&](sqlite::Connection& db) {
    auto rows = user.empty() ? db.query(sql::list_keys) : db.query(sql::list_user_keys, user);
    std::vector<ApiKey> keys;
    while (rows.next())
      keys.push_back(read_key(rows));
    return keys;
  });
}

Outcome SqliteStore::touch_key(std::string_view id) {
  const TimeMs time = now();
  {
    std::lock_guard lock(touch_mutex_);
    auto last = last_touch_.find(id);
    if (last != last_touch_.end() && time - last->second < options_.key_touch_interval.count())
      return Done{};
  }
  auto written = write("record an API key's use", [&](sqlite::Connection& db) {
    db.run(sql::touch_key, id, time);
    if (db.changes() == 0) fail(Status::not_found, key_not_found(id));
    return Done{};
  });
  if (written) {
    keys_by_hash_.invalidate();  // remembered keys hold the old last_used_ms
    std::lock_guard lock(touch_mutex_);
    last_touch_.insert_or_assign(std::string(id), time);
  }
  return written;
}

}  // namespace secpilot::store
