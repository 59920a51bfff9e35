// The approval gate's parts: canonical JSON, the hash an approval binds, what the gate decides
// for a call, and the stored plan's format.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "orchestrator/approval_gate.hpp"
#include "orchestrator/plan_json.hpp"
#include "secpilot/util/sha256.hpp"

namespace secpilot::orchestrator {
namespace {

namespace json = boost::json;

TEST(CanonicalJson, SortsKeysAtEveryDepthWithoutSpaces) {
  const auto value = json::parse(
      R"({"b": 1, "a": {"z": [3, {"y": true, "x": null}], "é": "ü"}, "A": "\"quoted\""})");
  EXPECT_EQ(canonical_json(value),
            R"({"A":"\"quoted\"","a":{"z":[3,{"x":null,"y":true}],"é":"ü"},"b":1})");
  // The same value written in another order gives the same text.
  EXPECT_EQ(canonical_json(json::parse(
                R"({"A":"\"quoted\"","b":1,"a":{"é":"ü","z":[3,{"y":true,"x":null}]}})")),
            canonical_json(value));
  EXPECT_EQ(canonical_json(json::parse("[]")), "[]");
  EXPECT_EQ(canonical_json(json::parse("{}")), "{}");
}

TEST(CallHash, IsTheSha256OfTheCanonicalSkillAndInputs) {
  const json::object inputs{{"state", "acknowledged"}, {"id", "4127"}};
  const auto hash = call_hash("RedCanary.UpdateDetectionState", inputs);
  EXPECT_EQ(hash, sha256_hex(R"({"inputs":{"id":"4127","state":"acknowledged"},)"
                             R"("skill":"RedCanary.UpdateDetectionState"})"));
  EXPECT_EQ(hash.size(), 64u);
  // Any change to the call is another hash.
  EXPECT_NE(hash,
            call_hash("RedCanary.UpdateDetectionState", {{"id", "4127"}, {"state", "remediated"}}));
  EXPECT_NE(hash,
            call_hash("RedCanary.UpdateDetectionState", {{"id", 4127}, {"state", "acknowledged"}}));
  EXPECT_NE(hash, call_hash("RedCanary.GetDetection", inputs));
}

class ApprovalGateTest : public ::testing::Test {
 protected:
  skills::SkillEntry entry_with(manifest::SideEffects effects) {
    skill.side_effects = effects;
    skills::SkillEntry entry;
    entry.plugin = "RedCanary";
    entry.name = "UpdateDetectionState";
    entry.full_name = "RedCanary.UpdateDetectionState";
    entry.spec = &skill;
    return entry;
  }
  store::Approval decided(store::ApprovalState state, const json::object& inputs) {
    store::Approval approval;
    approval.id = "a-1";
    approval.state = state;
    approval.args_hash = call_hash("RedCanary.UpdateDetectionState", inputs);
    approval.decided_by = "olivia";
    return approval;
  }

  manifest::Skill skill;
  const json::object inputs{{"id", "4127"}, {"state", "acknowledged"}};
};

TEST_F(ApprovalGateTest, SkillsWithoutSideEffectsRunUnasked) {
  for (auto effects : {manifest::SideEffects::None, manifest::SideEffects::Read}) {
    const auto entry = entry_with(effects);
    EXPECT_FALSE(needs_approval(entry));
    const auto decision = check_call(entry, inputs, nullptr);
    EXPECT_EQ(decision.kind, GateDecision::Kind::run);
    EXPECT_TRUE(decision.args_hash.empty());
  }
}

TEST_F(ApprovalGateTest, WriteAndDestructiveSkillsAskFirst) {
  for (auto effects : {manifest::SideEffects::Write, manifest::SideEffects::Destructive}) {
    const auto entry = entry_with(effects);
    EXPECT_TRUE(needs_approval(entry));
    const auto decision = check_call(entry, inputs, nullptr);
    EXPECT_EQ(decision.kind, GateDecision::Kind::ask);
    EXPECT_EQ(decision.args_hash, call_hash(entry.full_name, inputs));
  }
}

TEST_F(ApprovalGateTest, AnApprovalCountsOnlyForTheArgumentsItWasGivenFor) {
  const auto entry = entry_with(manifest::SideEffects::Write);
  const auto approved = decided(store::ApprovalState::approved, inputs);
  EXPECT_EQ(check_call(entry, inputs, &approved).kind, GateDecision::Kind::run);

  const json::object changed{{"id", "4127"}, {"state", "remediated"}};
  const auto again = check_call(entry, changed, &approved);
  EXPECT_EQ(again.kind, GateDecision::Kind::ask);
  EXPECT_EQ(again.args_hash, call_hash(entry.full_name, changed));

  auto denied = decided(store::ApprovalState::denied, inputs);
  denied.reason = "not during the incident";
  const auto refusal = check_call(entry, inputs, &denied);
  EXPECT_EQ(refusal.kind, GateDecision::Kind::deny);
  EXPECT_EQ(refusal.reason, "denied by olivia: not during the incident");
  denied.reason.clear();
  EXPECT_EQ(check_call(entry, inputs, &denied).reason, "denied by olivia");
  EXPECT_EQ(check_call(entry, changed, &denied).kind, GateDecision::Kind::ask);

  // Neither pending nor cancelled ones let a call through.
  for (auto state : {store::ApprovalState::pending, store::ApprovalState::cancelled}) {
    const auto undecided = decided(state, inputs);
    EXPECT_EQ(check_call(entry, inputs, &undecided).kind, GateDecision::Kind::ask);
  }
}

TEST(PlanJson, RoundTripsAPlanWithBindingsFanOutAndGroups) {
  planner::Plan plan;
  plan.steps.push_back({.skill = "RedCanary.ListDetections", .inputs = {{"state", "open"}}});
  planner::Step acknowledge{.skill = "RedCanary.UpdateDetectionState",
                            .inputs = {{"state", "acknowledged"}},
                            .fan_out_input = "id",
                            .group = 1};
  acknowledge.bindings.push_back(
      {"id", planner::Binding::Source::step_entities, 0, {"incident_id"}});
  plan.steps.push_back(acknowledge);
  auto loaded = plan_from_json(plan_to_json(plan));
  ASSERT_TRUE(loaded) << loaded.error().message;
  ASSERT_EQ(loaded->steps.size(), 2u);
  EXPECT_EQ(loaded->steps[1].skill, "RedCanary.UpdateDetectionState");
  EXPECT_EQ(loaded->steps[1].inputs, acknowledge.inputs);
  ASSERT_EQ(loaded->steps[1].bindings.size(), 1u);
  EXPECT_EQ(loaded->steps[1].bindings[0].from_step, 0u);
  EXPECT_EQ(loaded->steps[1].bindings[0].kinds, std::vector<std::string>{"incident_id"});
  EXPECT_EQ(loaded->steps[1].fan_out_input, "id");
  EXPECT_EQ(loaded->steps[1].group, 1u);
}

TEST(PlanJson, AStoredListOfCallsLoadsAsOneStepPerCall) {
  // What the first approvals release stored; extra keys are no obstacle, inputs may be absent.
  auto loaded = plan_from_json(json::parse(
      R"([{"skill":"A.B","inputs":{"x":"1"},"bindings":{"y":"$.steps[0].ip"},"group":2},
          {"skill":"C.D"}])"));
  ASSERT_TRUE(loaded) << loaded.error().message;
  ASSERT_EQ(loaded->steps.size(), 2u);
  EXPECT_EQ(loaded->steps[0].inputs, (json::object{{"x", "1"}}));
  EXPECT_TRUE(loaded->steps[1].inputs.empty());
  EXPECT_TRUE(loaded->steps[0].bindings.empty());

  for (const char* bad : {R"([42])", R"([{"inputs":{}}])", R"([{"skill":"A.B","inputs":[]}])"}) {
    auto refused = plan_from_json(json::parse(bad));
    ASSERT_FALSE(refused) << bad;
    EXPECT_EQ(refused.error().status, Status::invalid_input);
    EXPECT_NE(refused.error().message.find("call 1"), std::string::npos);
  }
  EXPECT_FALSE(plan_from_json(json::parse(R"({"steps": 3})")));
  EXPECT_FALSE(plan_from_json(json::parse(R"("a plan")")));
}

}  // namespace
}  // namespace secpilot::orchestrator
