// The evaluation's judging rules (README.md, "Metrics"), so that a figure the eval prints means
// what the README says.
#include <gtest/gtest.h>

#include "planner-eval/label_match.hpp"

namespace secpilot::planner {
namespace {

LabelChain chain_of(const char* yaml) {
  return read_label(YAML::Load(yaml)).chains.front();
}

TEST(LabelMatch, ParallelStepsMatchInAnyOrderButGroupsKeepTheirOrder) {
  const auto chain =
      chain_of("chain: [{skill: A}, {skill: B}, {skill: C, parallel: true}, {skill: D}]");
  EXPECT_TRUE(chain_accepts(chain, {"A", "B", "C", "D"}));
  EXPECT_TRUE(chain_accepts(chain, {"A", "C", "B", "D"}));
  EXPECT_FALSE(chain_accepts(chain, {"B", "A", "C", "D"}));
  EXPECT_FALSE(chain_accepts(chain, {"A", "B", "C"}));
  EXPECT_FALSE(chain_accepts(chain, {"A", "B", "C", "D", "E"}));
}

TEST(LabelMatch, OptionalStepsMayBeLeftOutAndMayComeFirst) {
  const auto chain = chain_of("chain: [{skill: S, optional: true}, {skill: W}]");
  EXPECT_TRUE(chain_accepts(chain, {"S", "W"}));
  EXPECT_TRUE(chain_accepts(chain, {"W"}));
  EXPECT_FALSE(chain_accepts(chain, {"S"}));
  EXPECT_TRUE(may_come_first(chain, "S"));
  EXPECT_TRUE(may_come_first(chain, "W"));
  EXPECT_FALSE(may_come_first(chain_of("chain: [{skill: S}, {skill: W}]"), "W"));
}

TEST(LabelMatch, ValuesAreComparedAfterNormalisation) {
  EXPECT_TRUE(value_matches(YAML::Load("evil.example"), "EVIL[.]example.", ""));
  EXPECT_TRUE(value_matches(YAML::Load("24h"), "1d", ""));
  EXPECT_FALSE(value_matches(YAML::Load("24h"), "7d", ""));
  EXPECT_TRUE(value_matches(YAML::Load("4127"), "4127", ""));
  EXPECT_TRUE(value_matches(YAML::Load("{contains: [x0100]}"), "Call the SOC on X0100", ""));
  const std::string prompt = "check this\n```\nwhoami /all\n```";
  EXPECT_TRUE(value_matches(YAML::Load("$pasted"), "whoami /all", prompt));
  EXPECT_FALSE(value_matches(YAML::Load("$pasted"), "whoami", prompt));
}

TEST(LabelMatch, AFanOutCountsOnceInTheReducedPlan) {
  const PlannedCalls calls{{"X.Extract", {}, false},
                           {"X.Lookup", {{"indicator", "a"}}, false},
                           {"X.Lookup", {{"indicator", "b"}}, false}};
  EXPECT_EQ(reduce(calls), (std::vector<std::string>{"X.Extract", "X.Lookup"}));
}

}  // namespace
}  // namespace secpilot::planner
