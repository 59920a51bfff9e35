// Sessions and prompts: CRUD, owner isolation, search, paging, cascade delete.
#include <boost/json.hpp>

#include "store/store_fixture.hpp"

namespace secpilot::store::testing {
namespace {

using StoreSessionsTest = StoreFixture;

TEST_F(StoreSessionsTest, CreateGetAndRename) {
  const Session created = must(store->create_session("alice", "Triage INC-1"));
  EXPECT_EQ(created.id.size(), 36u);
  EXPECT_EQ(created.owner, "alice");
  EXPECT_EQ(created.created_ms, clock.load());
  EXPECT_EQ(created.modified_ms, created.created_ms);

  const Session read = must(store->get_session(created.id, "alice"));
  EXPECT_EQ(read.display_name, "Triage INC-1");
  EXPECT_EQ(read.created_ms, created.created_ms);

  tick(1000);
  const Session renamed = must(store->rename_session(created.id, "alice", "INC-1 (closed)"));
  EXPECT_EQ(renamed.display_name, "INC-1 (closed)");
  EXPECT_EQ(renamed.created_ms, created.created_ms);
  EXPECT_EQ(renamed.modified_ms, created.created_ms + 1000);
  EXPECT_EQ(must(store->get_session(created.id, "alice")).display_name, "INC-1 (closed)");
}

TEST_F(StoreSessionsTest, AnotherOwnersSessionIsNotFound) {
  const Session alices = must(store->create_session("alice", "private"));
  must(store->create_session("bob", "bob's"));

  const Error read = error_of(store->get_session(alices.id, "bob"));
  EXPECT_EQ(read.status, Status::not_found);
  // The same answer as for an id that does not exist: no existence oracle.
  EXPECT_EQ(read.message, "session '" + alices.id + "' not found");
  EXPECT_EQ(error_of(store->rename_session(alices.id, "bob", "mine now")).status,
            Status::not_found);
  EXPECT_EQ(error_of(store->delete_session(alices.id, "bob")).status, Status::not_found);

  const auto bobs = must(store->list_sessions("bob", "", {}));
  ASSERT_EQ(bobs.size(), 1u);
  EXPECT_EQ(bobs[0].display_name, "bob's");
  EXPECT_EQ(must(store->get_session(alices.id, "alice")).display_name, "private");
}

TEST_F(StoreSessionsTest, ListsMostRecentlyModifiedFirstWithPaging) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(must(store->create_session("alice", "s" + std::to_string(i))).id);
    tick(10);
  }
  must(store->rename_session(ids[1], "alice", "s1 renamed"));  // now the most recent

  const auto all = must(store->list_sessions("alice", "", {}));
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all[0].id, ids[1]);
  EXPECT_EQ(all[1].id, ids[4]);
  EXPECT_EQ(all[4].id, ids[0]);

  const auto page = must(store->list_sessions("alice", "", Page{2, 2}));
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].id, all[2].id);
  EXPECT_EQ(page[1].id, all[3].id);
  EXPECT_TRUE(must(store->list_sessions("alice", "", Page{10, 5})).empty());

  // Sessions created in the same millisecond still come out in a stable order.
  const auto a = must(store->create_session("carol", "a"));
  const auto b = must(store->create_session("carol", "b"));
  const auto same_time = must(store->list_sessions("carol", "", {}));
  ASSERT_EQ(same_time.size(), 2u);
  EXPECT_EQ(same_time[0].id, b.id);
  EXPECT_EQ(same_time[1].id, a.id);

  EXPECT_EQ(error_of(store->list_sessions("alice", "", Page{0, 0})).status, Status::invalid_input);
  EXPECT_EQ(error_of(store->list_sessions("alice", "", Page{1001, 0})).status,
            Status::invalid_input);
  EXPECT_EQ(error_of(store->list_sessions("alice", "", Page{10, -1})).status,
            Status::invalid_input);
}

TEST_F(StoreSessionsTest, SearchMatchesNamesAndPromptsCaseInsensitively) {
  const auto phishing = must(store->create_session("alice", "Phishing wave"));
  const auto other = must(store->create_session("alice", "Weekly report"));
  const auto percent = must(store->create_session("alice", "100% CPU on host-7"));
  must(store->create_session("bob", "phishing at bob's"));
  must(store->add_prompt(other.id, NewPrompt{PromptType::prompt, "Look up 203.0.113.9", "", {}}));

  auto found = must(store->list_sessions("alice", "PHISH", {}));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, phishing.id);

  found = must(store->list_sessions("alice", "203.0.113", {}));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, other.id);

  // LIKE's wildcards in the search text are taken literally.
  found = must(store->list_sessions("alice", "100%", {}));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, percent.id);
  EXPECT_TRUE(must(store->list_sessions("alice", "1_0", {})).empty());
  EXPECT_TRUE(must(store->list_sessions("alice", "nothing like it", {})).empty());
}

TEST_F(StoreSessionsTest, PromptsKeepOrderAndInputs) {
  const auto session = must(store->create_session("alice", "s"));
  tick(5);
  const auto first = must(
      store->add_prompt(session.id, NewPrompt{PromptType::prompt, "What is 1.2.3.4?", "", {}}));
  boost::json::object inputs{{"ip", "1.2.3.4"}, {"days", 7}, {"deep", {{"k", true}}}};
  const auto second = must(
      store->add_prompt(session.id, NewPrompt{PromptType::skill, "/ThreatIntel.LookupIp ip=1.2.3.4",
                                              "ThreatIntel.LookupIp", inputs}));
  EXPECT_EQ(first.seq, 1);
  EXPECT_EQ(second.seq, 2);
  EXPECT_EQ(first.session_id, session.id);

  const auto prompts = must(store->list_prompts(session.id));
  ASSERT_EQ(prompts.size(), 2u);
  EXPECT_EQ(prompts[0].id, first.id);
  EXPECT_EQ(prompts[0].type, PromptType::prompt);
  EXPECT_EQ(prompts[0].content, "What is 1.2.3.4?");
  EXPECT_TRUE(prompts[0].inputs.empty());
  EXPECT_EQ(prompts[1].type, PromptType::skill);
  EXPECT_EQ(prompts[1].skill_name, "ThreatIntel.LookupIp");
  EXPECT_EQ(prompts[1].inputs, inputs);
  EXPECT_EQ(prompts[1].created_ms, clock.load());

  const auto read = must(store->get_prompt(second.id));
  EXPECT_EQ(read.inputs, inputs);
  EXPECT_EQ(read.seq, 2);

  // A new prompt makes the session the most recently modified.
  EXPECT_EQ(must(store->get_session(session.id, "alice")).modified_ms, clock.load());

  EXPECT_EQ(error_of(store->add_prompt("missing", NewPrompt{})).status, Status::not_found);
  EXPECT_EQ(error_of(store->get_prompt("missing")).status, Status::not_found);
  // Sequence numbers are per session.
  const auto other = must(store->create_session("alice", "other"));
  EXPECT_EQ(must(store->add_prompt(other.id, NewPrompt{})).seq, 1);
}

TEST_F(StoreSessionsTest, DeleteCascadesToEverythingBelow) {
  const auto session = must(store->create_session("alice", "doomed"));
  const auto keep = must(store->create_session("alice", "kept"));
  for (const auto* id : {&session.id, &keep.id}) {
    const auto prompt = must(store->add_prompt(*id, NewPrompt{PromptType::prompt, "hi", "", {}}));
    const auto evaluation = must(store->create_evaluation(prompt.id));
    must(store->append_step(evaluation.id, NewStep{"P.S", {}, 0}));
    must(store->append_event(evaluation.id, "answer", "{}"));
  }
  const auto doomed_prompts = must(store->list_prompts(session.id));
  const auto doomed_evaluations = must(store->list_session_evaluations(session.id));

  must(store->delete_session(session.id, "alice"));
  EXPECT_EQ(error_of(store->get_session(session.id, "alice")).status, Status::not_found);
  EXPECT_EQ(error_of(store->delete_session(session.id, "alice")).status, Status::not_found);
  EXPECT_TRUE(must(store->list_prompts(session.id)).empty());
  EXPECT_EQ(error_of(store->get_prompt(doomed_prompts[0].id)).status, Status::not_found);
  EXPECT_EQ(error_of(store->get_evaluation(doomed_evaluations[0].id)).status, Status::not_found);
  EXPECT_TRUE(must(store->list_steps(doomed_evaluations[0].id)).empty());
  EXPECT_TRUE(must(store->events_after(doomed_evaluations[0].id, 0)).empty());

  close();
  for (const char* table : {"sessions", "prompts", "evaluations", "steps", "events"})
    EXPECT_EQ(raw_sql(file(), std::string("SELECT count(*) FROM ") + table), "1") << table;
}

TEST_F(StoreSessionsTest, SessionsSurviveReopening) {
  const auto session = must(store->create_session("alice", "durable"));
  must(store->add_prompt(session.id, NewPrompt{PromptType::prompt, "still here?", "", {}}));
  reopen();
  EXPECT_EQ(must(store->get_session(session.id, "alice")).display_name, "durable");
  EXPECT_EQ(must(store->list_prompts(session.id)).at(0).content, "still here?");
}

TEST_F(StoreSessionsTest, RejectsASessionWithoutOwner) {
  EXPECT_EQ(error_of(store->create_session("", "x")).status, Status::invalid_input);
}

}  // namespace
}  // namespace secpilot::store::testing
