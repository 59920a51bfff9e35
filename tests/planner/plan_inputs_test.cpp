// orchestrator::output_entities and step_calls: what a plan step is called with once the steps
// before it have run — known values, entities and fields of earlier outputs, the session, and
// one call per value of a fan-out.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "orchestrator/plan_inputs.hpp"

namespace secpilot::orchestrator {
namespace {

namespace json = boost::json;
using planner::Binding;
using planner::Plan;
using planner::Step;
using Values = std::vector<std::string>;
using Outputs = std::vector<std::vector<json::value>>;

constexpr const char* kSha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

json::value detection_output() {
  return json::parse(std::string(R"({
    "detections": [
      {"id": 4127, "severity": "high",
       "host": {"hostname": "ws-fin-07", "ip_address": "10.20.30.40"},
       "summary": "powershell beaconed to 203.0.113.45 and evil-cdn.net",
       "file": {"sha256": ")") +
                     kSha256 + R"("}},
      {"id": 4128, "host": {"hostname": "mbp-fin-12"}, "summary": "again to 203.0.113.45"}
    ],
    "total": 2,
    "computer": {"id": 99}
  })");
}

TEST(OutputEntities, IpsDomainsAndHashesInsideStrings) {
  const auto output = detection_output();
  EXPECT_EQ(output_entities(output, {"ip"}), (Values{"10.20.30.40", "203.0.113.45"}));
  EXPECT_EQ(output_entities(output, {"domain"}), (Values{"evil-cdn.net"}));
  EXPECT_EQ(output_entities(output, {"hash"}), (Values{kSha256}));
  EXPECT_EQ(output_entities(output, {"sha256"}), (Values{kSha256}));
  EXPECT_TRUE(output_entities(output, {"md5"}).empty());
}

TEST(OutputEntities, KeysThatNameTheKind) {
  const auto output = detection_output();
  EXPECT_EQ(output_entities(output, {"host"}), (Values{"ws-fin-07", "mbp-fin-12"}));
  EXPECT_EQ(output_entities(json::parse(R"({"host": "srv-file-01"})"), {"host"}),
            (Values{"srv-file-01"}));
  EXPECT_EQ(output_entities(json::parse(R"({"computers": [{"name": "mbp-eng-03"}]})"), {"host"}),
            (Values{"mbp-eng-03"}));
}

TEST(OutputEntities, IdOfADetectionIsAnIncidentIdAndNumbersAreWritten) {
  const auto output = detection_output();
  // "computer": {"id": 99} is not a detection's id.
  EXPECT_EQ(output_entities(output, {"incident_id"}), (Values{"4127", "4128"}));
  EXPECT_EQ(output_entities(json::parse(R"({"incident_ids": [17, 18]})"), {"incident_id"}),
            (Values{"17", "18"}));
  EXPECT_TRUE(
      output_entities(json::parse(R"({"total": 2, "count": 40})"), {"incident_id"}).empty());
}

TEST(OutputEntities, SeveralKindsInOrderOfAppearanceOnce) {
  const auto output = json::parse(R"([
    {"indicator": "198.51.100.7"}, {"indicator": "evil-cdn.net"},
    {"indicator": "198.51.100.7"}, {"note": "seen with 192.0.2.10 and evil-cdn.net"}])");
  EXPECT_EQ(output_entities(output, {"ip", "domain"}),
            (Values{"198.51.100.7", "evil-cdn.net", "192.0.2.10"}));
}

TEST(OutputEntities, NothingOfTheKind) {
  EXPECT_TRUE(output_entities(json::parse(R"({"verdict": "clean", "score": 3})"), {"ip"}).empty());
  EXPECT_TRUE(output_entities(json::value(nullptr), {"ip"}).empty());
  EXPECT_TRUE(output_entities(json::parse(R"("203.0.113.45")"), {}).empty());
}

// Macs.GetComputer, Intel.ExtractIndicators, then steps that read them.
Plan plan_with(Step last) {
  Plan plan;
  Step computer;
  computer.skill = "Macs.GetComputer";
  computer.inputs["name"] = "mbp-fin-12";
  plan.steps.push_back(computer);
  Step extract;
  extract.skill = "Intel.ExtractIndicators";
  extract.inputs["text"] = "beacon";
  plan.steps.push_back(extract);
  plan.steps.push_back(std::move(last));
  return plan;
}

Outputs outputs_of_both() {
  return {{json::parse(R"({"id": 42, "name": "mbp-fin-12", "os_version": "15.7"})")},
          {json::parse(R"({"indicators": ["203.0.113.45", "evil-cdn.net"]})"),
           json::parse(R"({"indicators": ["198.51.100.7", "203.0.113.45"]})")}};
}

TEST(StepCalls, KnownValuesMakeOneCall) {
  Plan plan;
  Step step;
  step.skill = "Edr.GetDetection";
  step.inputs["detection_id"] = 4127;
  plan.steps.push_back(step);
  const auto calls = step_calls(plan, 0, {}, {});
  ASSERT_TRUE(calls) << calls.error().message;
  ASSERT_EQ(calls->size(), 1u);
  EXPECT_EQ((*calls)[0], json::parse(R"({"detection_id": 4127})").as_object());
}

TEST(StepCalls, KnownFanOutValuesMakeOneCallEach) {
  Plan plan;
  Step step;
  step.skill = "NetLogs.ListConnections";
  step.inputs["ip"] = "198.51.100.7";
  step.inputs["lookback"] = "30d";
  step.fan_out_input = "ip";
  step.fan_out_values = {"198.51.100.7", "192.0.2.10", "203.0.113.45"};
  plan.steps.push_back(step);
  const auto calls = step_calls(plan, 0, {}, {});
  ASSERT_TRUE(calls) << calls.error().message;
  ASSERT_EQ(calls->size(), 3u);
  EXPECT_EQ((*calls)[1], json::parse(R"({"ip": "192.0.2.10", "lookback": "30d"})").as_object());
  EXPECT_EQ((*calls)[2].at("ip"), "203.0.113.45");
}

TEST(StepCalls, EntitiesOfAnEarlierStepFanOut) {
  Step lookup;
  lookup.skill = "Intel.LookupIndicator";
  lookup.inputs["verbose"] = true;
  lookup.bindings.push_back({"indicator", Binding::Source::step_entities, 1, {"ip"}});
  lookup.fan_out_input = "indicator";
  const auto calls = step_calls(plan_with(lookup), 2, outputs_of_both(), {});
  ASSERT_TRUE(calls) << calls.error().message;
  ASSERT_EQ(calls->size(), 2u);
  EXPECT_EQ((*calls)[0],
            json::parse(R"({"verbose": true, "indicator": "203.0.113.45"})").as_object());
  EXPECT_EQ((*calls)[1].at("indicator"), "198.51.100.7");
}

TEST(StepCalls, EntitiesOfAnEarlierStepWithoutFanOutTakeTheFirst) {
  Step report;
  report.skill = "Intel.Summarise";
  report.bindings.push_back({"domain", Binding::Source::step_entities, 1, {"domain"}});
  const auto calls = step_calls(plan_with(report), 2, outputs_of_both(), {});
  ASSERT_TRUE(calls) << calls.error().message;
  ASSERT_EQ(calls->size(), 1u);
  EXPECT_EQ((*calls)[0].at("domain"), "evil-cdn.net");
}

TEST(StepCalls, FieldOfAnEarlierStepKeepsItsJsonType) {
  Step lock;
  lock.skill = "Macs.LockComputer";
  lock.inputs["pin"] = "482913";
  lock.bindings.push_back({"id", Binding::Source::step_field, 0, {}});
  const auto calls = step_calls(plan_with(lock), 2, outputs_of_both(), {});
  ASSERT_TRUE(calls) << calls.error().message;
  ASSERT_EQ(calls->size(), 1u);
  EXPECT_EQ((*calls)[0], json::parse(R"({"pin": "482913", "id": 42})").as_object());
}

TEST(StepCalls, SessionExport) {
  Plan plan;
  Step report;
  report.skill = "NetLogs.WriteReport";
  report.inputs["audience"] = "ciso";
  report.bindings.push_back({"session", Binding::Source::session, 0, {}});
  plan.steps.push_back(report);
  const auto calls = step_calls(plan, 0, {}, [] { return std::string(R"({"prompts": 2})"); });
  ASSERT_TRUE(calls) << calls.error().message;
  ASSERT_EQ(calls->size(), 1u);
  EXPECT_EQ((*calls)[0].at("session"), R"({"prompts": 2})");
  EXPECT_EQ((*calls)[0].at("audience"), "ciso");

  const auto without = step_calls(plan, 0, {}, {});
  ASSERT_TRUE(without) << without.error().message;
  EXPECT_EQ((*without)[0].at("session"), "{}");
}

TEST(StepCalls, BindingThatFindsNothingNamesTheStep) {
  Step lookup;
  lookup.skill = "Intel.LookupIndicator";
  lookup.bindings.push_back({"indicator", Binding::Source::step_entities, 1, {"sha256"}});
  lookup.fan_out_input = "indicator";
  const auto calls = step_calls(plan_with(lookup), 2, outputs_of_both(), {});
  ASSERT_FALSE(calls);
  EXPECT_EQ(calls.error().status, Status::not_found);
  EXPECT_NE(calls.error().message.find("Intel.ExtractIndicators"), std::string::npos)
      << calls.error().message;
  EXPECT_NE(calls.error().message.find("step 3"), std::string::npos) << calls.error().message;

  Step lock;
  lock.skill = "Macs.LockComputer";
  lock.bindings.push_back({"serial", Binding::Source::step_field, 0, {}});
  const auto missing_field = step_calls(plan_with(lock), 2, outputs_of_both(), {});
  ASSERT_FALSE(missing_field);
  EXPECT_EQ(missing_field.error().status, Status::not_found);
  EXPECT_NE(missing_field.error().message.find("Macs.GetComputer"), std::string::npos);
}

TEST(StepCalls, EarlierStepWithoutSuccessfulCallsFindsNothing) {
  Step lock;
  lock.skill = "Macs.LockComputer";
  lock.bindings.push_back({"id", Binding::Source::step_field, 0, {}});
  auto outputs = outputs_of_both();
  outputs[0].clear();
  const auto calls = step_calls(plan_with(lock), 2, outputs, {});
  ASSERT_FALSE(calls);
  EXPECT_EQ(calls.error().status, Status::not_found);
}

TEST(StepCalls, StepThatHasNotRunIsAnError) {
  Step lock;
  lock.skill = "Macs.LockComputer";
  lock.bindings.push_back({"id", Binding::Source::step_field, 1, {}});
  const auto calls = step_calls(plan_with(lock), 2, Outputs{{json::object{}}}, {});
  ASSERT_FALSE(calls);
  EXPECT_EQ(calls.error().status, Status::internal);
}

TEST(StepCalls, MaxCallsCapsAFanOut) {
  Step lookup;
  lookup.skill = "Intel.LookupIndicator";
  lookup.bindings.push_back({"indicator", Binding::Source::step_entities, 1, {"ip", "domain"}});
  lookup.fan_out_input = "indicator";
  const auto calls = step_calls(plan_with(lookup), 2, outputs_of_both(), {}, 2);
  ASSERT_TRUE(calls) << calls.error().message;
  ASSERT_EQ(calls->size(), 2u);
  EXPECT_EQ((*calls)[0].at("indicator"), "203.0.113.45");
  EXPECT_EQ((*calls)[1].at("indicator"), "evil-cdn.net");

  const auto all = step_calls(plan_with(lookup), 2, outputs_of_both(), {});
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 3u);
}

}  // namespace
}  // namespace secpilot::orchestrator
