// Approvals and evaluation plans: a request pauses its evaluation in the same transaction, a
// decision is taken once (the first wins), listings filter by requester, state and evaluation,
// plans round-trip, and a store written before approvals existed upgrades in place.
#include <boost/json.hpp>

#include "store/store_fixture.hpp"

namespace secpilot::store::testing {
namespace {

constexpr std::string_view kHash =
    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

class StoreApprovalsTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    alice_session = must(store->create_session("alice", "alice's"));
    bob_session = must(store->create_session("bob", "bob's"));
  }

  // A running evaluation of a new prompt in `session`.
  Evaluation running_in(const Session& session) {
    const auto prompt =
        must(store->add_prompt(session.id, {PromptType::prompt, "acknowledge 4127", "", {}}));
    const auto evaluation = must(store->create_evaluation(prompt.id));
    return must(store->update_evaluation(evaluation.id, {.state = EvaluationState::running}));
  }

  NewApproval request_for(const Evaluation& evaluation, std::int64_t call_index = 1) {
    return {.evaluation_id = evaluation.id,
            .call_index = call_index,
            .skill = "RedCanary.UpdateDetectionState",
            .inputs = {{"id", "4127"}, {"state", "acknowledged"}},
            .side_effects = "write",
            .args_hash = std::string(kHash)};
  }

  // The ids list_approvals answers with, in its order.
  std::vector<std::string> ids(const ApprovalQuery& query) {
    std::vector<std::string> out;
    for (const auto& approval : must(store->list_approvals(query)))
      out.push_back(approval.id);
    return out;
  }

  Session alice_session, bob_session;
};

TEST_F(StoreApprovalsTest, ARequestPausesItsEvaluation) {
  const auto evaluation = running_in(alice_session);
  tick(40);
  const auto approval = must(store->request_approval(request_for(evaluation)));
  EXPECT_FALSE(approval.id.empty());
  EXPECT_EQ(approval.evaluation_id, evaluation.id);
  EXPECT_EQ(approval.session_id, alice_session.id);
  EXPECT_EQ(approval.requested_by, "alice");
  EXPECT_EQ(approval.call_index, 1);
  EXPECT_EQ(approval.skill, "RedCanary.UpdateDetectionState");
  EXPECT_EQ(approval.inputs, (boost::json::object{{"id", "4127"}, {"state", "acknowledged"}}));
  EXPECT_EQ(approval.side_effects, "write");
  EXPECT_EQ(approval.args_hash, kHash);
  EXPECT_EQ(approval.state, ApprovalState::pending);
  EXPECT_EQ(approval.decided_by, "");
  EXPECT_EQ(approval.created_ms, clock.load());
  EXPECT_EQ(approval.decided_ms, 0);
  EXPECT_EQ(must(store->get_evaluation(evaluation.id)).state, EvaluationState::waiting_for_input);

  const auto read = must(store->get_approval(approval.id));
  EXPECT_EQ(read.skill, approval.skill);
  EXPECT_EQ(read.inputs, approval.inputs);
  EXPECT_EQ(read.requested_by, "alice");
  EXPECT_EQ(error_of(store->get_approval("nope")).status, Status::not_found);
}

TEST_F(StoreApprovalsTest, OnlyARunningEvaluationCanAskAndOnlyForSideEffects) {
  const auto evaluation = running_in(alice_session);
  must(store->request_approval(request_for(evaluation)));
  // Already waiting: one pending approval at a time.
  EXPECT_EQ(error_of(store->request_approval(request_for(evaluation))).status,
            Status::invalid_input);

  const auto ended = running_in(alice_session);
  must(store->update_evaluation(ended.id, {.state = EvaluationState::completed}));
  const auto refused = error_of(store->request_approval(request_for(ended)));
  EXPECT_EQ(refused.status, Status::invalid_input);
  EXPECT_NE(refused.message.find("completed"), std::string::npos) << refused.message;

  auto read_only = request_for(running_in(alice_session));
  read_only.side_effects = "read";
  EXPECT_EQ(error_of(store->request_approval(read_only)).status, Status::invalid_input);
  auto missing = request_for(running_in(alice_session));
  missing.evaluation_id = "missing";
  EXPECT_EQ(error_of(store->request_approval(missing)).status, Status::not_found);
}

TEST_F(StoreApprovalsTest, TheFirstDecisionWins) {
  const auto approval = must(store->request_approval(request_for(running_in(alice_session))));
  tick(1000);
  const auto approved = must(store->decide_approval(
      approval.id, {ApprovalState::approved, "olivia", "change ticket CHG-1234"}));
  EXPECT_EQ(approved.state, ApprovalState::approved);
  EXPECT_EQ(approved.decided_by, "olivia");
  EXPECT_EQ(approved.reason, "change ticket CHG-1234");
  EXPECT_EQ(approved.decided_ms, clock.load());

  tick(1000);
  const auto late =
      error_of(store->decide_approval(approval.id, {ApprovalState::denied, "alice", ""}));
  EXPECT_EQ(late.status, Status::invalid_input);
  EXPECT_NE(late.message.find("already approved by olivia"), std::string::npos) << late.message;
  const auto kept = must(store->get_approval(approval.id));
  EXPECT_EQ(kept.state, ApprovalState::approved);
  EXPECT_EQ(kept.decided_by, "olivia");
  EXPECT_EQ(kept.decided_ms, approved.decided_ms);

  EXPECT_EQ(
      error_of(store->decide_approval("missing", {ApprovalState::denied, "alice", ""})).status,
      Status::not_found);
  EXPECT_EQ(
      error_of(store->decide_approval(approval.id, {ApprovalState::pending, "alice", ""})).status,
      Status::invalid_input);
}

TEST_F(StoreApprovalsTest, ListsFilterAndComeNewestFirst) {
  const auto first = running_in(alice_session);
  const auto a1 = must(store->request_approval(request_for(first)));
  tick(10);
  const auto second = running_in(alice_session);
  const auto a2 = must(store->request_approval(request_for(second)));
  tick(10);
  const auto b1 = must(store->request_approval(request_for(running_in(bob_session))));
  must(store->decide_approval(a1.id, {ApprovalState::denied, "alice", "not now"}));
  // The denied one's evaluation went on and ended.
  must(store->update_evaluation(first.id, {.state = EvaluationState::running}));
  must(store->update_evaluation(first.id, {.state = EvaluationState::failed}));

  using Ids = std::vector<std::string>;
  EXPECT_EQ(ids({}), (Ids{b1.id, a2.id, a1.id}));
  EXPECT_EQ(ids({.requested_by = "alice"}), (Ids{a2.id, a1.id}));
  EXPECT_EQ(ids({.requested_by = "bob"}), (Ids{b1.id}));
  EXPECT_EQ(ids({.state = ApprovalState::pending}), (Ids{b1.id, a2.id}));
  EXPECT_EQ(ids({.requested_by = "alice", .state = ApprovalState::denied}), (Ids{a1.id}));
  EXPECT_EQ(ids({.evaluation_id = second.id}), (Ids{a2.id}));
  EXPECT_EQ(ids({.evaluation_state = EvaluationState::waiting_for_input}), (Ids{b1.id, a2.id}));
  EXPECT_EQ(ids({.requested_by = "carol"}), Ids{});
  EXPECT_EQ(ids({.page = {.limit = 1, .offset = 1}}), (Ids{a2.id}));
  EXPECT_EQ(error_of(store->list_approvals({.page = {.limit = 0, .offset = 0}})).status,
            Status::invalid_input);
}

TEST_F(StoreApprovalsTest, ListsFilterBySessionAndArgumentsHash) {
  const auto other_session = must(store->create_session("alice", "MCP tool calls"));
  const auto mine = must(store->request_approval(request_for(running_in(alice_session))));
  auto other = request_for(running_in(other_session));
  other.args_hash = std::string(64, 'e');
  const auto elsewhere = must(store->request_approval(other));

  using Ids = std::vector<std::string>;
  EXPECT_EQ(ids({.session_id = alice_session.id}), (Ids{mine.id}));
  EXPECT_EQ(ids({.session_id = other_session.id}), (Ids{elsewhere.id}));
  EXPECT_EQ(ids({.args_hash = std::string(kHash)}), (Ids{mine.id}));
  EXPECT_EQ(ids({.session_id = other_session.id, .args_hash = std::string(kHash)}), Ids{});
}

// An outcome is handed out once: a decided approval is claimed the first time only, a pending or
// cancelled one not at all, and the claim survives a reopen.
TEST_F(StoreApprovalsTest, ADecidedApprovalIsClaimedOnce) {
  const auto pending = must(store->request_approval(request_for(running_in(alice_session))));
  EXPECT_FALSE(must(store->claim_approval(pending.id)));
  EXPECT_EQ(must(store->get_approval(pending.id)).claimed_ms, 0);

  must(store->decide_approval(pending.id, {ApprovalState::approved, "olivia", ""}));
  tick(25);
  EXPECT_TRUE(must(store->claim_approval(pending.id)));
  EXPECT_FALSE(must(store->claim_approval(pending.id)));
  reopen();
  EXPECT_EQ(must(store->get_approval(pending.id)).claimed_ms, clock.load());

  const auto cancelled = must(store->request_approval(request_for(running_in(bob_session))));
  must(store->decide_approval(cancelled.id, {ApprovalState::cancelled, "bob", ""}));
  EXPECT_FALSE(must(store->claim_approval(cancelled.id)));
  EXPECT_EQ(error_of(store->claim_approval("missing")).status, Status::not_found);
}

TEST_F(StoreApprovalsTest, DeletingASessionDeletesItsApprovals) {
  const auto approval = must(store->request_approval(request_for(running_in(bob_session))));
  must(store->delete_session(bob_session.id, "bob"));
  EXPECT_EQ(error_of(store->get_approval(approval.id)).status, Status::not_found);
  EXPECT_EQ(raw_sql(file(), "SELECT count(*) FROM approvals"), "0");
}

TEST_F(StoreApprovalsTest, PlansRoundTripAndSurviveAReopen) {
  const auto evaluation = running_in(alice_session);
  EXPECT_EQ(error_of(store->evaluation_plan(evaluation.id)).status, Status::not_found);
  const boost::json::array plan = {
      {{"skill", "RedCanary.ListDetections"}, {"inputs", {{"state", "open"}}}},
      {{"skill", "RedCanary.UpdateDetectionState"},
       {"inputs", {{"id", "4127"}, {"state", "acknowledged"}}},
       {"bindings", {{"id", "$.steps[0].detections[0].id"}}}}};
  must(store->set_evaluation_plan(evaluation.id, plan));
  EXPECT_EQ(must(store->evaluation_plan(evaluation.id)), plan);
  reopen();
  EXPECT_EQ(must(store->evaluation_plan(evaluation.id)), plan);
  must(store->set_evaluation_plan(evaluation.id, boost::json::array()));
  EXPECT_EQ(must(store->evaluation_plan(evaluation.id)), boost::json::array());
  EXPECT_EQ(error_of(store->set_evaluation_plan("missing", plan)).status, Status::not_found);
  EXPECT_EQ(error_of(store->evaluation_plan("missing")).status, Status::not_found);
}

// A store from before approvals (schema version 1) gains the plan column and the approvals table
// at open, and keeps what it held.
TEST_F(StoreApprovalsTest, AStoreWithoutApprovalsUpgradesInPlace) {
  const auto evaluation = running_in(alice_session);
  close();
  raw_sql(file(), "DROP TABLE approvals");
  raw_sql(file(), "ALTER TABLE evaluations DROP COLUMN plan");
  raw_sql(file(), "DELETE FROM schema_migrations WHERE version >= 2");
  ASSERT_EQ(raw_sql(file(), "SELECT max(version) FROM schema_migrations"), "1");

  store = open();
  EXPECT_EQ(raw_sql(file(), "SELECT max(version) FROM schema_migrations"),
            std::to_string(sqlite_schema_version()));
  EXPECT_EQ(must(store->get_evaluation(evaluation.id)).state, EvaluationState::running);
  EXPECT_EQ(error_of(store->evaluation_plan(evaluation.id)).status, Status::not_found);
  const auto approval = must(store->request_approval(request_for(evaluation)));
  EXPECT_EQ(must(store->get_approval(approval.id)).requested_by, "alice");
}

}  // namespace
}  // namespace secpilot::store::testing
