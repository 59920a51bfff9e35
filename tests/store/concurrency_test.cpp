// Many threads, and two stores on one file, writing at once: no "database is locked", no lost or
// duplicated sequence numbers.
#include <mutex>
#include <thread>

#include "store/store_fixture.hpp"

namespace secpilot::store::testing {
namespace {

class StoreConcurrencyTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    session = must(store->create_session("alice", "busy"));
    prompt = must(store->add_prompt(session.id, NewPrompt{}));
    shared = must(store->create_evaluation(prompt.id));
  }

  // Counts a failed call and keeps the first message for the report.
  template <class T>
  void check(const Expected<T>& result) {
    if (result) return;
    std::lock_guard lock(errors_mutex);
    if (errors++ == 0) first_error = result.error().message;
  }

  void expect_contiguous(const std::string& evaluation_id, std::size_t count) {
    const auto events = must(store->events_after(evaluation_id, 0, 10000));
    ASSERT_EQ(events.size(), count);
    for (std::size_t i = 0; i < events.size(); ++i)
      ASSERT_EQ(events[i].seq, static_cast<std::int64_t>(i + 1));
  }

  Session session;
  Prompt prompt;
  Evaluation shared;
  std::mutex errors_mutex;
  int errors = 0;
  std::string first_error;
};

TEST_F(StoreConcurrencyTest, EightThreadsWriteEventsAndAuditWhileOthersRead) {
  constexpr std::size_t kThreads = 8;
  constexpr std::size_t kRounds = 250;
  std::vector<Evaluation> own;
  for (std::size_t t = 0; t < kThreads; ++t)
    own.push_back(must(store->create_evaluation(prompt.id)));

  std::atomic<bool> writing{true};
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&] {
      while (writing) {
        check(store->events_after(shared.id, 0, 10000));
        check(store->list_audit({}));
        check(store->get_session(session.id, "alice"));
      }
    });
  }
  std::vector<std::thread> writers;
  for (std::size_t t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      for (std::size_t i = 0; i < kRounds; ++i) {
        check(store->append_event(shared.id, "step.finished", "{}"));
        check(store->append_event(own[t].id, "step.finished", "{}"));
        check(store->append_audit(
            {0, 0, "user-" + std::to_string(t), "skill.invoke", "P.S", AuditOutcome::ok, {}}));
      }
    });
  }
  for (auto& writer : writers)
    writer.join();
  writing = false;
  for (auto& reader : readers)
    reader.join();

  EXPECT_EQ(errors, 0) << first_error;
  expect_contiguous(shared.id, kThreads * kRounds);
  for (const auto& evaluation : own)
    expect_contiguous(evaluation.id, kRounds);
  close();
  EXPECT_EQ(raw_sql(file(), "SELECT count(*) FROM audit_log"), std::to_string(kThreads * kRounds));
}

TEST_F(StoreConcurrencyTest, FailingWritesLeaveTheOthersInTheirCommitAlone) {
  // Concurrent writes share commits; a write that fails must be undone alone.
  constexpr std::size_t kThreads = 8;
  constexpr std::size_t kRounds = 100;
  std::atomic<int> wrong_outcomes{0};
  std::vector<std::thread> writers;
  for (std::size_t t = 0; t < kThreads; ++t) {
    writers.emplace_back([&] {
      for (std::size_t i = 0; i < kRounds; ++i) {
        check(store->append_event(shared.id, "answer", "{}"));
        auto missing = store->append_event("missing", "answer", "{}");
        if (missing || missing.error().status != Status::not_found) ++wrong_outcomes;
        auto orphan = store->add_prompt("missing", NewPrompt{});
        if (orphan || orphan.error().status != Status::not_found) ++wrong_outcomes;
        check(store->add_prompt(session.id, NewPrompt{}));
      }
    });
  }
  for (auto& writer : writers)
    writer.join();
  EXPECT_EQ(errors, 0) << first_error;
  EXPECT_EQ(wrong_outcomes, 0);
  expect_contiguous(shared.id, kThreads * kRounds);
  const auto prompts = must(store->list_prompts(session.id));
  ASSERT_EQ(prompts.size(), 1 + kThreads * kRounds);
  for (std::size_t i = 0; i < prompts.size(); ++i)
    ASSERT_EQ(prompts[i].seq, static_cast<std::int64_t>(i + 1));
  close();
  EXPECT_EQ(raw_sql(file(), "SELECT count(*) FROM prompts"),
            std::to_string(1 + kThreads * kRounds));
}

TEST_F(StoreConcurrencyTest, TwoStoresOnOneFileWaitForEachOther) {
  // Two stores have separate connections and contend through SQLite's file locks, as a daemon and
  // a second process would.
  auto second = open();
  constexpr std::size_t kThreadsPerStore = 4;
  constexpr std::size_t kRounds = 150;
  std::vector<std::thread> writers;
  for (Store* target : {store.get(), second.get()}) {
    for (std::size_t t = 0; t < kThreadsPerStore; ++t) {
      writers.emplace_back([&, target] {
        for (std::size_t i = 0; i < kRounds; ++i) {
          check(target->append_event(shared.id, "answer", "{}"));
          check(target->append_audit({0, 0, "alice", "skill.invoke", "", AuditOutcome::ok, {}}));
          check(target->events_after(shared.id, 0, 10));
        }
      });
    }
  }
  for (auto& writer : writers)
    writer.join();
  EXPECT_EQ(errors, 0) << first_error;
  expect_contiguous(shared.id, 2 * kThreadsPerStore * kRounds);
}

}  // namespace
}  // namespace secpilot::store::testing
