// GenerateKql: each request maps to the right intent, puts the request's entities into the
// right columns, and yields a query that passes the checker with no error and no warning.
#include <gtest/gtest.h>

#include <algorithm>

#include "kql/check.hpp"
#include "kql/parse.hpp"
#include "kql_skills/generate.hpp"
#include "test_catalogue.hpp"

namespace kql_skills {
namespace {

struct Case {
  std::string request;
  std::string intent;
  std::vector<std::string> snippets;  // each must appear in the query
};

const std::vector<Case>& cases() {
  static const std::vector<Case> kCases{
      {"Show failed sign-ins for alice@contoso.com in the last 24 hours",
       "failed_sign_ins",
       {"SigninLogs", "TimeGenerated > ago(24h)", "UserPrincipalName =~ \"alice@contoso.com\"",
        "ResultType != \"0\"", "sort by TimeGenerated desc"}},
      {"successful sign-ins of bob@contoso.com from 203.0.113.7 this week",
       "successful_sign_ins",
       {"ResultType == \"0\"", "IPAddress == \"203.0.113.7\"", "startofweek(now())"}},
      {"sign-ins for user jdoe in the past 3 days",
       "user_sign_ins",
       {"UserPrincipalName startswith \"jdoe@\"", "ago(3d)"}},
      {"Password spray: failed logins in the last hour",
       "failed_sign_ins",
       {"ago(1h)", "summarize Failures = count()", "by UserPrincipalName, IPAddress"}},
      {"failed non-interactive sign-ins for carol@contoso.com since yesterday",
       "failed_sign_ins",
       {"AADNonInteractiveUserSignInLogs", "TimeGenerated > startofday(ago(1d))"}},
      {"What processes ran on WS-042 in the last 24 hours?",
       "processes_on_host",
       {"DeviceProcessEvents", "Timestamp > ago(24h)",
        "(DeviceName =~ \"WS-042\" or DeviceName startswith \"WS-042.\")", "ProcessCommandLine"}},
      {"processes executed by user CONTOSO\\jdoe yesterday",
       "processes_on_host",
       {"AccountName =~ \"jdoe\"", "between (startofday(ago(1d)) .. startofday(now()))"}},
      {"show executions of rundll32.exe on host srv-files-01 in the past 7 days",
       "lolbin_use",
       {"FileName =~ \"rundll32.exe\"", "DeviceName =~ \"srv-files-01\"", "ago(7d)"}},
      {"Find encoded PowerShell commands in the past 7 days",
       "encoded_powershell",
       {"\"powershell.exe\", \"pwsh.exe\"", "matches regex", "EncodedPayload"}},
      {"base64 encoded powershell on WS-042 last 2 days",
       "encoded_powershell",
       {"ago(2d)", "DeviceName =~ \"WS-042\""}},
      {"Show LOLBin usage since yesterday",
       "lolbin_use",
       {"\"certutil.exe\"", "\"mshta.exe\"", "summarize Executions = count()"}},
      {"certutil downloads in the last 30 days",
       "lolbin_use",
       {"FileName =~ \"certutil.exe\"", "ago(30d)"}},
      {"Which devices connected to 198.51.100.23 in the last 7 days?",
       "network_connections",
       {"DeviceNetworkEvents", "RemoteIP == \"198.51.100.23\"", "InitiatingProcessFileName"}},
      {"connections to evil-example.com over the past 48 hours",
       "network_connections",
       {"RemoteUrl has \"evil-example.com\"", "ago(48h)"}},
      {"did anything beacon to hxxps://bad[.]example/payload.bin",
       "network_connections",
       {"RemoteUrl has \"bad.example\""}},
      {"traffic to 10.20.0.0/16 in the last day",
       "network_connections",
       {"ipv4_is_in_range(RemoteIP, \"10.20.0.0/16\")", "ago(1d)"}},
      {"firewall connections to 203.0.113.50 in the last 24 hours",
       "network_connections",
       {"CommonSecurityLog", "DestinationIP == \"203.0.113.50\"", "TimeGenerated > ago(24h)"}},
      {"Top 20 talkers in the last 24 hours",
       "top_talkers",
       {"summarize Connections = count()", "by DeviceName", "top 20 by Connections desc"}},
      {"top destinations by number of connections this week",
       "top_talkers",
       {"by RemoteIP", "top 10 by Connections desc"}},
      {"Where has the file with SHA256 "
       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 been seen?",
       "file_hash_sightings",
       {"SHA256 =~ \"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"",
        "EmailAttachmentInfo", "union withsource=SourceTable"}},
      {"hunt for md5 44D88612FEA8A8F36DE82E1278ABB02F",
       "file_hash_sightings",
       {"MD5 =~ \"44d88612fea8a8f36de82e1278abb02f\"", "DeviceFileEvents"}},
      {"sightings of 3395856ce81f2b7382dee72602f798b642f14140 in the last 90 days",
       "file_hash_sightings",
       {"SHA1 =~ \"3395856ce81f2b7382dee72602f798b642f14140\"", "ago(90d)"}},
      {"Where was invoice.docm written in the last 3 days?",
       "file_events_by_name",
       {"DeviceFileEvents", "FileName =~ \"invoice.docm\"", "FileOriginUrl"}},
      {"Show e-mails from attacker@evil-example.com in the last 7 days",
       "emails_from_sender",
       {"EmailEvents", "SenderFromAddress =~ \"attacker@evil-example.com\""}},
      {"phishing emails sent to bob@contoso.com today",
       "emails_from_sender",
       {"RecipientEmailAddress =~ \"bob@contoso.com\"", "isnotempty(ThreatTypes)",
        "startofday(now())"}},
      {"emails from the domain evil-example.com",
       "emails_from_sender",
       {"SenderFromDomain =~ \"evil-example.com\""}},
      {"Which emails contained links to evil-example.com this week?",
       "emails_with_url",
       {"EmailUrlInfo", "UrlDomain =~ \"evil-example.com\"", "join kind=inner (EmailEvents"}},
      {"emails with the URL https://login.example-phish.com/reset in the last 2 days",
       "emails_with_url",
       {"Url startswith \"https://login.example-phish.com/reset\""}},
      {"Failed RDP logons to WS-042 in the last 24 hours",
       "logons_to_host",
       {"DeviceLogonEvents", "ActionType == \"LogonFailed\"",
        "LogonType == \"RemoteInteractive\""}},
      {"logons to DC01 by user admin-jdoe",
       "logons_to_host",
       {"(DeviceName =~ \"DC01\" or DeviceName startswith \"DC01.\")",
        "AccountName =~ \"admin-jdoe\""}},
      {"event 4625 failed logons on server FILESRV01 in SecurityEvent",
       "logons_to_host",
       {"SecurityEvent", "EventID == 4625", "Computer =~ \"FILESRV01\""}},
      {"Look for registry persistence on WS-042 in the last 3 days",
       "registry_persistence",
       {"DeviceRegistryEvents", "\\CurrentVersion\\Run", "RegistryValueData"}},
      {"run keys modified since yesterday",
       "registry_persistence",
       {"RegistryKey has_any", "startofday(ago(1d))"}},
      {"Were any new services installed in the past 24 hours?",
       "new_services",
       {"DeviceEvents", "ActionType == \"ServiceInstalled\"", "parse_json(AdditionalFields)"}},
      {"new services created (event 4697) on DC01 this week",
       "new_services",
       {"SecurityEvent", "EventID == 4697", "ServiceFileName"}},
      {"Show alerts involving WS-042 in the last 30 days",
       "alerts_for_entity",
       {"AlertEvidence", "join kind=inner (AlertInfo", "DeviceName =~ \"WS-042\""}},
      {"list powershell activity for jdoe in the last 12 hours",
       "processes_on_host",
       {"AccountName =~ \"jdoe\"", "FileName =~ \"powershell.exe\"", "ago(12h)"}},
      {"sightings of 3395856ce81f2b7382dee72602f798b642f14140 on WS-042",
       "file_hash_sightings",
       {"SHA1 =~ \"3395856ce81f2b7382dee72602f798b642f14140\"",
        "(DeviceName =~ \"WS-042\" or DeviceName startswith \"WS-042.\")"}},
      {"alerts for alice@contoso.com",
       "alerts_for_entity",
       {"AccountUpn =~ \"alice@contoso.com\""}},
  };
  return kCases;
}

TEST(Generate, TheCorpusIsLarge) {
  EXPECT_GE(cases().size(), 30u);
}

TEST(Generate, RecognisesTheIntentAndFillsInTheEntities) {
  for (const auto& c : cases()) {
    const GenerateResult result = generate(c.request, testing::catalogue());
    ASSERT_FALSE(result.abstained) << c.request << ": " << result.message;
    EXPECT_EQ(result.intent, c.intent) << c.request << "\n" << result.query;
    for (const auto& snippet : c.snippets)
      EXPECT_NE(result.query.find(snippet), std::string::npos)
          << c.request << "\nmissing: " << snippet << "\n"
          << result.query;
    EXPECT_FALSE(result.explanation.empty()) << c.request;
    EXPECT_FALSE(result.tables.empty()) << c.request;
  }
}

TEST(Generate, EveryGeneratedQueryValidatesCleanly) {
  for (const auto& c : cases()) {
    const GenerateResult result = generate(c.request, testing::catalogue());
    // Checked independently of the generator's own check.
    const kql::ParseResult parsed = kql::parse(result.query);
    ASSERT_TRUE(parsed.ok()) << c.request << "\n"
                             << result.query << "\n"
                             << parsed.diagnostics.front().message;
    const kql::CheckResult checked = kql::check(parsed.ast, testing::catalogue());
    std::string problems;
    for (const auto& d : checked.diagnostics)
      problems += d.code + ": " + d.message + "\n";
    EXPECT_TRUE(checked.diagnostics.empty()) << c.request << "\n"
                                             << result.query << "\n"
                                             << problems;
    EXPECT_TRUE(result.diagnostics.empty()) << c.request;
    // The tables reported are the tables the query reads.
    for (const auto& table : result.tables)
      EXPECT_NE(std::find(checked.tables.begin(), checked.tables.end(), table),
                checked.tables.end())
          << c.request << ": " << table;
  }
}

TEST(Generate, ADefaultWindowIsRecordedAsAnAssumption) {
  const GenerateResult result =
      generate("Which devices connected to 198.51.100.23?", testing::catalogue());
  EXPECT_NE(result.query.find("ago(7d)"), std::string::npos);
  ASSERT_FALSE(result.assumptions.empty());
  EXPECT_NE(result.assumptions.front().find("No time window was given"), std::string::npos);
  EXPECT_TRUE(result.time_window.empty());
  const GenerateResult explicit_window = generate(
      "Which devices connected to 198.51.100.23 in the last 2 hours?", testing::catalogue());
  EXPECT_EQ(explicit_window.time_window, "the last 2 hours");
}

TEST(Generate, AbstainsWhenNothingFitsAndListsWhatItKnows) {
  for (const char* request :
       {"make me a sandwich", "what's the weather in Paris?",
        "summarize the incident for my manager", "hello", "tell me a joke about firewalls"}) {
    const GenerateResult result = generate(request, testing::catalogue());
    EXPECT_TRUE(result.abstained) << request << " -> " << result.intent;
    EXPECT_TRUE(result.query.empty());
    EXPECT_NE(result.message.find("No query was generated"), std::string::npos);
    const auto json = generation_json(result);
    EXPECT_TRUE(json.at("query").is_null());
    EXPECT_EQ(json.at("known_intents").as_array().size(), known_intents().size());
  }
  EXPECT_GE(known_intents().size(), 14u);
}

TEST(Generate, ResultJsonForACaller) {
  const auto json = generation_json(
      generate("failed sign-ins for alice@contoso.com last 24 hours", testing::catalogue()));
  EXPECT_EQ(json.at("abstained"), false);
  EXPECT_EQ(json.at("intent"), "failed_sign_ins");
  EXPECT_EQ(json.at("valid"), true);
  EXPECT_EQ(json.at("tables").as_array().at(0), "SigninLogs");
  EXPECT_EQ(json.at("entities").at("emails").as_array().at(0), "alice@contoso.com");
  EXPECT_EQ(json.at("time_window"), "the last 24 hours");
  EXPECT_TRUE(json.at("errors").as_array().empty());
}

TEST(Generate, ValuesAreQuotedSoARequestCannotInjectKql) {
  const GenerateResult result =
      generate("processes on host WS-1\" | project secret | where \"a ran in the last day",
               testing::catalogue());
  ASSERT_FALSE(result.abstained);
  const kql::ParseResult parsed = kql::parse(result.query);
  EXPECT_TRUE(parsed.ok()) << result.query;
  EXPECT_EQ(result.query.find("| project secret"), std::string::npos) << result.query;
}

}  // namespace
}  // namespace kql_skills
