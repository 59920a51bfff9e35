#include "remediation.hpp"

#include <algorithm>

#include "markdown.hpp"
#include "report_sections.hpp"
#include "text_util.hpp"
#include "triage.hpp"

namespace incident {
namespace {

// Persistence files of the kind `place` names ("LaunchAgents") on `host` (or on no known host).
std::vector<std::string> files_in(const Entities& entities, std::string_view place,
                                  const Host& host) {
  std::vector<std::string> paths;
  for (const auto& file : entities.files()) {
    const std::string path = full_path(file);
    if (!icontains(path, place)) continue;
    if (!file.host.empty() && short_host_name(file.host) != short_host_name(host.name)) continue;
    add_unique(paths, path);
  }
  return paths;
}

std::string first_user(const Host& host) {
  return host.users.empty() ? "<user>" : account_short_name(host.users.front());
}

std::string launchd_step(const Entities& entities, const Host& host, bool daemon) {
  const std::string where = "On **" + md::text(host.name) + "**, ";
  const auto plists = files_in(entities, daemon ? "LaunchDaemons" : "LaunchAgents", host);
  if (plists.empty())
    return where + "look for unknown " + (daemon ? "launch daemons" : "launch agents") + " (" +
           md::code(daemon ? "ls -la /Library/LaunchDaemons"
                           : "ls -la ~/Library/LaunchAgents /Library/LaunchAgents") +
           "), unload each one with " + md::code("launchctl bootout") + " and delete it.";
  std::vector<std::string> commands;
  for (const auto& plist : plists) {
    commands.push_back(daemon ? "sudo launchctl bootout system " + plist
                              : "launchctl bootout gui/$(id -u " + first_user(host) + ") " + plist);
    commands.push_back((daemon ? "sudo rm " : "rm ") + plist);
  }
  return where + "unload and delete the " + (daemon ? "launch daemon" : "launch agent") + ":\n\n" +
         md::block(join(commands, "\n"), "sh");
}

std::string step_for(const Summary& summary, const Technique& technique, const Host& host) {
  const Entities& entities = summary.incident.entities;
  const std::string where = "On **" + md::text(host.name) + "**, ";
  const std::string& id = technique.id;
  if (id == "T1543.001") return launchd_step(entities, host, false);
  if (id == "T1543.004") return launchd_step(entities, host, true);
  if (id == "T1547.001")
    return where + "remove unknown autostart entries: list them with " +
           md::code("reg query HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run") +
           " (and the same under HKLM), delete them with " +
           md::code("reg delete <key> /v <name> /f") +
           ", and remove unknown items from the Startup folders.";
  if (id == "T1053.005")
    return where + "list scheduled tasks with " + md::code("schtasks /query /fo LIST /v") +
           " and delete unknown ones with " + md::code("schtasks /delete /tn <name> /f") + ".";
  if (id == "T1053.003")
    return where + "check " + md::code("crontab -l -u " + first_user(host)) + " and " +
           md::code("/etc/cron.d") + ", and remove unknown entries.";
  if (id == "T1543.003")
    return where + "list services with " + md::code("sc.exe query type= service state= all") +
           ", then stop and delete unknown ones with " + md::code("sc.exe stop <name>") + " and " +
           md::code("sc.exe delete <name>") + ".";
  if (id == "T1543.002")
    return where + "list enabled units with " +
           md::code("systemctl list-unit-files --state=enabled") + ", disable unknown ones with " +
           md::code("systemctl disable --now <unit>") + " and delete their unit files.";
  if (id == "T1136" || id.starts_with("T1136.") || id == "T1098" || id.starts_with("T1098."))
    return where +
           "disable accounts created during the incident and remove group memberships, "
           "keys or credentials the attacker added.";
  if (id == "T1505.003")
    return where +
           "remove web shells from the web server's folders and check every file "
           "changed there since the first activity.";
  return where + "find and remove the persistence (" + md::text(short_technique_name(technique)) +
         ").";
}

// Whether a technique's clean-up applies on a host of this platform (unknown: always).
bool applies_to(std::string_view id, Platform platform) {
  if (platform == Platform::unknown) return true;
  if (id == "T1543.001" || id == "T1543.004") return platform == Platform::macos;
  if (id == "T1547.001" || id == "T1053.005" || id == "T1543.003")
    return platform == Platform::windows;
  if (id == "T1053.003") return platform != Platform::windows;
  if (id == "T1543.002") return platform == Platform::gnu_linux;
  return true;
}

}  // namespace

std::vector<std::string> persistence_removal_steps(const Summary& summary) {
  std::vector<std::string> steps;
  for (const Technique* technique : persistence_techniques(summary))
    for (const Host* host : hosts_of_technique(summary, *technique))
      if (applies_to(technique->id, platform_of(host->os)))
        add_unique(steps, step_for(summary, *technique, *host));
  return steps;
}

}  // namespace incident
