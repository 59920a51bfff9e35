// Plan::to_json and Plan::from_json: what the process log and the evaluation store keep of a plan,
// read back the same, and stored text that is not a plan rejected rather than half-read.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "secpilot/planner/plan.hpp"

namespace secpilot::planner {
namespace {

namespace json = boost::json;

// Extract the IPs of a pasted text, look each up, lock the Mac the first step named by the id
// another step gives, and write a report on the session.
Plan chained_plan() {
  Plan plan;
  Step extract;
  extract.skill = "Intel.ExtractIndicators";
  extract.inputs["text"] = "beacon to 203.0.113[.]45";
  extract.reason = "answers \"extract the IOCs\"";
  plan.steps.push_back(extract);

  Step computer;
  computer.skill = "Macs.GetComputer";
  computer.inputs["name"] = "mbp-fin-12";
  plan.steps.push_back(computer);

  Step lookup;
  lookup.skill = "Intel.LookupIndicator";
  lookup.bindings.push_back({"indicator", Binding::Source::step_entities, 0, {"ip", "domain"}});
  lookup.fan_out_input = "indicator";
  lookup.group = 1;
  plan.steps.push_back(lookup);

  Step lock;
  lock.skill = "Macs.LockComputer";
  lock.inputs["pin"] = "482913";
  lock.bindings.push_back({"id", Binding::Source::step_field, 1, {}});
  lock.group = 1;
  plan.steps.push_back(lock);

  Step connections;
  connections.skill = "NetLogs.ListConnections";
  connections.inputs["lookback"] = "30d";
  connections.inputs["ip"] = "198.51.100.7";
  connections.fan_out_input = "ip";
  connections.fan_out_values = {"198.51.100.7", "192.0.2.10"};
  connections.group = 1;
  plan.steps.push_back(connections);

  Step report;
  report.skill = "NetLogs.WriteReport";
  report.inputs["audience"] = "ciso";
  report.bindings.push_back({"session", Binding::Source::session, 0, {}});
  report.group = 2;
  plan.steps.push_back(report);

  plan.candidates.push_back({"Intel.ExtractIndicators", 7.25, true, "extract the IOCs",
                             "chosen for \"extract the IOCs\""});
  plan.candidates.push_back({"Intel.LookupIndicator", 3.5, false, "extract the IOCs",
                             "left out: Intel.ExtractIndicators fits better"});
  plan.planning_ms = 0.125;
  return plan;
}

Plan abstained_plan() {
  Plan plan;
  plan.abstention = Abstention{"No enabled plugin works with CrowdStrike.",
                               {"Edr.GetDetection", "Edr.GetEndpoint"}};
  plan.candidates.push_back({"Edr.GetDetection", 2.5, false, "pull the CrowdStrike detections",
                             "left out: score 1.00 is below 2.00"});
  return plan;
}

std::optional<Plan> read(std::string_view text) {
  return Plan::from_json(json::parse(text));
}

TEST(PlanJson, WritesStepsBindingsAndFanOut) {
  const auto out = chained_plan().to_json();
  const auto& steps = out.at("steps").as_array();
  ASSERT_EQ(steps.size(), 6u);
  EXPECT_EQ(steps[0].at("skill"), "Intel.ExtractIndicators");
  EXPECT_EQ(steps[0].at("inputs").at("text"), "beacon to 203.0.113[.]45");
  EXPECT_FALSE(steps[0].as_object().contains("bindings"));
  EXPECT_EQ(steps[2].at("bindings"),
            json::parse(R"([{"input": "indicator", "source": "stepEntities", "fromStep": 0,
                             "kinds": ["ip", "domain"]}])"));
  EXPECT_EQ(steps[2].at("fanOut"), "indicator");
  EXPECT_FALSE(steps[2].as_object().contains("fanOutValues"));
  EXPECT_EQ(steps[3].at("bindings"),
            json::parse(R"([{"input": "id", "source": "stepField", "fromStep": 1}])"));
  EXPECT_EQ(steps[4].at("fanOutValues"), json::parse(R"(["198.51.100.7", "192.0.2.10"])"));
  EXPECT_EQ(steps[5].at("bindings"), json::parse(R"([{"input": "session", "source": "session"}])"));
  EXPECT_EQ(steps[5].at("group"), 2);
  EXPECT_FALSE(out.contains("abstention"));
}

TEST(PlanJson, RoundTripKeepsEverything) {
  const auto written = chained_plan().to_json();
  const auto read_back = Plan::from_json(written);
  ASSERT_TRUE(read_back);
  EXPECT_EQ(read_back->to_json(), written) << json::serialize(read_back->to_json());

  const auto& steps = read_back->steps;
  ASSERT_EQ(steps.size(), 6u);
  ASSERT_EQ(steps[2].bindings.size(), 1u);
  EXPECT_EQ(steps[2].bindings[0].source, Binding::Source::step_entities);
  EXPECT_EQ(steps[2].bindings[0].kinds, (std::vector<std::string>{"ip", "domain"}));
  EXPECT_EQ(steps[3].bindings[0].source, Binding::Source::step_field);
  EXPECT_EQ(steps[3].bindings[0].from_step, 1u);
  EXPECT_EQ(steps[5].bindings[0].source, Binding::Source::session);
  EXPECT_EQ(steps[4].fan_out_values, (std::vector<std::string>{"198.51.100.7", "192.0.2.10"}));
  EXPECT_EQ(steps[1].group, 0u);
  EXPECT_EQ(steps[3].group, 1u);
  EXPECT_FALSE(read_back->abstained());
}

TEST(PlanJson, RoundTripOfAnAbstention) {
  const auto written = abstained_plan().to_json();
  EXPECT_EQ(written.at("abstention").at("message"), "No enabled plugin works with CrowdStrike.");
  const auto read_back = Plan::from_json(written);
  ASSERT_TRUE(read_back);
  ASSERT_TRUE(read_back->abstained());
  EXPECT_EQ(read_back->abstention->near,
            (std::vector<std::string>{"Edr.GetDetection", "Edr.GetEndpoint"}));
  EXPECT_TRUE(read_back->steps.empty());
  EXPECT_EQ(read_back->to_json(), written);
}

TEST(PlanJson, ExtraKeysAreIgnored) {
  const auto plan =
      read(R"({"steps": [{"skill": "Edr.GetDetection", "inputs": {"detection_id": 4127},
                              "note": "x"}], "explanation": "1. ..."})");
  ASSERT_TRUE(plan);
  ASSERT_EQ(plan->steps.size(), 1u);
  EXPECT_EQ(plan->steps[0].inputs.at("detection_id"), 4127);
}

TEST(PlanJson, RejectsWhatIsNotAPlan) {
  EXPECT_FALSE(read("[]"));
  EXPECT_FALSE(read(R"("a plan")"));
  EXPECT_FALSE(read(R"({"candidates": []})"));
  EXPECT_FALSE(read(R"({"steps": {}})"));
  EXPECT_FALSE(read(R"({"steps": [42]})"));
}

TEST(PlanJson, RejectsAStepWithoutSkill) {
  EXPECT_FALSE(read(R"({"steps": [{"inputs": {}}]})"));
  EXPECT_FALSE(read(R"({"steps": [{"skill": ""}]})"));
  EXPECT_FALSE(read(R"({"steps": [{"skill": 7}]})"));
}

TEST(PlanJson, RejectsABindingToItsOwnOrALaterStep) {
  EXPECT_FALSE(read(R"({"steps": [{"skill": "A.B", "bindings": [
      {"input": "x", "source": "stepField", "fromStep": 0}]}]})"));
  EXPECT_FALSE(read(R"({"steps": [{"skill": "A.B"}, {"skill": "A.C", "bindings": [
      {"input": "x", "source": "stepEntities", "fromStep": 2, "kinds": ["ip"]}]}]})"));
  EXPECT_TRUE(read(R"({"steps": [{"skill": "A.B"}, {"skill": "A.C", "bindings": [
      {"input": "x", "source": "stepEntities", "fromStep": 0, "kinds": ["ip"]}]}]})"));
}

TEST(PlanJson, RejectsABindingWithoutItsStepOrSource) {
  EXPECT_FALSE(read(R"({"steps": [{"skill": "A.B"}, {"skill": "A.C", "bindings": [
      {"input": "x", "source": "stepField"}]}]})"));
  EXPECT_FALSE(read(R"({"steps": [{"skill": "A.B"}, {"skill": "A.C", "bindings": [
      {"input": "x", "source": "model", "fromStep": 0}]}]})"));
  EXPECT_FALSE(read(R"({"steps": [{"skill": "A.B"}, {"skill": "A.C", "bindings": ["x"]}]})"));
}

TEST(PlanJson, RejectsNumbersThatAreNotIndexes) {
  EXPECT_FALSE(read(R"({"steps": [{"skill": "A.B", "group": -1}]})"));
  EXPECT_FALSE(read(R"({"steps": [{"skill": "A.B", "group": 0.5}]})"));
  EXPECT_FALSE(read(R"({"steps": [{"skill": "A.B"}, {"skill": "A.C", "bindings": [
      {"input": "x", "source": "stepField", "fromStep": -1}]}]})"));
}

TEST(PlanExplain, StepsInputsBindingsAndCandidates) {
  const auto text = explain(chained_plan());
  EXPECT_NE(text.find("1. Intel.ExtractIndicators {\"text\":\"beacon to 203.0.113[.]45\"}"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("indicator<-step 1 (one call per indicator)"), std::string::npos) << text;
  EXPECT_NE(text.find("id<-step 2"), std::string::npos) << text;
  EXPECT_NE(text.find("session<-session"), std::string::npos) << text;
  EXPECT_NE(text.find("  + Intel.ExtractIndicators 7.25: chosen for"), std::string::npos) << text;
  EXPECT_NE(text.find("  - Intel.LookupIndicator 3.50: left out:"), std::string::npos) << text;

  const auto abstained = explain(abstained_plan());
  EXPECT_TRUE(abstained.starts_with("Abstained: No enabled plugin works with CrowdStrike.\n"))
      << abstained;
}

}  // namespace
}  // namespace secpilot::planner
