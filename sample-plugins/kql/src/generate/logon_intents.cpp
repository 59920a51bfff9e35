// Logons to devices: Defender's DeviceLogonEvents, or Windows security events in Sentinel.
#include "generate/intent.hpp"
#include "generate/query_text.hpp"

namespace kql_skills {
namespace {

bool mentions_logon(const Request& r) {
  return r.has_any({"logon", "logons", "log on", "log-on", "logged on", "logged onto",
                    "logged into", "login", "logins", "log in", "sign-in", "sign-ins", "signin",
                    "signins", "sign in", "rdp", "remote desktop", "4624", "4625"});
}

bool failed(const Request& r) {
  return r.has_any({"failed", "failure", "failures", "unsuccessful", "wrong password",
                    "brute force", "brute-force", "4625"});
}

bool successful(const Request& r) {
  return !failed(r) && r.has_any({"successful", "succeeded", "success", "4624"});
}

bool rdp(const Request& r) {
  return r.has_any({"rdp", "remote desktop", "remoteinteractive"});
}

bool windows_events(const Request& r) {
  return r.has_any({"securityevent", "security event", "security events", "event id", "eventid",
                    "4624", "4625", "windows event", "windows events"});
}

int score_logons(const Request& r) {
  if (!mentions_logon(r)) return 0;
  if (!r.entities.hosts.empty()) return 80 + (rdp(r) ? 5 : 0);
  if (windows_events(r) || rdp(r) || r.has_any({"logon", "logons", "logged on"}))
    return !r.entities.users.empty() ? 70 : 60;
  return 0;
}

Generated build_logons(const Request& r) {
  Generated g;
  const bool sentinel = windows_events(r);
  const TimeWindow window = window_or_default(r, 7, g);
  std::string query;
  std::vector<std::string> conditions;
  if (sentinel) {
    g.tables = {"SecurityEvent"};
    query = "SecurityEvent\n" + time_filter("TimeGenerated", window) + "\n";
    query += failed(r)       ? "| where EventID == 4625\n"
             : successful(r) ? "| where EventID == 4624\n"
                             : "| where EventID in (4624, 4625)\n";
    if (!r.entities.hosts.empty())
      query += "| where " + hosts_condition("Computer", r.entities.hosts) + "\n";
    if (rdp(r)) query += "| where LogonType == 10\n";
    for (const auto& user : r.entities.users)
      conditions.push_back("TargetUserName =~ " + kql_literal(account_name(user)));
  } else {
    g.tables = {"DeviceLogonEvents"};
    query = "DeviceLogonEvents\n" + time_filter("Timestamp", window) + "\n";
    if (!r.entities.hosts.empty())
      query += "| where " + hosts_condition("DeviceName", r.entities.hosts) + "\n";
    if (failed(r)) query += "| where ActionType == \"LogonFailed\"\n";
    if (successful(r)) query += "| where ActionType == \"LogonSuccess\"\n";
    if (rdp(r)) query += "| where LogonType == \"RemoteInteractive\"\n";
    for (const auto& user : r.entities.users)
      conditions.push_back("AccountName =~ " + kql_literal(account_name(user)));
  }
  if (!conditions.empty()) {
    std::string any;
    for (size_t i = 0; i < conditions.size(); ++i)
      any += (i ? " or " : "") + conditions[i];
    query += "| where " + any + "\n";
  }
  if (!r.entities.ips.empty())
    query +=
        "| where " + equals_any(sentinel ? "IpAddress" : "RemoteIP", r.entities.ips, false) + "\n";
  const bool per_device = r.entities.hosts.empty() && r.entities.users.empty();
  if (per_device) {
    query += sentinel ? "| summarize Logons = count(), Accounts = dcount(TargetUserName), "
                        "LastLogon = max(TimeGenerated) by Computer\n| sort by Logons desc"
                      : "| summarize Logons = count(), Accounts = dcount(AccountName), "
                        "LastLogon = max(Timestamp) by DeviceName\n| sort by Logons desc";
  } else {
    query += sentinel ? "| project TimeGenerated, Computer, Activity, TargetUserName, LogonType, "
                        "IpAddress, WorkstationName\n| sort by TimeGenerated desc"
                      : "| project Timestamp, DeviceName, ActionType, LogonType, AccountDomain, "
                        "AccountName, RemoteIP, RemoteDeviceName, FailureReason\n"
                        "| sort by Timestamp desc";
  }
  g.query = std::move(query);
  const std::string kind = failed(r) ? "failed " : successful(r) ? "successful " : "";
  g.explanation = "Lists " + kind + (rdp(r) ? "remote desktop (RDP) " : "") + "logons" +
                  (r.entities.hosts.empty() ? "" : " to " + join_words(r.entities.hosts)) +
                  (r.entities.users.empty() ? "" : " by " + join_words(r.entities.users)) + " in " +
                  window.phrase + " from " + g.tables.front() +
                  (per_device ? ", counted per device." : ", newest first.");
  if (!r.entities.hosts.empty())
    g.assumptions.push_back(
        "A host name matches the device name exactly or as the first part "
        "of its fully qualified name (" +
        r.entities.hosts.front() + " matches " + r.entities.hosts.front() + ".contoso.com).");
  if (sentinel)
    g.assumptions.push_back(
        "Windows security events 4624 (logon) and 4625 (failed logon) "
        "from the Security log are collected into Sentinel.");
  return g;
}

}  // namespace

void add_logon_intents(std::vector<Intent>& list) {
  list.push_back({"logons_to_host",
                  "Logons to a device (Defender DeviceLogonEvents, or "
                  "SecurityEvent 4624/4625 in Sentinel), failed, RDP or all",
                  "Failed RDP logons to WS-042 in the last 24 hours", score_logons, build_logons});
}

}  // namespace kql_skills
