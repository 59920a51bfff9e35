// Plugin enablement (organisation and user levels) and plugin settings written through the API.
#include <string>
#include <string_view>

#include <boost/container/small_vector.hpp>

#include "secpilot/util/ascii.hpp"
#include "store/sqlite_store_impl.hpp"

namespace secpilot::store {
namespace {

using columns::require;
using sqlite::fail;

namespace sql {
constexpr std::string_view set_enabled =
    "INSERT INTO plugin_enablement (plugin, scope, user_id, enabled, modified_ms) "
    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (plugin, scope, user_id) DO UPDATE SET "
    "enabled = excluded.enabled, modified_ms = excluded.modified_ms";
constexpr std::string_view clear_enabled =
    "DELETE FROM plugin_enablement WHERE plugin = ?1 AND scope = ?2 AND user_id = ?3";
// The user's row wins over the organisation's.
constexpr std::string_view resolve_enabled =
    "SELECT enabled FROM plugin_enablement WHERE plugin = ?1 AND "
    "((scope = 'user' AND user_id = ?2) OR scope = 'organization') "
    "ORDER BY (scope = 'organization' AND enabled = 0) DESC, scope = 'user' DESC LIMIT 1";
constexpr std::string_view list_enablement =
    "SELECT scope, user_id, plugin, enabled FROM plugin_enablement "
    "WHERE scope = 'organization' OR user_id = ?1 ORDER BY plugin, scope, user_id";
constexpr std::string_view list_all_enablement =
    "SELECT scope, user_id, plugin, enabled FROM plugin_enablement "
    "ORDER BY plugin, scope, user_id";

constexpr std::string_view set_setting =
    "INSERT INTO plugin_settings (plugin, name, value, is_secret, modified_ms) "
    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (plugin, name) DO UPDATE SET "
    "value = excluded.value, is_secret = excluded.is_secret, modified_ms = excluded.modified_ms";
constexpr std::string_view delete_setting =
    "DELETE FROM plugin_settings WHERE plugin = ?1 AND name = ?2";
// A secret's value never leaves the database through this query.
constexpr std::string_view list_settings =
    "SELECT name, is_secret, CASE WHEN is_secret THEN '' ELSE value END "
    "FROM plugin_settings WHERE plugin = ?1 ORDER BY name";
constexpr std::string_view get_secret =
    "SELECT value FROM plugin_settings WHERE plugin = ?1 AND name = ?2 AND is_secret = 1";
}  // namespace sql

void check_scope(PluginScope scope, std::string_view user, std::string_view plugin) {
  require(!plugin.empty(), "a plugin name is needed");
  if (scope == PluginScope::organization) {
    require(user.empty(), "an organisation-wide choice has no user");
  } else {
    require(!user.empty(), "a user's choice needs the user");
  }
}

std::string setting_not_set(std::string_view plugin, std::string_view name) {
  return "setting '" + std::string(name) + "' of plugin '" + std::string(plugin) + "' is not set";
}

}  // namespace

Outcome SqliteStore::set_plugin_enabled(PluginScope scope, std::string_view user,
                                        std::string_view plugin, bool enabled) {
  enabled_by_user_plugin_.invalidate();
  auto written = write("enable or disable a plugin", [&](sqlite::Connection& db) {
    check_scope(scope, user, plugin);
    db.run(sql::set_enabled, plugin, to_string(scope), user, enabled, now());
    return Done{};
  });
  enabled_by_user_plugin_.invalidate();
  return written;
}

Outcome SqliteStore::clear_plugin_enabled(PluginScope scope, std::string_view user,
                                          std::string_view plugin) {
  enabled_by_user_plugin_.invalidate();
  auto written = write("clear a plugin choice", [&](sqlite::Connection& db) {
    check_scope(scope, user, plugin);
    db.run(sql::clear_enabled, plugin, to_string(scope), user);
    return Done{};
  });
  enabled_by_user_plugin_.invalidate();
  return written;
}

Expected<bool> SqliteStore::plugin_enabled(std::string_view user, std::string_view plugin) {
  // Plugin names match case-insensitively; user ids exactly. The key is built on the stack: this
  // runs on every skill call.
  boost::container::small_vector<char, 128> key(user.begin(), user.end());
  key.push_back('\n');
  for (const char c : plugin)
    key.push_back(to_lower_ascii(c));
  const std::string_view key_text(key.data(), key.size());
  if (auto cached = enabled_by_user_plugin_.get(key_text)) return *cached;
  const auto generation = enabled_by_user_plugin_.generation();
  auto enabled = read("read a plugin's state", [&](sqlite::Connection& db) {
    auto row = db.query(sql::resolve_enabled, plugin, user);
    return row.next() ? row.int64(0) != 0 : true;
  });
  if (enabled) enabled_by_user_plugin_.put(std::string(key_text), *enabled, generation);
  return enabled;
}

Expected<std::vector<PluginEnablement>> SqliteStore::list_plugin_enablement(std::string_view user) {
  return read("list plugin states", [&](sqlite::Connection& db) {
    auto rows =
        user.empty() ? db.query(sql::list_all_enablement) : db.query(sql::list_enablement, user);
    std::vector<PluginEnablement> list;
    while (rows.next()) {
      list.push_back(PluginEnablement{columns::enumeration(rows, 0, parse_plugin_scope),
                                      rows.text(1), rows.text(2), rows.int64(3) != 0});
    }
    return list;
  });
}

Outcome SqliteStore::set_plugin_setting(std::string_view plugin, std::string_view name,
                                        std::string_view value, bool secret) {
  return write("write a plugin setting", [&](sqlite::Connection& db) {
    require(!plugin.empty() && !name.empty(), "a setting needs a plugin and a name");
    db.run(sql::set_setting, plugin, name, value, secret, now());
    return Done{};
  });
}

Outcome SqliteStore::delete_plugin_setting(std::string_view plugin, std::string_view name) {
  return write("remove a plugin setting", [&](sqlite::Connection& db) {
    db.run(sql::delete_setting, plugin, name);
    if (db.changes() == 0) fail(Status::not_found, setting_not_set(plugin, name));
    return Done{};
  });
}

Expected<std::vector<PluginSettingInfo>> SqliteStore::plugin_settings(std::string_view plugin) {
  return read("read plugin settings", [&](sqlite::Connection& db) {
    auto rows = db.query(sql::list_settings, plugin);
    std::vector<PluginSettingInfo> settings;
    while (rows.next())
      settings.push_back(PluginSettingInfo{rows.text(0), rows.int64(1) != 0, rows.text(2)});
    return settings;
  });
}

Expected<std::string> SqliteStore::plugin_secret(std::string_view plugin, std::string_view name) {
  return read("read a plugin secret", [&](sqlite::Connection& db) {
    auto row = db.query(sql::get_secret, plugin, name);
    if (!row.next()) fail(Status::not_found, "secret " + setting_not_set(plugin, name));
    return row.text(0);
  });
}

}  // namespace secpilot::store
