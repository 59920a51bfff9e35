// Queued audit entries are written a batch at a time, in multi-row statements of 32, 8 and 1 rows:
// what comes back must be exactly what was queued, whatever the text holds, in the order it was
// queued.
#include <boost/json.hpp>

#include "store/store_fixture.hpp"

namespace secpilot::store::testing {
namespace {

using StoreAuditBatchTest = StoreFixture;

void expect_same(const AuditEntry& stored, const AuditEntry& queued) {
  EXPECT_EQ(stored.time_ms, queued.time_ms);
  EXPECT_EQ(stored.actor, queued.actor);
  EXPECT_EQ(stored.action, queued.action);
  EXPECT_EQ(stored.target, queued.target);
  EXPECT_EQ(stored.outcome, queued.outcome);
  EXPECT_EQ(stored.details, queued.details) << boost::json::serialize(stored.details);
}

// Entries queued back to back gather into one batch (the writer waits a few milliseconds after
// the first), so this writes many rows per statement: 41 entries take a statement of each size.
// Then a reopen reads them back from the file.
TEST_F(StoreAuditBatchTest, TrickyTextRoundTripsExactly) {
  const std::vector<AuditEntry> tricky = {
      {0,
       1'700'000'000'001,
       "alice",
       "skill.invoke",
       "ThreatIntel.LookupIndicator",
       AuditOutcome::ok,
       {{"duration_ms", 12}, {"inputs", {{"indicator", "198.51.100.7"}}}}},
      {0,
       1'700'000'000'002,
       "bob \"the admin\" O'Brien",
       "settings.write",
       R"(Plugin\Name "quoted" 'single' ; DROP TABLE audit_log; --)",
       AuditOutcome::denied,
       {{"setting", "Api\"Token\\"}, {"note", "line one\nline two\ttab"}}},
      {0,
       1'700'000'000'003,
       "zoë",
       "skill.invoke",
       "Ünïcødé.Skill 日本語 🔒",
       AuditOutcome::error,
       {{"error", "café \u00e9 € 😀"}, {"ratio", 0.25}, {"flag", false}}},
      {0, 1'700'000'000'004, "system", "plugin.enable", "", AuditOutcome::ok, {}},
      {0,
       1'700'000'000'005,
       "carol",
       "key.create",
       "[1, 2] {\"not\": \"json\"}",
       AuditOutcome::ok,
       {{"nested", {{"list", {1, "two", nullptr}}}}, {"empty", ""}}},
      {0,
       1'700'000'000'006,
       "dave\x01\x1f",
       "auth.failure",
       "$[0]",
       AuditOutcome::denied,
       {{"control", "\x02\x7f"}}},
      // NUL bytes are text too (SQLite's JSON functions would cut the text there).
      {0,
       1'700'000'000'007,
       "eve",
       "skill.invoke",
       std::string("Nul\0Byte", 8),
       AuditOutcome::ok,
       {{"nul", std::string("a\0b", 3)}}},
      {0, 1'700'000'000'008, "frank", "skill.invoke", "Last.One", AuditOutcome::ok, {}},
  };
  std::vector<AuditEntry> queued;
  for (int copy = 0; copy < 5; ++copy) {
    for (auto entry : tricky) {
      entry.time_ms += copy * 100;
      queued.push_back(std::move(entry));
    }
  }
  queued.push_back({0, 1'700'000'001'000, "last", "skill.invoke", "Z.Z", AuditOutcome::ok, {}});
  ASSERT_EQ(queued.size(), 41u);
  for (const auto& entry : queued)
    store->queue_audit(entry);

  AuditQuery all;
  all.limit = 1000;
  for (int pass = 0; pass < 2; ++pass) {
    SCOPED_TRACE(pass == 0 ? "as written" : "after a reopen");
    const auto listed = must(store->list_audit(all));
    ASSERT_EQ(listed.size(), queued.size());
    // Newest first, in the queue's order, each with its own increasing seq.
    for (std::size_t i = 0; i < queued.size(); ++i) {
      SCOPED_TRACE("entry " + std::to_string(i));
      const auto& stored = listed[queued.size() - 1 - i];
      expect_same(stored, queued[i]);
      if (i > 0) {
        EXPECT_GT(stored.seq, listed[queued.size() - i].seq);
      }
    }
    reopen();
  }
  EXPECT_EQ(raw_sql(file(), "SELECT count(*) FROM audit_log WHERE json_valid(details)"),
            std::to_string(queued.size()));
}

// A bad entry in the middle of a batch is left out; the entries around it are kept, in order.
TEST_F(StoreAuditBatchTest, BadEntryInABatchCostsOnlyItself) {
  store->queue_audit({0, 0, "alice", "skill.invoke", "A.One", AuditOutcome::ok, {}});
  store->queue_audit({0, 0, "", "skill.invoke", "No.Actor", AuditOutcome::ok, {}});
  store->queue_audit({0, 0, "alice", "", "No.Action", AuditOutcome::ok, {}});
  store->queue_audit({0, 0, "alice", "skill.invoke", "A.Two", AuditOutcome::ok, {}});
  const auto listed = must(store->list_audit({}));
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].target, "A.Two");
  EXPECT_EQ(listed[1].target, "A.One");
  EXPECT_EQ(listed[1].time_ms, clock.load()) << "the time is taken when queued";
}

}  // namespace
}  // namespace secpilot::store::testing
