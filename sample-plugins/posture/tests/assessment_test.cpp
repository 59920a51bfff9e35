// The whole assessment: scores, the order of the risks, and the JSON result.
#include "posture/assessment.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "posture/result_json.hpp"
#include "test_trees.hpp"

namespace posture {
namespace {

namespace json = boost::json;
using testing::StagedTree;

TEST(Score, WeighsChecksBySeverityAndIgnoresTheNotApplicable) {
  std::vector<CheckResult> checks(4);
  checks[0].status = Status::pass;
  checks[0].severity = Severity::high;  // 6
  checks[1].status = Status::fail;
  checks[1].severity = Severity::medium;  // 3
  checks[2].status = Status::fail;
  checks[2].severity = Severity::low;  // 1
  checks[3].status = Status::not_applicable;
  checks[3].severity = Severity::critical;
  EXPECT_EQ(posture_score(checks), 60);
  EXPECT_EQ(posture_score({}), 100);
}

TEST(Assessment, TheHardenedHostScoresFullMarks) {
  StagedTree tree("hardened");
  const Assessment assessment = assess(RootFs(tree.root()));
  EXPECT_EQ(assessment.checks.size(), 32u);
  for (const auto& check : assessment.checks)
    EXPECT_EQ(check.status, Status::pass) << check.id << ": " << check.detail;
  EXPECT_EQ(assessment.score, 100);
  EXPECT_TRUE(prioritized_risks(assessment.checks).empty());
}

TEST(Assessment, TheWeakHostsRisksComeMostSevereFirst) {
  StagedTree tree("weak");
  const Assessment assessment = assess(RootFs(tree.root()));
  EXPECT_LT(assessment.score, 20);
  const auto risks = prioritized_risks(assessment.checks);
  ASSERT_GE(risks.size(), 20u);
  EXPECT_EQ(risks.front()->id, "network.risky_listeners");  // telnet: critical
  EXPECT_EQ(risks.front()->severity, Severity::critical);
  for (size_t i = 1; i < risks.size(); ++i)
    EXPECT_GE(risks[i - 1]->severity, risks[i]->severity) << risks[i]->id;
}

TEST(Assessment, AnEmptyRootIsMostlyNotApplicable) {
  StagedTree tree;
  const Assessment assessment = assess(RootFs(tree.root()));
  int not_applicable = 0;
  for (const auto& check : assessment.checks)
    not_applicable += check.status == Status::not_applicable;
  // ssh (10), password (6), updates, single firewall utility and listeners; sysctl falls back
  // to the kernel defaults, the walk runs, and "no firewall" is a finding.
  EXPECT_EQ(not_applicable, 19);
}

TEST(Assessment, TheWalkCanBeTurnedOff) {
  StagedTree tree("hardened");
  AssessOptions options;
  options.walk.max_entries = 0;
  const Assessment assessment = assess(RootFs(tree.root()), options);
  EXPECT_FALSE(assessment.walk_ran);
  for (const auto& check : assessment.checks) {
    if (check.family == "files") {
      EXPECT_EQ(check.status, Status::not_applicable) << check.id;
    }
  }
}

TEST(Assessment, CancellationStopsIt) {
  StagedTree tree("hardened");
  AssessOptions options;
  options.cancelled = [] { return true; };
  EXPECT_THROW(assess(RootFs(tree.root()), options), Cancelled);
}

TEST(ResultJson, HasTheDocumentedShape) {
  StagedTree tree("weak");
  const json::object result = assessment_json(assess(RootFs(tree.root())));
  for (const char* key : {"root", "live", "score", "summary", "failed_by_severity", "risks",
                          "checks", "listeners", "file_walk", "elapsed_ms"})
    EXPECT_TRUE(result.contains(key)) << key;
  EXPECT_EQ(result.at("live"), false);
  const auto& summary = result.at("summary").as_object();
  EXPECT_EQ(summary.at("checks").as_int64(),
            summary.at("pass").as_int64() + summary.at("fail").as_int64() +
                summary.at("not_applicable").as_int64() + summary.at("error").as_int64());
  const auto& by_severity = result.at("failed_by_severity").as_object();
  EXPECT_EQ(by_severity.at("critical").as_int64() + by_severity.at("high").as_int64() +
                by_severity.at("medium").as_int64() + by_severity.at("low").as_int64(),
            summary.at("fail").as_int64());
  const auto& risk = result.at("risks").as_array().at(0).as_object();
  EXPECT_EQ(risk.at("id"), "network.risky_listeners");
  const auto& evidence = risk.at("evidence").as_array().at(0).as_object();
  EXPECT_EQ(evidence.at("file"), "/proc/net/tcp");
  EXPECT_EQ(evidence.at("line"), 3);
  EXPECT_EQ(evidence.at("value"), "tcp 0.0.0.0:23 (telnet)");
  const auto& root_login = result.at("checks").as_array().at(0).as_object();
  EXPECT_EQ(root_login.at("id"), "ssh.permit_root_login");
  EXPECT_EQ(root_login.at("status"), "fail");
  EXPECT_EQ(root_login.at("family"), "ssh");
  bool mysql = false;
  for (const auto& listener : result.at("listeners").as_array())
    mysql |= listener.at("port") == 3306 && listener.at("service") == "mysql" &&
             listener.at("exposure") == "all";
  EXPECT_TRUE(mysql);
  EXPECT_EQ(result.at("file_walk").at("complete"), true);
}

}  // namespace
}  // namespace posture
