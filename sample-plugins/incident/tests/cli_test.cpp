// Incident end to end: the real `secpilot` binary loads the built plugin folder and runs the
// skills as a person or a script would, passing exports as `--input name=<file content>`. The
// host validates every result against the manifest's Outputs schema, so a passing call also
// proves the result has the documented shape.
#include <algorithm>
#include <filesystem>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "support/files.hpp"
#include "support/run.hpp"

namespace incident {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using secpilot::testing::RunResult;

const std::string kCli = std::string(SECPILOT_BINARY_DIR) + "/bin/secpilot";
const std::string kPlugin = std::string(SECPILOT_BINARY_DIR) + "/plugins/incident";
const fs::path kData = fs::path(INCIDENT_SOURCE_DIR) / "tests" / "data";

// Local mode against this plugin only, whatever the environment says about a daemon.
RunResult cli(std::vector<std::string> args) {
  args.insert(args.begin(), {kCli, "--plugins-dir", kPlugin});
  return secpilot::testing::run(args, {.env = {"SECPILOT_SERVER", "SECPILOT_KEY"}, .input = {}});
}

std::string data(const std::string& file) {
  return secpilot::testing::read_file(kData / file);
}

RunResult summarize(const std::string& file) {
  return cli({"invoke", "Incident.SummarizeIncident", "--input", "incident=" + data(file)});
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::vector<std::string> names(const json::array& items, const char* key) {
  std::vector<std::string> out;
  for (const auto& item : items)
    out.emplace_back(item.at(key).as_string());
  return out;
}

TEST(IncidentCli, SummarizesTheDefenderXdrExport) {
  auto run = summarize("defender_xdr_incident.json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto result = json::parse(run.out).as_object();
  EXPECT_EQ(result.at("shape"), "defender_xdr");
  EXPECT_EQ(result.at("severity"), "high");
  const auto& entities = result.at("entities").as_object();
  EXPECT_EQ(names(entities.at("hosts").as_array(), "name"),
            (std::vector<std::string>{"ws-fin-07.corp.example", "mbp-fin-12"}));
  EXPECT_EQ(names(entities.at("users").as_array(), "name"),
            (std::vector<std::string>{"mrivera@corp.example", "jchen@corp.example"}));
  EXPECT_EQ(names(entities.at("domains").as_array(), "name"),
            (std::vector<std::string>{"update-check.example.net"}));
  const auto& timeline = result.at("timeline").as_array();
  EXPECT_EQ(timeline.front().at("time"), "2026-11-20T09:02:11Z");
  EXPECT_EQ(timeline.front().at("source"), "Suspicious PowerShell command line");
  bool launch_agent = false;
  for (const auto& technique : result.at("techniques").as_array())
    launch_agent |= technique.at("id") == "T1543.001" && technique.at("tactic") == "Persistence";
  EXPECT_TRUE(launch_agent) << run.out;
  EXPECT_EQ(result.at("triage").at("first_steps").as_array().at(0),
            "Isolate ws-fin-07.corp.example and mbp-fin-12 from the network, keeping them "
            "powered on for forensics.");
}

TEST(IncidentCli, SummarizesTheSentinelAndGenericExports) {
  auto sentinel = summarize("sentinel_incident.json");
  ASSERT_EQ(sentinel.exit_code, 0) << sentinel.err;
  auto result = json::parse(sentinel.out).as_object();
  EXPECT_EQ(result.at("shape"), "sentinel");
  EXPECT_EQ(result.at("id"), "318");
  EXPECT_EQ(result.at("alerts").as_array().size(), 2u);
  EXPECT_EQ(result.at("entities").at("files").as_array().at(0).at("sha256"),
            "684c9d3df55b7db70dcd7db5708488a3c49716641aadb6535d68b8f2d669ebfd");

  auto generic = cli({"invoke", "Incident.SummarizeIncident", "--json",
                      json::serialize(json::object{{"incident", data("generic_incident.json")}})});
  ASSERT_EQ(generic.exit_code, 0) << generic.err;
  result = json::parse(generic.out).as_object();
  EXPECT_EQ(result.at("shape"), "generic");
  EXPECT_EQ(result.at("first_activity"), "2026-11-20T09:02:11Z");
  EXPECT_TRUE(contains(json::serialize(result.at("triage")),
                       "Remove the persistence (Launch Agent) from mbp-fin-12"));
}

TEST(IncidentCli, AnUnknownShapeIsInvalidInputNamingTheAcceptedOnes) {
  auto run = summarize("malformed/unknown_shape.json");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(contains(run.err,
                       "Incident.SummarizeIncident failed (invalid_input): the input "
                       "'incident' is not an incident this skill can read: it has "
                       "search_name"))
      << run.err;
  EXPECT_TRUE(contains(run.err, "Accepted shapes:")) << run.err;

  auto truncated = summarize("malformed/truncated.json");
  EXPECT_EQ(truncated.exit_code, 1);
  EXPECT_TRUE(contains(truncated.err, "is not valid JSON")) << truncated.err;
  EXPECT_TRUE(contains(truncated.err, "line 35, column")) << truncated.err;

  auto no_alerts = summarize("malformed/defender_xdr_without_alerts.json");
  EXPECT_EQ(no_alerts.exit_code, 1);
  EXPECT_TRUE(contains(no_alerts.err, "$expand=alerts")) << no_alerts.err;

  auto object = cli({"invoke", "Incident.SummarizeIncident", "--json", R"({"incident": {}})"});
  EXPECT_EQ(object.exit_code, 1);
  EXPECT_TRUE(contains(object.err, "input 'incident' must be a string")) << object.err;
}

TEST(IncidentCli, WritesEachAudiencesReport) {
  auto ciso = cli({"invoke", "Incident.WriteReport", "--input",
                   "source=" + data("sentinel_incident.json"), "--input", "audience=ciso"});
  ASSERT_EQ(ciso.exit_code, 0) << ciso.err;
  auto report = json::parse(ciso.out).as_object();
  EXPECT_EQ(report.at("audience"), "ciso");
  EXPECT_LE(report.at("word_count").as_int64(), 250);
  for (const auto& section : report.at("sections").as_array())  // no indicators for the CISO
    EXPECT_FALSE(contains(std::string(section.at("markdown").as_string()), "203.0.113.45"))
        << section.at("markdown");

  auto analyst = cli({"invoke", "Incident.WriteReport", "--input",
                      "source=" + data("defender_xdr_incident.json")});  // the default audience
  ASSERT_EQ(analyst.exit_code, 0) << analyst.err;
  report = json::parse(analyst.out).as_object();
  EXPECT_EQ(report.at("audience"), "soc_analyst");
  const std::string markdown(report.at("markdown").as_string());
  EXPECT_TRUE(contains(markdown, "**IP addresses:** `203.0.113.45`")) << markdown;
  EXPECT_TRUE(contains(markdown, "| 2026-11-20T09:14:03Z |")) << markdown;

  auto admin = cli({"invoke", "Incident.WriteReport", "--input",
                    "source=" + data("generic_incident.json"), "--input", "audience=it_admin"});
  ASSERT_EQ(admin.exit_code, 0) << admin.err;
  EXPECT_TRUE(contains(admin.out, "launchctl bootout gui/$(id -u jchen)")) << admin.out;

  auto wrong = cli({"invoke", "Incident.WriteReport", "--input",
                    "source=" + data("generic_incident.json"), "--input", "audience=board"});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_TRUE(contains(wrong.err,
                       "the input 'audience' is 'board': use ciso, soc_analyst or "
                       "it_admin"))
      << wrong.err;
}

TEST(IncidentCli, ReportsOnASummaryAndOnASession) {
  auto summary = summarize("defender_xdr_api_incident.json");
  ASSERT_EQ(summary.exit_code, 0) << summary.err;
  auto from_summary = cli({"invoke", "Incident.WriteReport", "--input", "source=" + summary.out,
                           "--input", "audience=it_admin"});
  ASSERT_EQ(from_summary.exit_code, 0) << from_summary.err;
  auto report = json::parse(from_summary.out).as_object();
  EXPECT_EQ(report.at("source_shape"), "summary");
  EXPECT_TRUE(contains(std::string(report.at("markdown").as_string()), "**mbp-fin-12**"));

  auto session = cli({"invoke", "Incident.WriteReport", "--input",
                      "source=" + data("session_export.json"), "--input", "audience=soc_analyst"});
  ASSERT_EQ(session.exit_code, 0) << session.err;
  report = json::parse(session.out).as_object();
  EXPECT_EQ(report.at("source_kind"), "session");
  EXPECT_TRUE(contains(std::string(report.at("markdown").as_string()),
                       "`ThreatIntel.LookupIndicator`: 203.0.113.45 (ipv4): malicious"));

  auto refused = cli({"invoke", "Incident.SummarizeIncident", "--input",
                      "incident=" + data("session_export.json")});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_TRUE(contains(refused.err, "is a secpilot session export")) << refused.err;
}

TEST(IncidentCli, TheManifestLintsCleanAndTheGptSkillIsListedButNotRun) {
  auto lint = cli({"manifest", "lint", kPlugin + "/incident.yaml"});
  EXPECT_EQ(lint.exit_code, 0) << lint.out << lint.err;
  EXPECT_EQ(lint.out, "") << lint.out;

  auto show = cli({"skills", "show", "Incident.SummarizeIncident", "--json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  auto skill = json::parse(show.out).as_object();
  std::vector<std::string> entities;
  for (const auto& entity : skill.at("outputEntities").as_array())
    entities.emplace_back(entity.as_string());
  for (const char* type :
       {"user", "host", "ip", "domain", "url", "sha256", "sha1", "md5", "mitre_technique"})
    EXPECT_NE(std::find(entities.begin(), entities.end(), type), entities.end()) << type;

  auto list = cli({"skills", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_TRUE(contains(list.out, "Incident.WriteReportWithModel")) << list.out;
  auto model = cli({"invoke", "Incident.WriteReportWithModel", "--input", "source={}"});
  EXPECT_EQ(model.exit_code, 1);
  EXPECT_TRUE(contains(model.err, "cannot run")) << model.err;
}

}  // namespace
}  // namespace incident
