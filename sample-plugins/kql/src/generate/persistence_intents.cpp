// Persistence: registry autostart locations and newly installed services.
#include "generate/intent.hpp"
#include "generate/query_text.hpp"

namespace kql_skills {
namespace {

int score_registry(const Request& r) {
  const bool registry = r.has_any({"registry", "regkey", "reg key", "registry key"});
  const bool autostart =
      r.has_any({"persistence", "persist", "persisting", "run key", "run keys", "runonce",
                 "autorun", "autoruns", "autostart", "startup", "winlogon", "ifeo"});
  if (registry && autostart) return 90;
  if (r.has_any({"run key", "run keys", "runonce"})) return 85;
  if (registry) return 60;
  if (autostart && !r.has_any({"service", "services"})) return 55;
  return 0;
}

Generated build_registry(const Request& r) {
  Generated g;
  g.tables = {"DeviceRegistryEvents"};
  const TimeWindow window = window_or_default(r, 7, g);
  std::string query =
      "DeviceRegistryEvents\n" + time_filter("Timestamp", window) + "\n" +
      "| where ActionType in (\"RegistryValueSet\", \"RegistryKeyCreated\")\n" +
      "| where RegistryKey has_any (@\"\\CurrentVersion\\Run\", @\"\\CurrentVersion\\RunOnce\", "
      "@\"\\CurrentVersion\\Policies\\Explorer\\Run\", @\"\\Winlogon\", "
      "@\"\\Image File Execution Options\", @\"\\Explorer\\User Shell Folders\")\n";
  if (!r.entities.hosts.empty())
    query += "| where " + hosts_condition("DeviceName", r.entities.hosts) + "\n";
  query +=
      "| project Timestamp, DeviceName, ActionType, RegistryKey, RegistryValueName, "
      "RegistryValueData, InitiatingProcessFileName, InitiatingProcessCommandLine, "
      "InitiatingProcessAccountName\n| sort by Timestamp desc";
  g.query = std::move(query);
  g.explanation =
      "Lists registry values written or keys created under common autostart "
      "locations (Run and RunOnce keys, Winlogon, Image File Execution Options, "
      "shell folders)" +
      (r.entities.hosts.empty() ? std::string() : " on " + join_words(r.entities.hosts)) + " in " +
      window.phrase + ", with the process that wrote them.";
  g.assumptions.push_back(
      "Services are another persistence place: ask for new services to "
      "hunt them.");
  return g;
}

int score_services(const Request& r) {
  if (!r.has_any({"service", "services"})) return 0;
  return r.has_any({"new", "install", "installed", "installation", "installs", "created",
                    "creation", "registered", "added", "7045", "4697"})
             ? 85
             : 0;
}

Generated build_services(const Request& r) {
  Generated g;
  const TimeWindow window = window_or_default(r, 7, g);
  const bool sentinel = r.has_any(
      {"securityevent", "security event", "4697", "sentinel", "windows event", "windows events"});
  std::string query;
  if (sentinel) {
    g.tables = {"SecurityEvent"};
    query = "SecurityEvent\n" + time_filter("TimeGenerated", window) + "\n" +
            "| where EventID == 4697\n";
    if (!r.entities.hosts.empty())
      query += "| where " + hosts_condition("Computer", r.entities.hosts) + "\n";
    query +=
        "| project TimeGenerated, Computer, SubjectUserName, ServiceName, ServiceFileName, "
        "ServiceType, ServiceStartType, ServiceAccount\n| sort by TimeGenerated desc";
  } else {
    g.tables = {"DeviceEvents"};
    query = "DeviceEvents\n" + time_filter("Timestamp", window) + "\n" +
            "| where ActionType == \"ServiceInstalled\"\n";
    if (!r.entities.hosts.empty())
      query += "| where " + hosts_condition("DeviceName", r.entities.hosts) + "\n";
    query +=
        "| extend Details = parse_json(AdditionalFields)\n"
        "| extend ServiceName = tostring(Details.ServiceName), ServiceStartType = "
        "tostring(Details.ServiceStartType), ServiceAccount = tostring(Details.ServiceAccount)\n"
        "| project Timestamp, DeviceName, ServiceName, FileName, FolderPath, ServiceStartType, "
        "ServiceAccount, InitiatingProcessFileName, InitiatingProcessCommandLine\n"
        "| sort by Timestamp desc";
  }
  g.query = std::move(query);
  g.explanation =
      "Lists services installed" +
      (r.entities.hosts.empty() ? std::string() : " on " + join_words(r.entities.hosts)) + " in " +
      window.phrase + " (" +
      (sentinel ? "Windows security event 4697"
                : "Defender's ServiceInstalled "
                  "events") +
      "), with the service's binary, start type and account.";
  if (sentinel)
    g.assumptions.push_back(
        "Event 4697 needs the 'Audit Security System Extension' policy; "
        "event 7045 is in the System log, which SecurityEvent does not hold.");
  return g;
}

}  // namespace

void add_persistence_intents(std::vector<Intent>& list) {
  list.push_back({"registry_persistence", "Registry autostart (Run keys, Winlogon, IFEO) changes",
                  "Look for registry persistence on WS-042 in the last 3 days", score_registry,
                  build_registry});
  list.push_back({"new_services", "Newly installed services (Defender, or event 4697)",
                  "Were any new services installed in the past 24 hours?", score_services,
                  build_services});
}

}  // namespace kql_skills
