// The CISO's briefing: a few short paragraphs in plain words — what happened, what it means for
// the business, how risky it is, and what needs deciding. No indicators, ids or tool names.
#include <algorithm>

#include "incident/attack.hpp"
#include "incident/time_text.hpp"
#include "markdown.hpp"
#include "report_sections.hpp"
#include "text_util.hpp"
#include "triage.hpp"

namespace incident {
namespace {

bool has_tactic(const Summary& summary, std::string_view tactic) {
  return std::find(summary.tactics.begin(), summary.tactics.end(), tactic) != summary.tactics.end();
}

std::vector<std::string> computer_names(const Entities& entities) {
  std::vector<std::string> names;
  for (const auto& host : entities.hosts())
    names.push_back(md::text(short_host_name(host.name)));
  return names;
}

std::vector<std::string> people(const Entities& entities) {
  std::vector<std::string> names;
  for (const auto& user : entities.users())
    names.push_back(
        md::text(user.display_name.empty() ? account_short_name(user.name) : user.display_name));
  return names;
}

std::string status_sentence(const Incident& incident) {
  if (incident.shape == "session") return "The investigation is ongoing.";
  if (incident.status == "resolved") return "The incident has been resolved.";
  if (incident.status == "new") return "The incident is new and not yet being handled.";
  return "The incident is open and being handled.";
}

std::string what_happened(const Summary& summary) {
  const Incident& incident = summary.incident;
  std::string text;
  if (summary.first_activity) text = "On " + format_long_date(*summary.first_activity) + ", ";
  std::vector<std::string> actions;
  for (const auto& tactic : summary.tactics)
    actions.emplace_back(tactic_in_plain_words(tactic));
  if (!actions.empty()) {
    text += (text.empty() ? "An" : "an") + std::string(" attacker ") + join_words(actions) + ".";
  } else if (incident.shape == "session") {
    std::size_t bad = 0;
    for (const auto& finding : incident.findings)
      bad += !finding.failed && finding.severity >= Severity::medium;
    text += std::string(text.empty() ? "The" : "the") + " security team checked " +
            count_of(incident.findings.size(), "item", "items") + "; " + std::to_string(bad) +
            " showed signs of malicious activity.";
  } else {
    text += std::string(text.empty() ? "Our" : "our") + " security tools raised " +
            count_of(std::max<std::size_t>(incident.alerts.size(), 1), "alert", "alerts") +
            " about suspicious activity.";
  }
  return text + " " + status_sentence(incident) + "\n";
}

std::string impact(const Summary& summary) {
  const Entities& entities = summary.incident.entities;
  std::vector<std::string> affected;
  if (!entities.hosts().empty())
    affected.push_back(count_of(entities.hosts().size(), "company computer", "company computers") +
                       " (" + join_some(computer_names(entities), 4) + ")");
  if (!entities.users().empty())
    affected.push_back(count_of(entities.users().size(), "employee account", "employee accounts") +
                       " (" + join_some(people(entities), 4) + ")");
  std::string text = affected.empty() ? "No specific computers or accounts are named yet."
                                      : "Affected: " + join_words(affected) + ".";
  std::vector<std::string> consequences;
  if (has_tactic(summary, "Exfiltration"))
    consequences.push_back("Company data may have been copied out of the organisation.");
  else if (has_tactic(summary, "Collection"))
    consequences.push_back(
        "The attacker gathered company data; we do not yet know whether it left the organisation.");
  if (has_tactic(summary, "Credential Access"))
    consequences.push_back(
        "Passwords may be stolen, which would let the attacker sign in as our staff.");
  if (has_tactic(summary, "Lateral Movement"))
    consequences.push_back("The attacker may have reached other computers.");
  if (has_tactic(summary, "Impact"))
    consequences.push_back("Systems or data may be disrupted or destroyed.");
  if (consequences.empty() && !entities.hosts().empty())
    consequences.push_back(
        "There is no sign yet that data left the organisation, but whoever controls these "
        "computers can read everything their users can.");
  if (has_tactic(summary, "Persistence"))
    consequences.push_back("Until they are cleaned, the attacker can return even after a restart.");
  for (const auto& sentence : consequences)
    text += " " + sentence;
  return text + "\n";
}

std::string risk(const Summary& summary) {
  const Incident& incident = summary.incident;
  std::string level;
  switch (incident.severity) {
    case Severity::critical:
    case Severity::high:
      level =
          "**High.** An attacker was active on company systems and must be stopped before "
          "they reach more of them.";
      break;
    case Severity::medium:
      level = "**Medium.** Suspicious activity that needs to be contained before it spreads.";
      break;
    case Severity::low:
    case Severity::informational:
      level = "**Low.** Limited activity with no sign of harm so far.";
      break;
    case Severity::unknown:
      level = "**Not yet rated.** The security team is still assessing it.";
      break;
  }
  if (incident.status == "resolved")
    level += " The threat has been dealt with; what remains is checking.";
  return level + "\n";
}

std::string decisions(const Summary& summary) {
  const Incident& incident = summary.incident;
  const Entities& entities = incident.entities;
  const bool resolved = incident.status == "resolved";
  std::vector<std::string> items;
  if (!resolved && !entities.hosts().empty() && incident.severity >= Severity::medium)
    items.push_back("Approve taking " + count_of(entities.hosts().size(), "computer", "computers") +
                    " offline for investigation; their users will need a spare device for a day "
                    "or two.");
  if (!resolved && !entities.users().empty())
    items.push_back("Approve resetting the passwords of " +
                    count_of(entities.users().size(), "employee account", "employee accounts") +
                    " and signing them out everywhere.");
  if (!resolved && !network_indicators(entities).empty())
    items.push_back(
        "Confirm that blocking the attacker's internet addresses across the company is "
        "acceptable.");
  if (incident.severity >= Severity::high || has_tactic(summary, "Exfiltration") ||
      has_tactic(summary, "Collection") || has_tactic(summary, "Credential Access"))
    items.push_back(
        "Decide whether to involve legal and privacy now, in case customers or regulators must "
        "be told.");
  if (resolved) items.push_back("Confirm the incident can be closed once the clean-up is checked.");
  if (items.empty()) items.push_back("None for now: the security team will report back.");
  return md::list(items);
}

}  // namespace

std::vector<ReportSection> ciso_sections(const Summary& summary) {
  return {{"what_happened", "What happened", what_happened(summary)},
          {"business_impact", "Business impact", impact(summary)},
          {"risk", "Risk", risk(summary)},
          {"decisions", "Decisions needed", decisions(summary)}};
}

}  // namespace incident
