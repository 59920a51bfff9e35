// The IT admin's remediation plan: which machines and accounts, and the concrete steps (with
// commands) to contain, clean, block and verify, in the order to do them.
#include <algorithm>

#include "incident/time_text.hpp"
#include "markdown.hpp"
#include "remediation.hpp"
#include "report_sections.hpp"
#include "text_util.hpp"
#include "triage.hpp"

namespace incident {
namespace {

std::string or_dash(const std::string& markdown) {
  return markdown.empty() ? "—" : markdown;
}

std::string how_to_isolate(Platform platform) {
  switch (platform) {
    case Platform::windows:
      return "in Microsoft Defender for Endpoint, open the device and choose **Isolate device** "
             "(or unplug its network cable)";
    case Platform::macos:
      return "with your EDR's or MDM's network containment (or turn off Wi-Fi and unplug "
             "Ethernet)";
    case Platform::gnu_linux:
      return "with your EDR's network isolation (or shut its switch port)";
    case Platform::unknown:
      break;
  }
  return "with your EDR's network isolation (or disconnect it from the network)";
}

std::string machines(const Incident& incident) {
  const auto& hosts = incident.entities.hosts();
  if (hosts.empty()) return "No machines are named in the input.\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& host : hosts) {
    std::vector<std::string> users, why;
    for (const auto& user : host.users)
      users.push_back(md::text(user));
    for (const auto& alert : host.alerts)
      why.push_back(md::text(alert_title(incident, alert)));
    rows.push_back({"**" + md::text(host.name) + "**", or_dash(md::text(host.os)),
                    or_dash(join(users, ", ")), or_dash(join_some(why, 3))});
  }
  return md::table({"Machine", "Operating system", "Users", "Why"}, rows);
}

std::string accounts(const Incident& incident) {
  const auto& users = incident.entities.users();
  if (users.empty()) return "No accounts are named in the input.\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& user : users)
    rows.push_back({md::text(user.name), or_dash(md::text(user.display_name)),
                    "Reset the password, revoke sessions, check MFA methods and mail rules"});
  return md::table({"Account", "Name", "Action"}, rows);
}

std::vector<std::string> steps(const Summary& summary) {
  const Incident& incident = summary.incident;
  const Entities& entities = incident.entities;
  std::vector<std::string> out;
  const bool contain = incident.severity >= Severity::medium && incident.status != "resolved";
  for (const auto& host : entities.hosts())
    out.push_back(
        (contain ? "Isolate **" : "If it is still connected and not yet cleaned, isolate **") +
        md::text(host.name) + "**: " + how_to_isolate(platform_of(host.os)) +
        ". Leave it powered on so that memory and logs survive.");
  for (auto& step : persistence_removal_steps(summary))
    out.push_back(std::move(step));
  std::vector<std::string> deletions, hashes;
  for (const auto& file : entities.files()) {
    const std::string path = full_path(file);
    const std::string hash = !file.sha256.empty() ? file.sha256
                             : !file.sha1.empty() ? file.sha1
                                                  : file.md5;
    if (!file.path.empty())
      deletions.push_back(md::code(path) + (file.host.empty() ? "" : " on " + md::text(file.host)) +
                          (hash.empty() ? "" : " (" + md::code(hash) + ")"));
    if (!hash.empty()) hashes.push_back(md::code(hash));
  }
  if (!deletions.empty())
    out.push_back("Quarantine or delete these files, after checking the hash of each:\n\n" +
                  md::list(deletions));
  if (!hashes.empty())
    out.push_back("Add these hashes to the EDR's block list: " + join(hashes, ", ") + ".");
  std::vector<std::string> ips, domains;
  for (const auto& ip : entities.ips())
    if (!ip.internal) ips.push_back(md::code(ip.address));
  for (const auto& domain : entities.domains())
    domains.push_back(md::code(domain.name));
  if (!ips.empty())
    out.push_back("Block " + join_words(ips) +
                  " in both directions at the firewall and web proxy.");
  if (!domains.empty())
    out.push_back("Block " + join_words(domains) + " at the web proxy and add " +
                  (domains.size() == 1 ? "it" : "them") + " to the DNS block list (sinkhole).");
  for (const auto& user : entities.users()) {
    std::string step =
        "Reset the password of **" + md::text(user.name) + "** and revoke its sessions";
    if (user.name.find('@') != std::string::npos)
      step +=
          " (Microsoft Entra: " + md::code("Revoke-MgUserSignInSession -UserId " + user.name) + ")";
    out.push_back(step + "; remove MFA methods and mail forwarding rules the user does not know.");
  }
  const bool powershell = std::any_of(summary.techniques.begin(), summary.techniques.end(),
                                      [](const Technique& t) { return t.id == "T1059.001"; });
  if (powershell)
    out.push_back(
        "Turn on PowerShell script block logging (Group Policy: *Turn on PowerShell "
        "Script Block Logging*) on the Windows machines, so that the next encoded "
        "command is recorded in full.");
  if (!entities.hosts().empty())
    out.push_back(
        "Run a full antivirus scan on each machine; reimage any machine where the scan "
        "finds something again or the clean-up cannot be confirmed.");
  if (!entities.hosts().empty())
    out.push_back(
        "Reconnect each machine only after a clean scan, and watch its traffic for a "
        "week.");
  if (out.empty())
    out.push_back(
        "Nothing to remediate from the input: it names no machines, accounts or "
        "indicators.");
  return out;
}

std::string verification(const Summary& summary) {
  const Entities& entities = summary.incident.entities;
  std::vector<std::string> checks;
  const auto indicators = network_indicators(entities);
  if (!indicators.empty()) {
    std::vector<std::string> codes;
    for (const auto& indicator : indicators)
      codes.push_back(md::code(indicator));
    checks.push_back("[ ] The firewall, proxy and DNS logs show no new connection to " +
                     join_words(codes, " or ") + ".");
  }
  for (const auto& file : entities.files())
    if (is_persistence_path(full_path(file)))
      checks.push_back("[ ] " + md::code(full_path(file)) + " no longer exists" +
                       (file.host.empty() ? "" : " on " + md::text(file.host)) + ".");
  if (!entities.users().empty())
    checks.push_back(
        "[ ] Every account above has a new password and no unknown sign-ins since "
        "the reset.");
  if (!entities.hosts().empty())
    checks.push_back("[ ] Every machine above had a clean full scan before it was reconnected.");
  return checks.empty() ? "Nothing to verify.\n" : md::list(checks);
}

}  // namespace

std::vector<ReportSection> admin_sections(const Summary& summary) {
  const Incident& incident = summary.incident;
  std::string context = "Severity " + std::string(severity_name(incident.severity)) + ", status " +
                        md::text(incident.status);
  if (summary.first_activity)
    context += ", first activity " + format_minute(*summary.first_activity) + " UTC";
  return {{"machines", "Affected machines", context + ".\n\n" + machines(incident)},
          {"accounts", "Affected accounts", accounts(incident)},
          {"steps", "Remediation steps", md::list(steps(summary), true)},
          {"verification", "Verification", verification(summary)}};
}

}  // namespace incident
