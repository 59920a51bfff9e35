// API keys (hashing, lookup, revocation, use) and the audit log.
#include <boost/json.hpp>

#include "secpilot/util/sha256.hpp"
#include "store/store_fixture.hpp"

namespace secpilot::store::testing {
namespace {

using StoreKeysTest = StoreFixture;
using StoreAuditTest = StoreFixture;

bool is_base64url(std::string_view text) {
  for (char c : text)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  return true;
}

TEST_F(StoreKeysTest, CreatedKeyIsFoundByItsSecretOnly) {
  const auto created = must(store->create_api_key("ci", Role::contributor, "alice"));
  ASSERT_EQ(created.secret.size(), 3u + 43u);
  EXPECT_EQ(created.secret.substr(0, 3), "sp_");
  EXPECT_TRUE(is_base64url(created.secret.substr(3))) << created.secret;
  EXPECT_EQ(created.key.key_hash, sha256_hex(created.secret));
  EXPECT_EQ(created.key.name, "ci");
  EXPECT_EQ(created.key.role, Role::contributor);
  EXPECT_EQ(created.key.user, "alice");
  EXPECT_EQ(created.key.created_ms, clock.load());
  EXPECT_EQ(created.key.revoked_ms, 0);

  const auto found = must(store->find_key_by_secret(created.secret));
  EXPECT_EQ(found.id, created.key.id);
  EXPECT_EQ(found.role, Role::contributor);
  EXPECT_EQ(found.user, "alice");

  const auto other = must(store->create_api_key("laptop", Role::reader, "bob"));
  EXPECT_NE(other.secret, created.secret);
  EXPECT_EQ(must(store->find_key_by_secret(other.secret)).user, "bob");

  std::string wrong = created.secret;
  wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(error_of(store->find_key_by_secret(wrong)).status, Status::unauthorized);
  EXPECT_EQ(error_of(store->find_key_by_secret("")).status, Status::unauthorized);
  EXPECT_EQ(error_of(store->find_key_by_secret(created.key.key_hash)).status, Status::unauthorized);

  EXPECT_EQ(error_of(store->create_api_key("", Role::reader, "alice")).status,
            Status::invalid_input);
  EXPECT_EQ(error_of(store->create_api_key("x", Role::reader, "")).status, Status::invalid_input);
}

TEST_F(StoreKeysTest, TheSecretNeverReachesTheFile) {
  std::vector<CreatedApiKey> keys;
  for (int i = 0; i < 3; ++i)
    keys.push_back(must(store->create_api_key("k" + std::to_string(i), Role::owner, "alice")));
  must(store->revoke_key(keys[1].key.id));
  // Look at the bytes both while the WAL holds them and after the checkpoint at close.
  auto all_bytes = [&] {
    std::string bytes;
    for (const auto& entry : std::filesystem::directory_iterator(file().parent_path()))
      bytes += file_bytes(entry.path());
    return bytes;
  };
  for (int pass = 0; pass < 2; ++pass) {
    const std::string bytes = all_bytes();
    for (const auto& key : keys) {
      EXPECT_EQ(bytes.find(key.secret), std::string::npos) << "pass " << pass;
      EXPECT_EQ(bytes.find(key.secret.substr(3)), std::string::npos) << "pass " << pass;
      // The hash is there: the search itself works.
      EXPECT_NE(bytes.find(key.key.key_hash), std::string::npos) << "pass " << pass;
    }
    close();
  }
}

TEST_F(StoreKeysTest, RevokedKeysStopWorkingForGood) {
  const auto created = must(store->create_api_key("ci", Role::owner, "alice"));
  tick(1000);
  must(store->revoke_key(created.key.id));
  const Error revoked = error_of(store->find_key_by_secret(created.secret));
  EXPECT_EQ(revoked.status, Status::unauthorized);
  EXPECT_NE(revoked.message.find("revoked"), std::string::npos) << revoked.message;

  tick(1000);
  must(store->revoke_key(created.key.id));  // idempotent, keeps the first time
  const auto keys = must(store->list_keys());
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].revoked_ms, created.key.created_ms + 1000);

  EXPECT_EQ(error_of(store->revoke_key("missing")).status, Status::not_found);
  reopen();
  EXPECT_EQ(error_of(store->find_key_by_secret(created.secret)).status, Status::unauthorized);
}

// Keys are remembered after a lookup (every request checks one); a revocation must still show
// at the very next lookup.
TEST_F(StoreKeysTest, ARevokedKeyStopsAtOnceEvenAfterLookups) {
  const auto created = must(store->create_api_key("ci", Role::owner, "alice"));
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(must(store->find_key_by_secret(created.secret)).id, created.key.id);
  must(store->revoke_key(created.key.id));
  EXPECT_EQ(error_of(store->find_key_by_secret(created.secret)).status, Status::unauthorized);
  // Unknown secrets are looked up each time and never remembered.
  EXPECT_EQ(error_of(store->find_key_by_secret("sp_unknown")).status, Status::unauthorized);
}

TEST_F(StoreKeysTest, ListsKeysPerUser) {
  const auto a = must(store->create_api_key("a", Role::owner, "alice"));
  tick(1);
  const auto b = must(store->create_api_key("b", Role::reader, "bob"));
  tick(1);
  const auto c = must(store->create_api_key("c", Role::contributor, "alice"));
  const auto all = must(store->list_keys());
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].id, a.key.id);
  EXPECT_EQ(all[1].id, b.key.id);
  EXPECT_EQ(all[2].id, c.key.id);
  const auto alices = must(store->list_keys("alice"));
  ASSERT_EQ(alices.size(), 2u);
  EXPECT_EQ(alices[1].role, Role::contributor);
  EXPECT_TRUE(must(store->list_keys("nobody")).empty());
}

TEST_F(StoreKeysTest, TouchRecordsUseAtMostOncePerInterval) {
  const auto created = must(store->create_api_key("ci", Role::reader, "alice"));
  const TimeMs start = clock.load();
  must(store->touch_key(created.key.id));
  EXPECT_EQ(must(store->find_key_by_secret(created.secret)).last_used_ms, start);

  tick(10'000);
  must(store->touch_key(created.key.id));  // within the minute: not written
  EXPECT_EQ(must(store->find_key_by_secret(created.secret)).last_used_ms, start);

  tick(60'000);
  must(store->touch_key(created.key.id));
  EXPECT_EQ(must(store->find_key_by_secret(created.secret)).last_used_ms, clock.load());

  EXPECT_EQ(error_of(store->touch_key("missing")).status, Status::not_found);

  // With no interval every use is written.
  close();
  SqliteStoreOptions options;
  options.key_touch_interval = std::chrono::milliseconds(0);
  store = open(options);
  tick(1);
  must(store->touch_key(created.key.id));
  EXPECT_EQ(must(store->find_key_by_secret(created.secret)).last_used_ms, clock.load());
}

TEST_F(StoreAuditTest, AppendsAndListsNewestFirst) {
  const auto first = must(store->append_audit({0,
                                               0,
                                               "alice",
                                               "skill.invoke",
                                               "ThreatIntel.LookupIp",
                                               AuditOutcome::ok,
                                               {{"duration_ms", 12}}}));
  tick(10);
  const auto second = must(store->append_audit(
      {0, 0, "bob", "settings.write", "Jamf", AuditOutcome::denied, {{"setting", "ApiToken"}}}));
  tick(10);
  const auto third =
      must(store->append_audit({0, 0, "system", "plugin.enable", "Jamf", AuditOutcome::ok, {}}));
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);

  const auto all = must(store->list_audit({}));
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].seq, third);
  EXPECT_EQ(all[2].seq, first);
  EXPECT_EQ(all[2].actor, "alice");
  EXPECT_EQ(all[2].action, "skill.invoke");
  EXPECT_EQ(all[2].target, "ThreatIntel.LookupIp");
  EXPECT_EQ(all[2].outcome, AuditOutcome::ok);
  EXPECT_EQ(all[2].details, (boost::json::object{{"duration_ms", 12}}));
  EXPECT_EQ(all[2].time_ms, clock.load() - 20);
  EXPECT_EQ(all[1].outcome, AuditOutcome::denied);

  // An explicit time is kept.
  must(store->append_audit({0, 42, "system", "auth.failure", "", AuditOutcome::denied, {}}));
  EXPECT_EQ(must(store->list_audit({})).at(0).time_ms, 42);

  EXPECT_EQ(error_of(store->append_audit({0, 0, "", "x", "", AuditOutcome::ok, {}})).status,
            Status::invalid_input);
  EXPECT_EQ(error_of(store->append_audit({0, 0, "alice", "", "", AuditOutcome::ok, {}})).status,
            Status::invalid_input);
}

// Queued entries (the request path's) are written in the background, in order with the rest,
// and are there for the next read and after a restart.
TEST_F(StoreAuditTest, QueuedEntriesKeepTheirOrderAndSurviveAReopen) {
  store->queue_audit({0, 0, "alice", "skill.invoke", "A.One", AuditOutcome::ok, {}});
  tick(5);
  store->queue_audit({0, 0, "alice", "skill.invoke", "A.Two", AuditOutcome::error, {}});
  must(store->append_audit({0, 0, "bob", "plugin.enable", "Jamf", AuditOutcome::ok, {}}));
  store->queue_audit({0, 0, "", "bad.entry", "", AuditOutcome::ok, {}});  // skipped, alone
  store->queue_audit({0, 0, "carol", "auth.failure", "", AuditOutcome::denied, {}});

  auto listed = must(store->list_audit({}));
  ASSERT_EQ(listed.size(), 4u);
  EXPECT_EQ(listed[3].target, "A.One");
  EXPECT_EQ(listed[3].time_ms, clock.load() - 5) << "the time is taken when queued";
  EXPECT_EQ(listed[2].target, "A.Two");
  EXPECT_EQ(listed[1].target, "Jamf");
  EXPECT_EQ(listed[0].actor, "carol");

  for (int i = 0; i < 100; ++i)
    store->queue_audit(
        {0, 0, "dave", "skill.invoke", "B." + std::to_string(i), AuditOutcome::ok, {}});
  reopen();  // closing writes what is still queued
  AuditQuery dave;
  dave.actor = "dave";
  dave.limit = 1000;
  listed = must(store->list_audit(dave));
  ASSERT_EQ(listed.size(), 100u);
  EXPECT_EQ(listed.front().target, "B.99");
  EXPECT_EQ(listed.back().target, "B.0");
}

TEST_F(StoreAuditTest, FiltersAndPages) {
  const TimeMs start = clock.load();
  for (int i = 0; i < 10; ++i) {
    must(store->append_audit({0,
                              0,
                              i % 2 == 0 ? "alice" : "bob",
                              i % 3 == 0 ? "skill.invoke" : "plugin.enable",
                              "target-" + std::to_string(i % 4),
                              i == 7 ? AuditOutcome::error : AuditOutcome::ok,
                              {{"i", i}}}));
    tick(100);
  }
  auto indexes = [](const std::vector<AuditEntry>& entries) {
    std::vector<std::int64_t> result;
    for (const auto& entry : entries)
      result.push_back(entry.details.at("i").as_int64());
    return result;
  };
  using V = std::vector<std::int64_t>;

  AuditQuery query;
  query.actor = "alice";
  EXPECT_EQ(indexes(must(store->list_audit(query))), (V{8, 6, 4, 2, 0}));
  query.action = "skill.invoke";
  EXPECT_EQ(indexes(must(store->list_audit(query))), (V{6, 0}));

  query = {};
  query.target = "target-1";
  EXPECT_EQ(indexes(must(store->list_audit(query))), (V{9, 5, 1}));
  query = {};
  query.outcome = AuditOutcome::error;
  EXPECT_EQ(indexes(must(store->list_audit(query))), (V{7}));
  query = {};
  query.since_ms = start + 300;
  query.until_ms = start + 600;
  EXPECT_EQ(indexes(must(store->list_audit(query))), (V{5, 4, 3}));

  // Paging backwards from the last entry seen.
  query = {};
  query.limit = 4;
  auto page = must(store->list_audit(query));
  EXPECT_EQ(indexes(page), (V{9, 8, 7, 6}));
  query.before_seq = page.back().seq;
  page = must(store->list_audit(query));
  EXPECT_EQ(indexes(page), (V{5, 4, 3, 2}));
  query.before_seq = page.back().seq;
  EXPECT_EQ(indexes(must(store->list_audit(query))), (V{1, 0}));

  query = {};
  query.limit = 0;
  EXPECT_EQ(error_of(store->list_audit(query)).status, Status::invalid_input);
}

}  // namespace
}  // namespace secpilot::store::testing
