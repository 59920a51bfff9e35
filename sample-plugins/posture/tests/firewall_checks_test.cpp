// Firewall presence: nftables rulesets, ufw, iptables-persistent, and the enabled services.
#include "posture/firewall_checks.hpp"

#include <filesystem>

#include <gtest/gtest.h>

#include "test_trees.hpp"

namespace posture {
namespace {

namespace fs = std::filesystem;
using testing::data_tree;
using testing::evidence_text;
using testing::find_check;
using testing::StagedTree;

TEST(NftSummary, CountsRulesInChainsAndDropPolicies) {
  const NftSummary summary = summarize_nft(R"(#!/usr/sbin/nft -f
flush ruleset
include "nftables.d/*.nft"
table inet filter {
  set blocked { type ipv4_addr; elements = { 203.0.113.45 } }
  chain input { type filter hook input priority 0; policy drop;
    ct state established,related accept  # keep sessions
    ip saddr @blocked drop
  }
  chain output { type filter hook output priority 0; }
}
)");
  EXPECT_EQ(summary.tables, 1);
  EXPECT_EQ(summary.chains, 2);
  EXPECT_EQ(summary.rules, 2);
  EXPECT_TRUE(summary.drop_policy);
  EXPECT_EQ(summary.includes, (std::vector<std::string>{"nftables.d/*.nft"}));
}

TEST(NftSummary, DebiansStockRulesetIsEmpty) {
  const NftSummary summary =
      summarize_nft(secpilot::testing::read_file(data_tree("weak") / "etc/nftables.conf"));
  EXPECT_EQ(summary.chains, 3);
  EXPECT_EQ(summary.rules, 0);
  EXPECT_FALSE(summary.drop_policy);
}

TEST(FirewallChecks, NftablesWithRulesAndAnEnabledServicePasses) {
  const auto checks = check_firewall(RootFs(data_tree("hardened")));
  const auto& active = find_check(checks, "firewall.active");
  EXPECT_EQ(active.status, Status::pass) << active.detail;
  EXPECT_EQ(active.detail, "nftables loads 4 rule(s) at boot");
  EXPECT_EQ(find_check(checks, "firewall.single_utility").status, Status::pass);
}

TEST(FirewallChecks, NoFirewallIsAHighRiskThatSaysWhatWasFound) {
  const auto& active = find_check(check_firewall(RootFs(data_tree("weak"))), "firewall.active");
  EXPECT_EQ(active.status, Status::fail);
  EXPECT_EQ(active.severity, Severity::high);
  EXPECT_NE(active.detail.find("/etc/nftables.conf has an empty ruleset"), std::string::npos)
      << active.detail;
  EXPECT_NE(active.detail.find("ufw is installed but ENABLED is not yes"), std::string::npos)
      << active.detail;
  EXPECT_NE(evidence_text(active).find("/etc/ufw/ufw.conf:5 ENABLED=no"), std::string::npos)
      << evidence_text(active);
}

TEST(FirewallChecks, TwoFirewallsAtOnceFailTheSingleUtilityCheck) {
  const auto checks = check_firewall(RootFs(data_tree("edge")));
  EXPECT_EQ(find_check(checks, "firewall.active").status, Status::pass);
  const auto& single = find_check(checks, "firewall.single_utility");
  EXPECT_EQ(single.status, Status::fail);
  EXPECT_NE(single.detail.find("ufw and iptables-persistent both load rules at boot"),
            std::string::npos)
      << single.detail;
}

TEST(FirewallChecks, RulesWithoutAnEnabledServiceDoNotCount) {
  StagedTree tree("hardened");
  fs::remove_all(tree / "etc/systemd");
  const auto& active = find_check(check_firewall(RootFs(tree.root())), "firewall.active");
  EXPECT_EQ(active.status, Status::fail);
  EXPECT_NE(active.detail.find("nftables.service is not enabled"), std::string::npos)
      << active.detail;
}

}  // namespace
}  // namespace posture
