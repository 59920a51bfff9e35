// The summary: timeline order and de-duplication, techniques and tactics, activity times, the
// triage rules, and the result's round trip through the generic shape.
#include <gtest/gtest.h>

#include "incident/time_text.hpp"
#include "test_data.hpp"

namespace incident {
namespace {

using testing::read_text;
using testing::summarize_file;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(Timeline, IsSortedAndEachEventAppearsOnce) {
  for (const char* file :
       {"defender_xdr_incident.json", "defender_xdr_api_incident.json", "sentinel_incident.json",
        "generic_incident.json", "session_export.json"}) {
    const Summary summary = summarize_file(file);
    ASSERT_FALSE(summary.timeline.empty()) << file;
    for (std::size_t i = 1; i < summary.timeline.size(); ++i) {
      const Event& before = summary.timeline[i - 1];
      const Event& after = summary.timeline[i];
      EXPECT_LE(before.time, after.time) << file << " at " << i;
      EXPECT_FALSE(before.time == after.time && before.description == after.description)
          << file << ": duplicate " << after.description;
    }
  }
}

TEST(Timeline, AProcessTwoAlertsReportIsOneEventNamingBoth) {
  const Summary summary = summarize_file("defender_xdr_incident.json");
  std::vector<const Event*> powershell;
  for (const auto& event : summary.timeline)
    if (event.kind == "process" && contains(event.description, "powershell.exe started"))
      powershell.push_back(&event);
  ASSERT_EQ(powershell.size(), 1u);
  EXPECT_EQ(format_time(powershell[0]->time), "2026-11-20T09:02:11Z");
  EXPECT_EQ(powershell[0]->alerts.size(), 2u);
  EXPECT_TRUE(contains(powershell[0]->description,
                       "on ws-fin-07.corp.example as mrivera@corp.example: powershell.exe "
                       "-NoProfile -WindowStyle Hidden -EncodedCommand"));
  // The alerts, the incident's creation and the processes, in order.
  std::vector<std::string> kinds;
  for (const auto& event : summary.timeline)
    kinds.push_back(event.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{"alert", "process", "alert", "incident", "alert",
                                             "process"}));
}

TEST(Timeline, DuplicateEventsMergeTheirAlertsButDistinctSecondsStayApart) {
  const Summary summary = summarize(read_text(R"({"title": "t", "events": [
    {"time": "2026-11-20T09:14:05.900Z", "description": "mbp-fin-12 connected to 203.0.113.45:443", "alert": "rc-4127"},
    {"time": "2026-11-20T09:14:05Z", "description": "mbp-fin-12 connected to 203.0.113.45:443", "alert": "mde-1"},
    {"time": "2026-11-20T09:14:06Z", "description": "mbp-fin-12 connected to 203.0.113.45:443"},
    {"time": "2026-11-20T09:14:05Z", "description": "another thing"}]})"));
  ASSERT_EQ(summary.timeline.size(), 3u);
  EXPECT_EQ(summary.timeline[0].description, "another thing");  // same second: by description
  EXPECT_EQ(summary.timeline[1].alerts, (std::vector<std::string>{"rc-4127", "mde-1"}));
  EXPECT_TRUE(summary.timeline[2].alerts.empty());
}

TEST(Summary, TechniquesHaveTacticsInKillChainOrder) {
  const Summary summary = summarize_file("defender_xdr_incident.json");
  std::vector<std::string> ids;
  for (const auto& technique : summary.techniques)
    ids.push_back(technique.id + " " + technique.tactic);
  EXPECT_EQ(ids, (std::vector<std::string>{"T1059.001 Execution", "T1059.004 Execution",
                                           "T1543.001 Persistence", "T1027 Defense Evasion",
                                           "T1071.001 Command and Control",
                                           "T1105 Command and Control"}));
  EXPECT_EQ(summary.techniques[4].alerts.size(), 2u);  // T1071.001 in two alerts
  EXPECT_EQ(summary.tactics, (std::vector<std::string>{"Execution", "Persistence",
                                                       "Defense Evasion", "Command and Control"}));
}

TEST(Summary, UnknownTechniquesTakeTheAlertsOnlyTacticAndBadIdsAreWarnedAbout) {
  const Summary summary = summarize(read_text(R"({"title": "t", "alerts": [
    {"id": "a1", "title": "x", "time": "2026-11-20T09:00:00Z", "tactics": ["Exfiltration"],
     "techniques": ["T1999", "PowerShell", "t1105"]}]})"));
  ASSERT_EQ(summary.techniques.size(), 2u);
  EXPECT_EQ(summary.techniques[0].id, "T1105");  // Command and Control comes before Exfiltration
  EXPECT_EQ(summary.techniques[1].id, "T1999");
  EXPECT_EQ(summary.techniques[1].name, "");
  EXPECT_EQ(summary.techniques[1].tactic, "Exfiltration");
  EXPECT_EQ(
      summary.incident.warnings,
      (std::vector<std::string>{
          "ignored technique 'PowerShell': not an ATT&CK technique id (T1234 or T1234.567)"}));
}

TEST(Summary, ActivityTimesLeaveOutContextAndTheIncidentsOwnEvents) {
  const Summary generic = summarize_file("generic_incident.json");
  EXPECT_EQ(format_time(*generic.first_activity), "2026-11-20T09:02:11Z");  // not the Jamf note
  EXPECT_EQ(format_time(*generic.last_activity), "2026-11-20T09:14:05Z");
  const Summary defender = summarize_file("defender_xdr_incident.json");
  EXPECT_EQ(format_time(*defender.last_activity), "2026-11-20T09:19:52Z");  // alert last activity
  const Summary session = summarize_file("session_export.json");
  EXPECT_EQ(format_time(*session.last_activity), "2026-11-20T09:14:05Z");  // not the skill steps
}

TEST(Summary, SeverityFallsBackToTheWorstAlert) {
  const Summary summary = summarize(read_text(R"({"title": "t", "alerts": [
    {"title": "a", "severity": "Low"}, {"title": "b", "severity": "Medium"}]})"));
  EXPECT_EQ(summary.incident.severity, Severity::medium);
}

TEST(Triage, SaysWhatHappenedTheScopeAndWhatToDoFirst) {
  const Summary summary = summarize_file("defender_xdr_incident.json");
  const Triage& triage = summary.triage;
  EXPECT_TRUE(contains(triage.what_happened, "3 alerts from 2026-11-20 09:02 to 09:19 UTC"))
      << triage.what_happened;
  EXPECT_TRUE(contains(triage.what_happened,
                       "\"Suspicious 'curl | bash' download run by a launch agent\" on mbp-fin-12 "
                       "(high)"))
      << triage.what_happened;
  EXPECT_TRUE(contains(triage.what_happened, "Tactics seen: Execution, Persistence"));
  EXPECT_EQ(triage.scope,
            "2 hosts (ws-fin-07.corp.example and mbp-fin-12) and 2 users (mrivera@corp.example "
            "and jchen@corp.example). External indicators: 1 IP (203.0.113.45), 1 domain "
            "(update-check.example.net), 2 URLs and 3 file hashes.");
  ASSERT_GE(triage.first_steps.size(), 5u);
  EXPECT_EQ(triage.first_steps[0],
            "Isolate ws-fin-07.corp.example and mbp-fin-12 from the network, keeping them "
            "powered on for forensics.");
  EXPECT_TRUE(contains(triage.first_steps[1], "Block 203.0.113.45 and update-check.example.net"));
  EXPECT_EQ(triage.first_steps[2],
            "Remove the persistence (Launch Agent) from mbp-fin-12: "
            "/Users/jchen/Library/LaunchAgents/com.update-check.agent.plist.");
  EXPECT_TRUE(contains(triage.first_steps[3], "Reset the passwords"));
  EXPECT_EQ(triage.first_steps.back(), "Assign an owner to the incident: it has none.");
}

TEST(Triage, AResolvedLowIncidentAsksForConfirmationNotIsolation) {
  const Summary summary = summarize(read_text(R"({"title": "t", "severity": "low",
    "status": "Closed", "classification": "BenignPositive", "assigned_to": "dana",
    "alerts": [{"title": "a", "entities": {"hosts": ["ws-fin-07"]}}]})"));
  ASSERT_EQ(summary.triage.first_steps.size(), 2u);
  EXPECT_EQ(summary.triage.first_steps[0],
            "The incident is resolved (BenignPositive): confirm that the steps below were done "
            "before closing it out.");
  EXPECT_EQ(summary.triage.first_steps[1], "Check ws-fin-07 for further activity.");
}

TEST(Summary, TheResultReadsBackAsTheSameSummary) {
  // (A session's findings are WriteReport's, not part of a summary: sessions are left out.)
  for (const char* file : {"defender_xdr_incident.json", "defender_xdr_api_incident.json",
                           "sentinel_incident.json", "generic_incident.json"}) {
    const auto first = summary_json(summarize_file(file));
    const auto second = summary_json(summarize(read_text(boost::json::serialize(first))));
    for (const auto& [key, value] : first) {
      if (key == "shape") continue;
      EXPECT_EQ(value, second.at(key)) << file << ": " << key << "\n"
                                       << boost::json::serialize(value) << "\n"
                                       << boost::json::serialize(second.at(key));
    }
  }
}

TEST(Summary, IsDeterministic) {
  const std::string text = testing::read_data("sentinel_incident.json");
  EXPECT_EQ(boost::json::serialize(summary_json(summarize(read_text(text)))),
            boost::json::serialize(summary_json(summarize(read_text(text)))));
}

}  // namespace
}  // namespace incident
