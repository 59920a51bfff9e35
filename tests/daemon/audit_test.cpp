// The audit log records who did what (skill calls, keys, settings, failed logins) and never a
// secret: a plugin secret set through the API is write-only, and appears in no response, no log
// line and no table of the store other than the one that keeps it.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <memory>
#include <set>

#include "daemon/api_client.hpp"
#include "daemon/daemon_process.hpp"

namespace secpilot::testing {
namespace {

constexpr std::string_view kSecret = "s3cret-value";
constexpr std::string_view kAttemptedKey = "sp_attempted-stolen-key-9f8e7d6c5b4a";

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// Where in the store `needle` appears: "table.column" for every cell that holds it, except
// plugin_settings.value where is_secret = 1 (where a secret has to be kept).
std::vector<std::string> store_cells_holding(const std::filesystem::path& db_path,
                                             std::string_view needle) {
  std::vector<std::string> found;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    found.push_back(std::string("cannot open the store: ") + sqlite3_errmsg(db));
    sqlite3_close(db);
    return found;
  }
  std::vector<std::string> tables;
  sqlite3_stmt* list = nullptr;
  sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &list, nullptr);
  while (sqlite3_step(list) == SQLITE_ROW)
    tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(list, 0)));
  sqlite3_finalize(list);
  for (const auto& table : tables) {
    sqlite3_stmt* rows = nullptr;
    if (sqlite3_prepare_v2(db, ("SELECT * FROM \"" + table + "\"").c_str(), -1, &rows, nullptr) !=
        SQLITE_OK)
      continue;
    const int columns = sqlite3_column_count(rows);
    while (sqlite3_step(rows) == SQLITE_ROW) {
      bool secret_row = false;
      if (table == "plugin_settings")
        for (int c = 0; c < columns; ++c)
          if (std::string_view(sqlite3_column_name(rows, c)) == "is_secret")
            secret_row = sqlite3_column_int(rows, c) == 1;
      for (int c = 0; c < columns; ++c) {
        const void* bytes = sqlite3_column_blob(rows, c);
        const int size = sqlite3_column_bytes(rows, c);
        if (!bytes) continue;
        const std::string_view cell(static_cast<const char*>(bytes),
                                    static_cast<std::size_t>(size));
        const std::string column = sqlite3_column_name(rows, c);
        if (!contains(cell, needle)) continue;
        if (table == "plugin_settings" && column == "value" && secret_row) continue;
        found.push_back(table + "." + column);
      }
    }
    sqlite3_finalize(rows);
  }
  sqlite3_close(db);
  return found;
}

class DaemonAudit : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    daemon_ = std::make_unique<DaemonProcess>();
    daemon_->start();
    api_ = std::make_unique<Api>(*daemon_);
  }
  static void TearDownTestSuite() {
    api_.reset();
    daemon_.reset();
  }
  static const ApiKeys& keys() { return daemon_->keys(); }

  static std::vector<boost::json::object> audit(const std::string& query = "") {
    auto reply = api_->get("/v1/audit" + query, keys().owner);
    require_status(reply, 200, "GET /v1/audit");
    std::vector<boost::json::object> entries;
    const auto body = reply.object();
    for (const auto& entry : body.at("value").as_array())
      entries.push_back(entry.as_object());
    return entries;
  }

  static inline std::unique_ptr<DaemonProcess> daemon_;
  static inline std::unique_ptr<Api> api_;
};

TEST_F(DaemonAudit, RecordsWhoDidWhatAndNeverASecret) {
  const auto& owner = keys().owner;
  const auto& alice = keys().contributor;
  const std::string secret(kSecret);

  // Secrets written through the API: one the plugin declares, one it does not.
  auto declared = api_->request("PUT", "/v1/plugins/Misbehaving/settings", owner,
                                R"({"secrets":{"ApiToken":")" + secret + R"("}})");
  ASSERT_EQ(declared.status, 200) << declared.body;
  auto undeclared = api_->request("PUT", "/v1/plugins/ThreatIntel/settings", owner,
                                  R"({"secrets":{"Token":")" + secret + R"("}})");
  ASSERT_EQ(undeclared.status, 400) << undeclared.body;
  EXPECT_NE(undeclared.body.find("declares no setting 'Token'"), std::string::npos)
      << undeclared.body;
  EXPECT_EQ(undeclared.body.find(secret), std::string::npos) << undeclared.body;

  // Shown as set, never by value.
  auto settings = api_->get("/v1/plugins/Misbehaving/settings", alice);
  ASSERT_EQ(settings.status, 200) << settings.body;
  bool shown = false;
  const auto listed = settings.object();
  for (const auto& item : listed.at("value").as_array())
    if (item.at("name").as_string() == "ApiToken") {
      shown = true;
      EXPECT_TRUE(item.at("secret").as_bool());
      EXPECT_TRUE(item.at("set").as_bool()) << settings.body;
      EXPECT_FALSE(item.as_object().contains("value")) << settings.body;
    }
  EXPECT_TRUE(shown) << settings.body;

  // The plugin gets the secret (and logs it, which the host must redact).
  auto called = api_->post("/v1/skills/Misbehaving.Settings:invoke", alice,
                           {{"inputs", boost::json::object{}}});
  ASSERT_EQ(called.status, 200) << called.body;
  EXPECT_EQ(called.object().at("result").at("tokenLength").to_number<int>(),
            static_cast<int>(secret.size()));
  const auto session = api_->create_session(alice, "secret use");
  const auto evaluation = api_->submit(alice, session, "/Misbehaving.Settings");
  EXPECT_EQ(api_->finished(alice, evaluation).at("state").as_string(), "completed");
  api_->events(alice, evaluation);
  api_->get("/v1/sessions/" + session + "/export?format=json", alice);
  api_->get("/v1/sessions/" + session + "/export?format=markdown", alice);

  // Keys made and used, and logins that failed.
  auto key = api_->post("/v1/keys", owner, {{"name", "ci"}, {"role", "reader"}});
  ASSERT_EQ(key.status, 201) << key.body;
  const std::string key_id(key.object().at("id").as_string());
  EXPECT_EQ(api_->get("/v1/me", kAttemptedKey).status, 401);
  EXPECT_EQ(api_->get("/v1/me").status, 401);
  EXPECT_EQ(api_->get("/v1/audit", alice).status, 403);

  const auto entries = audit();
  std::set<std::string> actions;
  for (const auto& entry : entries)
    actions.insert(std::string(entry.at("action").as_string()));
  for (const char* action : {"skill.invoke", "key.create", "auth.failure", "settings.write"})
    EXPECT_TRUE(actions.count(action)) << "no " << action << " in the audit log";

  int settings_calls = 0;
  bool key_created = false, refused_alice = false, unknown_key = false;
  for (const auto& entry : entries) {
    const std::string action(entry.at("action").as_string());
    const std::string actor(entry.at("actor").as_string());
    const std::string target(entry.at("target").as_string());
    if (action == "skill.invoke" && target == "Misbehaving.Settings") {
      ++settings_calls;
      EXPECT_EQ(actor, kAliceUser);
      EXPECT_EQ(entry.at("outcome").as_string(), "ok");
    }
    if (action == "key.create" && target == key_id) {
      key_created = true;
      EXPECT_EQ(actor, kOwnerUser);
    }
    if (action == "auth.failure" && actor == kAliceUser && contains(target, "/v1/audit"))
      refused_alice = true;
    if (action == "auth.failure" && actor == "anonymous" &&
        contains(boost::json::serialize(entry.at("details")), "unknown"))
      unknown_key = true;
    EXPECT_FALSE(action == "auth.failure" && entry.at("outcome").as_string() != "denied")
        << boost::json::serialize(entry);
  }
  EXPECT_EQ(settings_calls, 2) << "one direct call and one through a prompt";
  EXPECT_TRUE(key_created);
  EXPECT_TRUE(refused_alice) << "a 403 is audited with who was refused";
  EXPECT_TRUE(unknown_key) << "an unknown key is audited";

  // Filters.
  for (const auto& entry : audit("?action=auth.failure"))
    EXPECT_EQ(entry.at("action").as_string(), "auth.failure");
  EXPECT_EQ(audit("?action=key.create&limit=1").size(), 1u);

  // Nowhere a secret: not in any API response, the daemon's log, or the store (but where it is
  // kept). The key someone tried is not recorded either.
  const auto transcript = api_->transcript();
  for (const auto& response : transcript) {
    EXPECT_FALSE(contains(response, kSecret)) << response.substr(0, 2000);
    EXPECT_FALSE(contains(response, kAttemptedKey)) << response.substr(0, 2000);
    EXPECT_FALSE(contains(response, owner)) << "an API key in a response: " << response;
  }
  EXPECT_FALSE(contains(daemon_->log(), kSecret)) << daemon_->log();
  EXPECT_TRUE(contains(daemon_->log(), "using token")) << "the plugin logged its line";
  EXPECT_EQ(store_cells_holding(daemon_->store_path(), kSecret), std::vector<std::string>{});
  EXPECT_EQ(store_cells_holding(daemon_->store_path(), kAttemptedKey), std::vector<std::string>{});
  EXPECT_EQ(store_cells_holding(daemon_->store_path(), owner), std::vector<std::string>{})
      << "API keys are stored as hashes only";

  // The store keeps secrets, so only the daemon's user may read it.
  struct stat status {};
  ASSERT_EQ(::stat(daemon_->store_path().c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 0077, 0u) << std::oct << status.st_mode;
  const auto wal = daemon_->store_path().string() + "-wal";
  if (::stat(wal.c_str(), &status) == 0) {
    EXPECT_EQ(status.st_mode & 0077, 0u) << wal;
  }
}

}  // namespace
}  // namespace secpilot::testing
