#include <gtest/gtest.h>

#include "incident/attack.hpp"

namespace incident {
namespace {

TEST(Attack, NormalizesTechniqueIds) {
  EXPECT_EQ(normalize_technique_id("T1059.001"), "T1059.001");
  EXPECT_EQ(normalize_technique_id(" t1059.001 "), "T1059.001");
  EXPECT_EQ(normalize_technique_id("T1059.001 - PowerShell"), "T1059.001");
  EXPECT_EQ(normalize_technique_id("T1105"), "T1105");
  EXPECT_EQ(normalize_technique_id("T10591"), "");
  EXPECT_EQ(normalize_technique_id("T1059.01"), "");
  EXPECT_EQ(normalize_technique_id("PowerShell"), "");
  EXPECT_EQ(normalize_technique_id("TA0002"), "");
}

TEST(Attack, KnowsNamesAndTactics) {
  auto launch_agent = lookup_technique("T1543.001");
  EXPECT_EQ(launch_agent.name, "Create or Modify System Process: Launch Agent");
  EXPECT_EQ(launch_agent.tactic, "Persistence");
  EXPECT_EQ(lookup_technique("T1105").tactic, "Command and Control");
  // A sub-technique outside the table keeps its parent's tactic but claims no name.
  auto unknown_child = lookup_technique("T1059.999");
  EXPECT_EQ(unknown_child.name, "");
  EXPECT_EQ(unknown_child.tactic, "Execution");
  EXPECT_EQ(lookup_technique("T9999").tactic, "");
}

TEST(Attack, ReadsEveryTacticSpelling) {
  EXPECT_EQ(canonical_tactic("CommandAndControl"), "Command and Control");
  EXPECT_EQ(canonical_tactic("command-and-control"), "Command and Control");
  EXPECT_EQ(canonical_tactic("TA0011"), "Command and Control");
  EXPECT_EQ(canonical_tactic("DefenseEvasion"), "Defense Evasion");
  EXPECT_EQ(canonical_tactic("SuspiciousActivity"), "");  // a Defender category, not a tactic
  EXPECT_LT(tactic_order("Initial Access"), tactic_order("Persistence"));
  EXPECT_LT(tactic_order("Command and Control"), tactic_order("Impact"));
  EXPECT_EQ(tactic_in_plain_words("Exfiltration"), "copied data out of the organisation");
}

}  // namespace
}  // namespace incident
