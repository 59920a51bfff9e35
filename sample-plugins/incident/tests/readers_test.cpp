// What each reader takes from its shape: the storyline's hosts, users, indicators and processes,
// linked to the alerts that name them.
#include <gtest/gtest.h>

#include "incident/time_text.hpp"
#include "test_data.hpp"

namespace incident {
namespace {

using testing::host_named;
using testing::read_file;
using testing::read_text;
using testing::user_named;

constexpr const char* kPowerShellAlert = "da638671234567890123_-1842379941";
constexpr const char* kC2Alert = "da638671234578901234_1203947751";
constexpr const char* kMacAlert = "da638671241430000000_-902114537";

TEST(DefenderXdr, ReadsTheIncidentAndItsAlerts) {
  const Incident incident = read_file("defender_xdr_incident.json");
  EXPECT_EQ(incident.id, "3481");
  EXPECT_EQ(incident.severity, Severity::high);
  EXPECT_EQ(incident.status, "active");
  EXPECT_EQ(incident.classification, "");  // "unknown" is no classification
  EXPECT_EQ(incident.created, parse_time("2026-11-20T09:03:07Z"));
  ASSERT_EQ(incident.alerts.size(), 3u);
  const Alert& mac = incident.alerts[2];
  EXPECT_EQ(mac.id, kMacAlert);
  EXPECT_EQ(mac.status, "in_progress");
  EXPECT_EQ(mac.source, "Microsoft Defender for Endpoint");
  EXPECT_EQ(mac.time, parse_time("2026-11-20T09:14:03Z"));
  EXPECT_EQ(mac.last_time, parse_time("2026-11-20T09:19:52Z"));
  EXPECT_EQ(mac.techniques,
            (std::vector<std::string>{"T1059.004", "T1105", "T1543.001", "T1071.001"}));
  EXPECT_EQ(mac.tactics, (std::vector<std::string>{"Persistence"}));
  EXPECT_TRUE(incident.warnings.empty());
}

TEST(DefenderXdr, EvidenceBecomesLinkedEntities) {
  Incident incident = read_file("defender_xdr_incident.json");
  incident.entities.link_users();
  const Entities& entities = incident.entities;
  const Host* workstation = host_named(entities, "ws-fin-07.corp.example");
  ASSERT_NE(workstation, nullptr);
  EXPECT_EQ(workstation->os, "Windows11 23H2");
  EXPECT_EQ(workstation->alerts, (std::vector<std::string>{kPowerShellAlert, kC2Alert}));
  EXPECT_EQ(workstation->users, (std::vector<std::string>{"mrivera@corp.example"}));
  const User* jchen = user_named(entities, "jchen@corp.example");
  ASSERT_NE(jchen, nullptr);  // mbp-fin-12\jchen from loggedOnUsers merged into the UPN
  EXPECT_EQ(jchen->display_name, "Jun Chen");
  EXPECT_EQ(entities.users().size(), 2u);
  // Process and file evidence name only the device id: the host comes from deviceEvidence.
  ASSERT_EQ(entities.processes().size(), 2u);
  EXPECT_EQ(entities.processes()[0].host, "ws-fin-07.corp.example");
  EXPECT_EQ(entities.processes()[0].pid, "7412");
  EXPECT_EQ(entities.processes()[0].alerts, (std::vector<std::string>{kPowerShellAlert, kC2Alert}));
  EXPECT_EQ(entities.processes()[1].image, "bash");
  EXPECT_EQ(entities.processes()[1].host, "mbp-fin-12");
  ASSERT_EQ(entities.files().size(), 3u);  // image files of processes are not indicators
  EXPECT_EQ(entities.files()[1].name, "com.update-check.agent.plist");
  EXPECT_EQ(entities.files()[1].path, "/Users/jchen/Library/LaunchAgents");
  EXPECT_EQ(entities.files()[1].host, "mbp-fin-12");
  ASSERT_EQ(entities.ips().size(), 1u);
  EXPECT_EQ(entities.ips()[0].alerts, (std::vector<std::string>{kC2Alert, kMacAlert}));
  EXPECT_EQ(entities.urls().size(), 2u);
}

TEST(DefenderXdr, EvidenceTypesItDoesNotReadAreCountedInWarnings) {
  const Incident incident = read_text(R"({
    "displayName": "Registry persistence", "alerts": [{"id": "a1", "title": "Run key",
      "evidence": [
        {"@odata.type": "#microsoft.graph.security.registryKeyEvidence", "registryKey": "Run"},
        {"@odata.type": "#microsoft.graph.security.registryKeyEvidence", "registryKey": "RunOnce"},
        {"@odata.type": "#microsoft.graph.security.ipEvidence", "ipAddress": "198.51.100.7"}]}]})");
  EXPECT_EQ(incident.entities.ips().size(), 1u);
  EXPECT_EQ(incident.warnings,
            (std::vector<std::string>{"skipped 2 registryKeyEvidence item(s): this skill does not "
                                      "read that evidence type"}));
}

TEST(DefenderXdrApi, ReadsDevicesAndEntities) {
  Incident incident = read_file("defender_xdr_api_incident.json");
  incident.entities.link_users();
  EXPECT_EQ(incident.id, "3481");  // a number in this API
  EXPECT_EQ(incident.assigned_to, "dana.okafor@corp.example");
  EXPECT_EQ(incident.classification, "");
  ASSERT_EQ(incident.alerts.size(), 2u);
  EXPECT_EQ(incident.alerts[0].last_time, parse_time("2026-11-20T09:19:52Z"));
  const Entities& entities = incident.entities;
  const Host* mac = host_named(entities, "mbp-fin-12");
  ASSERT_NE(mac, nullptr);
  EXPECT_EQ(mac->os, "macOS 13.6.1");
  EXPECT_EQ(mac->users, (std::vector<std::string>{"jchen@corp.example"}));
  // The process names its device by id; the bash process has none but its alert has one device.
  ASSERT_EQ(entities.processes().size(), 2u);
  EXPECT_EQ(entities.processes()[0].host, "ws-fin-07.corp.example");
  EXPECT_EQ(entities.processes()[1].host, "mbp-fin-12");
  EXPECT_EQ(entities.files()[0].host, "ws-fin-07.corp.example");
  EXPECT_EQ(incident.warnings, (std::vector<std::string>{
                                   "skipped 1 Registry entit(ies): this skill does not read that "
                                   "entity type"}));
}

TEST(Sentinel, ReadsTheResourceWithItsAlertsAndEntities) {
  Incident incident = read_file("sentinel_incident.json");
  incident.entities.link_users();
  EXPECT_EQ(incident.id, "318");
  EXPECT_EQ(incident.title, "C2 beacons to 203.0.113.45 from two finance endpoints");
  EXPECT_EQ(incident.assigned_to, "dana.okafor@corp.example");
  EXPECT_EQ(incident.tactics,
            (std::vector<std::string>{"Execution", "Persistence", "Command and Control"}));
  ASSERT_EQ(incident.alerts.size(), 2u);
  EXPECT_EQ(incident.alerts[1].source, "Red Canary");
  EXPECT_EQ(incident.alerts[1].techniques.size(), 4u);
  const Entities& entities = incident.entities;
  // Host name + dnsDomain, and the alert's compromisedEntity links the host to the alert.
  const Host* workstation = host_named(entities, "ws-fin-07.corp.example");
  ASSERT_NE(workstation, nullptr);
  EXPECT_EQ(workstation->os, "Windows 11 23H2");
  EXPECT_EQ(workstation->alerts, (std::vector<std::string>{incident.alerts[0].id}));
  EXPECT_EQ(host_named(entities, "mbp-fin-12")->os, "macOS 13.6.1");  // osFamily Unknown dropped
  EXPECT_NE(user_named(entities, "mrivera@corp.example"), nullptr);   // accountName@upnSuffix
  // Files carry the hashes of the FileHash entities they refer to.
  ASSERT_EQ(entities.files().size(), 2u);
  EXPECT_EQ(entities.files()[0].sha256,
            "684c9d3df55b7db70dcd7db5708488a3c49716641aadb6535d68b8f2d669ebfd");
  EXPECT_EQ(entities.files()[1].md5, "b27dfb769c12d4cc1f7e36ba381b3fd8");
  // Processes resolve their host and account references.
  ASSERT_EQ(entities.processes().size(), 2u);
  EXPECT_EQ(entities.processes()[1].host, "mbp-fin-12");
  EXPECT_EQ(entities.processes()[1].user, "jchen@corp.example");
  EXPECT_EQ(entities.processes()[1].image, "bash");
  EXPECT_EQ(entities.ips().size(), 2u);
  EXPECT_EQ(incident.warnings,
            (std::vector<std::string>{"skipped 1 Malware entit(ies): this skill does not read that "
                                      "entity kind"}));
}

TEST(Sentinel, AnIncidentAloneIsReadAndTheMissingPartsAreWarnedAbout) {
  boost::json::value document = boost::json::parse(testing::read_data("sentinel_incident.json"));
  auto& resource = document.at("incident").as_object();
  resource.at("properties").as_object()["status"] = "Closed";
  resource.at("properties").as_object()["classification"] = "TruePositive";
  resource.at("properties").as_object()["classificationReason"] = "SuspiciousActivity";
  const Incident incident = read_incident(resource);
  EXPECT_EQ(incident.status, "resolved");
  EXPECT_TRUE(incident.alerts.empty());
  ASSERT_EQ(incident.warnings.size(), 2u);
  EXPECT_NE(incident.warnings[0].find("no alerts were exported"), std::string::npos);
  EXPECT_NE(incident.warnings[1].find("no entities were exported"), std::string::npos);
  ASSERT_EQ(incident.events.size(), 1u);
  EXPECT_EQ(incident.events[0].description, "Incident closed as TruePositive / SuspiciousActivity");
}

TEST(Generic, ReadsAlertsWithTheirOwnEntitiesAndEvents) {
  const Incident incident = read_file("generic_incident.json");
  EXPECT_EQ(incident.id, "IR-2026-1120-01");
  EXPECT_EQ(incident.status, "active");
  ASSERT_EQ(incident.alerts.size(), 2u);
  EXPECT_EQ(incident.alerts[1].id, "rc-4127");
  const Entities& entities = incident.entities;
  EXPECT_EQ(host_named(entities, "mbp-fin-12")->alerts, (std::vector<std::string>{"rc-4127"}));
  EXPECT_EQ(entities.ips()[0].alerts, (std::vector<std::string>{"mde-7412", "rc-4127"}));
  EXPECT_EQ(entities.files()[1].md5, "b27dfb769c12d4cc1f7e36ba381b3fd8");
  ASSERT_EQ(incident.events.size(), 4u);
  EXPECT_EQ(incident.events[0].kind, "context");
  EXPECT_EQ(incident.events[1].alerts, (std::vector<std::string>{"rc-4127"}));
  // A technique given with its tactic keeps it for the alert's summary.
  EXPECT_EQ(incident.techniques.size(), 1u);
  EXPECT_EQ(incident.techniques[0].tactic, "Command and Control");
}

TEST(Generic, BareStringsNameEntities) {
  const Incident incident = read_text(R"({
    "title": "Phishing", "events": [{"time": "2026-11-20T08:55:00Z", "description": "mail"}],
    "entities": {"users": ["mrivera@corp.example"], "hosts": ["ws-fin-07"],
                 "files": ["20A47E2F330245B4C007CF06D19EDB891362AFD53B80F00676447E1037518F2F",
                           "b27dfb769c12d4cc1f7e36ba381b3fd8", "invoice.js"],
                 "processes": ["wscript.exe invoice.js"]}})");
  const Entities& entities = incident.entities;
  ASSERT_EQ(entities.files().size(), 3u);
  EXPECT_EQ(entities.files()[0].sha256,
            "20a47e2f330245b4c007cf06d19edb891362afd53b80f00676447e1037518f2f");
  EXPECT_EQ(entities.files()[1].md5, "b27dfb769c12d4cc1f7e36ba381b3fd8");
  EXPECT_EQ(entities.files()[2].name, "invoice.js");
  EXPECT_EQ(entities.processes()[0].command_line, "wscript.exe invoice.js");
  EXPECT_EQ(incident.events[0].kind, "activity");
}

TEST(Generic, WrongTypesAreNamedWithTheirPlace) {
  using testing::read_error;
  EXPECT_NE(read_error(R"({"title": "x", "alerts": [{"title": "a", "entities": []}]})")
                .find("alerts[0].entities must be an object"),
            std::string::npos);
  EXPECT_NE(
      read_error(R"({"title": "x", "alerts": [{"title": "a"}], "entities": {"ips": "1.2.3.4"}})")
          .find("entities.ips must be an array"),
      std::string::npos);
  EXPECT_NE(read_error(R"({"title": "x", "alerts": [{"title": "a"}], "entities": {"ips": [4]}})")
                .find("entities.ips[0] must be a string or an object"),
            std::string::npos);
  EXPECT_NE(read_error(R"({"title": "x", "events": [{"description": "no time"}]})")
                .find("events[0] has no 'time'"),
            std::string::npos);
  EXPECT_NE(read_error(R"({"title": "x", "alerts": [{"severity": "high"}]})")
                .find("alerts[0] has no 'title'"),
            std::string::npos);
}

// clang-format off
// A connector's detection in a session (RedCanary.GetDetection's shape): its headline and
// severity are the finding, and the entities it names for chaining are the incident's.
constexpr const char* kDetectionSession = R"json({
  "id": "s-1", "displayName": "Red Canary 4127", "createdDateTime": "2026-11-20T10:00:00Z",
  "prompts": [{"content": "/RedCanary.GetDetection id=4127", "evaluations": [{"steps": [{
    "skill": "RedCanary.GetDetection", "state": "completed", "inputs": {"id": 4127},
    "startedDateTime": "2026-11-20T10:00:01Z",
    "output": {
      "detection": {"id": 4127, "severity": "high",
                    "headline": "[CORP-4127] Suspicious Activity (Persistence)"},
      "entities": {"host": ["mbp-fin-12"], "user": ["jchen@corp.example"],
                   "ip": ["203.0.113.45"], "domain": ["update-check.example.net"],
                   "mitre_technique": ["T1543.001"]}}}]}]}]})json";

// clang-format on
TEST(Session, ADetectionStepNamesItsHostsUsersAndIndicators) {
  const Incident incident = read_text(kDetectionSession, true);
  ASSERT_EQ(incident.findings.size(), 1u);
  EXPECT_EQ(incident.findings[0].text, "[CORP-4127] Suspicious Activity (Persistence) (high)");
  EXPECT_EQ(incident.severity, Severity::high);
  EXPECT_NE(host_named(incident.entities, "mbp-fin-12"), nullptr);
  EXPECT_NE(user_named(incident.entities, "jchen@corp.example"), nullptr);
  ASSERT_EQ(incident.techniques.size(), 1u);
  EXPECT_EQ(incident.techniques[0].id, "T1543.001");
}

}  // namespace
}  // namespace incident
