// Scores the local planner on the labelled prompts of prompts.yaml (README.md in this folder
// defines the matching and the metrics) over the shipped plugins as built, and fails when a
// headline figure falls below the baseline recorded in docs/planner.md. Set
// SECPILOT_PLANNER_EVAL_VERBOSE=1 to print every item the planner gets wrong, with its reasons,
// or SECPILOT_PLANNER_EVAL_ONLY=<id> to plan one item (the figures are then that item's).
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>
#include <boost/json/serialize.hpp>

#include "planner-eval/label_match.hpp"
#include "secpilot/orchestrator/direct_invocation.hpp"
#include "secpilot/planner/local_planner.hpp"
#include "secpilot/plugin/plugin_host.hpp"

namespace secpilot::planner {
namespace {

// What the planner would call: skills in the order of their first call, with each call's inputs.
PlannedCalls planned_calls(const Plan& plan) {
  PlannedCalls calls;
  for (const auto& step : plan.steps) {
    if (!step.fan_out_values.empty()) {
      for (const auto& value : step.fan_out_values) {
        auto inputs = step.inputs;
        inputs[step.fan_out_input] = value;
        calls.push_back({step.skill, inputs, false});
      }
      continue;
    }
    bool session = false;
    for (const auto& binding : step.bindings)
      session = session || binding.source == Binding::Source::session;
    calls.push_back({step.skill, step.inputs, session});
  }
  return calls;
}

struct Tally {
  int chain_items = 0, top1 = 0, exact = 0;
  int abstain_items = 0, abstained = 0, abstained_right = 0;
  int labelled_inputs = 0, inputs_right = 0, unasked_changes = 0;
  void add(const Tally& other) {
    chain_items += other.chain_items;
    top1 += other.top1;
    exact += other.exact;
    abstain_items += other.abstain_items;
    abstained += other.abstained;
    abstained_right += other.abstained_right;
    labelled_inputs += other.labelled_inputs;
    inputs_right += other.inputs_right;
    unasked_changes += other.unasked_changes;
  }
  double top1_rate() const { return chain_items ? double(top1) / chain_items : 1; }
  double exact_rate() const { return chain_items ? double(exact) / chain_items : 1; }
  double precision() const { return abstained ? double(abstained_right) / abstained : 1; }
  double recall() const { return abstain_items ? double(abstained_right) / abstain_items : 1; }
  double input_rate() const { return labelled_inputs ? double(inputs_right) / labelled_inputs : 1; }
};

// The baseline rows of docs/planner.md: "| Top-1 skill accuracy | 80.0% |".
std::map<std::string, double> read_baseline() {
  std::ifstream in(std::string(SECPILOT_SOURCE_DIR) + "/docs/planner.md");
  std::map<std::string, double> baseline;
  const std::regex row(
      R"(^\|\s*(Top-1 skill accuracy|Exact-chain accuracy|Abstention precision|Abstention recall)\s*\|\s*([0-9.]+)%\s*\|)");
  for (std::string line; std::getline(in, line);) {
    std::smatch match;
    if (std::regex_search(line, match, row)) baseline[match[1]] = std::stod(match[2]) / 100;
  }
  return baseline;
}

std::string percent(double rate) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%5.1f%%", rate * 100);
  return buffer;
}

TEST(PlannerEval, LocalPlannerMeetsTheRecordedBaseline) {
  spdlog::set_level(spdlog::level::off);
  plugin::HostOptions options;
  options.plugin_dirs = {SECPILOT_PLUGIN_DIR};
  const plugin::PluginHost host(std::move(options));
  const auto index = grounding::SkillIndex::build(host.catalog());
  const LocalPlanner planner(index);
  const bool verbose = std::getenv("SECPILOT_PLANNER_EVAL_VERBOSE") != nullptr;
  const char* only = std::getenv("SECPILOT_PLANNER_EVAL_ONLY");  // one item's id, to debug it

  const YAML::Node items =
      YAML::LoadFile(std::string(SECPILOT_SOURCE_DIR) + "/tests/planner-eval/prompts.yaml");
  ASSERT_GE(items.size(), 150u);
  std::map<std::string, Tally> by_use_case;
  std::vector<double> planning_ms;
  for (const auto& item : items) {
    const auto id = item["id"].as<std::string>();
    if (only && id != only) continue;
    const auto prompt = item["prompt"].as<std::string>();
    std::vector<std::string> history;
    if (item["history"])
      for (const auto& earlier : item["history"])
        history.push_back(earlier.as<std::string>());
    const Label label = read_label(item["expect"]);

    PlannedCalls calls;
    std::string explanation;
    if (auto direct = orchestrator::parse_direct_invocation(prompt)) {
      if (*direct) calls.push_back({(*direct)->skill, (*direct)->inputs, false});
    } else {
      const Plan plan = planner.plan({prompt, history, {}});
      planning_ms.push_back(plan.planning_ms);
      calls = planned_calls(plan);
      explanation = explain(plan);
    }
    const auto verdict = judge(label, calls, prompt, host.catalog());
    Tally& tally = by_use_case[item["use_case"].as<std::string>()];
    if (label.abstain) {
      ++tally.abstain_items;
      if (calls.empty()) ++tally.abstained_right;
    } else {
      ++tally.chain_items;
      tally.top1 += verdict.top1;
      tally.exact += verdict.exact;
      tally.labelled_inputs += verdict.labelled_inputs;
      tally.inputs_right += verdict.inputs_right;
    }
    if (calls.empty()) ++tally.abstained;
    tally.unasked_changes += verdict.unasked_change;
    const bool right = label.abstain ? calls.empty() : verdict.exact;
    if ((verbose && !right) || only) {
      std::printf("--- %s %s\n    %s\n    planned:", id.c_str(), label.abstain ? "(abstain)" : "",
                  prompt.substr(0, 160).c_str());
      for (const auto& call : calls)
        std::printf(" %s%s", call.skill.c_str(), boost::json::serialize(call.inputs).c_str());
      std::printf("\n%s", explanation.c_str());
    }
  }

  Tally total;
  std::printf("%-22s %5s %7s %7s %7s %7s %7s\n", "use case", "items", "top-1", "chain", "abs.P",
              "abs.R", "inputs");
  for (const auto& [use_case, tally] : by_use_case) {
    total.add(tally);
    std::printf("%-22s %5d %7s %7s %7s %7s %7s\n", use_case.c_str(),
                tally.chain_items + tally.abstain_items, percent(tally.top1_rate()).c_str(),
                percent(tally.exact_rate()).c_str(), percent(tally.precision()).c_str(),
                percent(tally.recall()).c_str(), percent(tally.input_rate()).c_str());
  }
  std::sort(planning_ms.begin(), planning_ms.end());
  std::printf("%-22s %5d %7s %7s %7s %7s %7s\n", "all", total.chain_items + total.abstain_items,
              percent(total.top1_rate()).c_str(), percent(total.exact_rate()).c_str(),
              percent(total.precision()).c_str(), percent(total.recall()).c_str(),
              percent(total.input_rate()).c_str());
  std::printf("unasked side effects: %d; planning p50 %.3f ms, max %.3f ms\n",
              total.unasked_changes, planning_ms.empty() ? 0 : planning_ms[planning_ms.size() / 2],
              planning_ms.empty() ? 0 : planning_ms.back());

  const auto baseline = read_baseline();
  if (only) return;
  ASSERT_EQ(baseline.size(), 4u) << "docs/planner.md must record the four baseline figures";
  constexpr double kRounding = 0.0005;  // the baseline is written to 0.1%
  EXPECT_GE(total.top1_rate() + kRounding, baseline.at("Top-1 skill accuracy"));
  EXPECT_GE(total.exact_rate() + kRounding, baseline.at("Exact-chain accuracy"));
  EXPECT_GE(total.precision() + kRounding, baseline.at("Abstention precision"));
  EXPECT_GE(total.recall() + kRounding, baseline.at("Abstention recall"));
  EXPECT_EQ(total.unasked_changes, 0) << "a plan made a change nobody asked for";
}

}  // namespace
}  // namespace secpilot::planner
