// Process execution on devices (DeviceProcessEvents): by host, user or name; encoded
// PowerShell; living-off-the-land binaries.
#include <algorithm>
#include <array>

#include "generate/intent.hpp"
#include "generate/query_text.hpp"

namespace kql_skills {
namespace {

constexpr std::array<std::string_view, 16> kLolbins{
    "certutil.exe",  "mshta.exe",    "regsvr32.exe",    "rundll32.exe",
    "bitsadmin.exe", "msbuild.exe",  "installutil.exe", "wmic.exe",
    "cmstp.exe",     "msiexec.exe",  "regasm.exe",      "regsvcs.exe",
    "odbcconf.exe",  "forfiles.exe", "hh.exe",          "esentutl.exe"};

constexpr std::string_view kProjection =
    "| project Timestamp, DeviceName, AccountName, FileName, ProcessCommandLine, "
    "InitiatingProcessFileName, InitiatingProcessCommandLine, SHA1";

bool mentions_process(const Request& r) {
  return r.has_any({"process",  "processes", "executed",     "execution",     "executions",
                    "ran",      "run",       "runs",         "running",       "launched",
                    "started",  "spawned",   "command line", "command lines", "commandline",
                    "commands", "binaries",  "programs",     "activity",      "usage",
                    "used",     "invoked",   "sessions"});
}

// Programs named without their extension ("powershell activity", "cmd sessions").
std::vector<std::string> named_programs(const Request& r) {
  std::vector<std::string> names = r.entities.processes;
  for (std::string_view stem : {"powershell", "pwsh", "cmd", "wscript", "cscript", "psexec",
                                "mimikatz", "procdump", "whoami", "schtasks"}) {
    const std::string name = std::string(stem) + ".exe";
    if (r.has(stem) && std::find(names.begin(), names.end(), name) == names.end())
      names.push_back(name);
  }
  return names;
}

// The lolbins the request names, by file name or by bare word ("certutil").
std::vector<std::string> named_lolbins(const Request& r) {
  std::vector<std::string> names;
  for (auto lolbin : kLolbins) {
    const std::string name(lolbin);
    const std::string stem = name.substr(0, name.size() - 4);
    const bool named = std::find(r.entities.processes.begin(), r.entities.processes.end(), name) !=
                       r.entities.processes.end();
    if (named || r.has(stem)) names.push_back(name);
  }
  return names;
}

// Host, user and process-name filters shared by the process intents.
std::string subject_filters(const Request& r, std::vector<std::string>& described,
                            bool with_process_names) {
  std::string filters;
  if (!r.entities.hosts.empty()) {
    filters += "| where " + hosts_condition("DeviceName", r.entities.hosts) + "\n";
    described.push_back("on " + join_words(r.entities.hosts));
  }
  if (!r.entities.users.empty()) {
    std::vector<std::string> names;
    for (const auto& user : r.entities.users)
      names.push_back(account_name(user));
    filters += "| where " + equals_any("AccountName", names, true) + "\n";
    described.push_back("run by " + join_words(names));
  }
  if (with_process_names) {
    const std::vector<std::string> programs = named_programs(r);
    if (!programs.empty()) {
      filters += "| where " + equals_any("FileName", programs, true) + "\n";
      described.push_back("named " + join_words(programs));
    }
  }
  return filters;
}

int score_processes(const Request& r) {
  if (!mentions_process(r)) return 0;
  const bool subject =
      !r.entities.hosts.empty() || !r.entities.users.empty() || !named_programs(r).empty();
  return subject ? 65 : 0;
}

Generated build_processes(const Request& r) {
  Generated g;
  g.tables = {"DeviceProcessEvents"};
  const TimeWindow window = window_or_default(r, 7, g);
  std::vector<std::string> described;
  std::string query = "DeviceProcessEvents\n" + time_filter("Timestamp", window) + "\n" +
                      subject_filters(r, described, true);
  query += std::string(kProjection) + "\n| sort by Timestamp desc";
  g.query = std::move(query);
  g.explanation = "Lists processes started " + join_words(described) + " in " + window.phrase +
                  " with their command lines and parent processes, newest first.";
  if (!r.entities.hosts.empty())
    g.assumptions.push_back(
        "A host name matches the device name exactly or as the first part "
        "of its fully qualified name.");
  return g;
}

int score_encoded_powershell(const Request& r) {
  const bool encoded =
      r.has_any({"encoded", "encodedcommand", "-enc", "base64", "obfuscated", "-encodedcommand"});
  if (!encoded) return 0;
  return r.has_any({"powershell", "pwsh", "powershell.exe", "ps"}) ? 90 : 70;
}

Generated build_encoded_powershell(const Request& r) {
  Generated g;
  g.tables = {"DeviceProcessEvents"};
  const TimeWindow window = window_or_default(r, 7, g);
  std::vector<std::string> described;
  std::string query =
      "DeviceProcessEvents\n" + time_filter("Timestamp", window) + "\n" +
      "| where FileName in~ (\"powershell.exe\", \"pwsh.exe\", \"powershell_ise.exe\")\n" +
      "| where ProcessCommandLine matches regex @\"(?i)\\s-(e|ec|en|enc|enco|encod|encode|"
      "encoded|encodedcommand)\\s+[A-Za-z0-9+/=]{16,}\"\n" +
      subject_filters(r, described, false) +
      "| extend EncodedPayload = extract(@\"(?i)\\s-e\\w*\\s+([A-Za-z0-9+/=]{16,})\", 1, "
      "ProcessCommandLine)\n" +
      std::string(kProjection) + ", EncodedPayload\n| sort by Timestamp desc";
  g.query = std::move(query);
  g.explanation =
      "Finds PowerShell started with an encoded command (-EncodedCommand or any of "
      "its abbreviations followed by a Base64 block)" +
      (described.empty() ? std::string() : " " + join_words(described)) + " in " + window.phrase +
      ", and extracts the Base64 payload for decoding.";
  g.assumptions.push_back(
      "The payload is UTF-16LE Base64, as PowerShell expects: decode it "
      "outside KQL (base64_decode_tostring shows it with null bytes).");
  return g;
}

int score_lolbins(const Request& r) {
  if (r.has_any({"lolbin", "lolbins", "lolbas", "living off the land", "living-off-the-land",
                 "lol bins"}))
    return 85;
  return named_lolbins(r).empty() ? 0 : (mentions_process(r) ? 75 : 68);
}

Generated build_lolbins(const Request& r) {
  Generated g;
  g.tables = {"DeviceProcessEvents"};
  const TimeWindow window = window_or_default(r, 7, g);
  std::vector<std::string> names = named_lolbins(r);
  const bool all = names.empty();
  if (all) names.assign(kLolbins.begin(), kLolbins.end());
  std::vector<std::string> described;
  std::string query = "DeviceProcessEvents\n" + time_filter("Timestamp", window) + "\n" +
                      "| where " + equals_any("FileName", names, true) + "\n" +
                      subject_filters(r, described, false);
  if (all) {
    query +=
        "| summarize Executions = count(), Devices = dcount(DeviceId), CommandLines = "
        "make_set(ProcessCommandLine, 20), LastSeen = max(Timestamp) by FileName, "
        "InitiatingProcessFileName\n| sort by Executions desc";
  } else {
    query += std::string(kProjection) + "\n| sort by Timestamp desc";
  }
  g.query = std::move(query);
  g.explanation = std::string(all ? "Counts the use of common living-off-the-land binaries "
                                    "(certutil, mshta, regsvr32, rundll32, bitsadmin, ...) "
                                    "per binary and parent process"
                                  : "Lists executions of " + join_words(names)) +
                  (described.empty() ? std::string() : " " + join_words(described)) + " in " +
                  window.phrase + ", with their command lines.";
  if (all)
    g.assumptions.push_back(
        "The list of binaries is a common subset of the LOLBAS project; "
        "name one in the request to focus on it.");
  return g;
}

}  // namespace

void add_process_intents(std::vector<Intent>& list) {
  list.push_back({"encoded_powershell", "PowerShell started with an encoded (Base64) command",
                  "Find encoded PowerShell commands in the past 7 days", score_encoded_powershell,
                  build_encoded_powershell});
  list.push_back({"lolbin_use",
                  "Use of living-off-the-land binaries (certutil, mshta, "
                  "regsvr32, rundll32, bitsadmin, ...)",
                  "Show LOLBin usage on WS-042 since yesterday", score_lolbins, build_lolbins});
  list.push_back({"processes_on_host", "Processes started on a device, by a user, or by name",
                  "What processes ran on WS-042 in the last 24 hours?", score_processes,
                  build_processes});
}

}  // namespace kql_skills
