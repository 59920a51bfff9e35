// What SummarizeIncident returns: the incident with a sorted, de-duplicated timeline, merged
// entities, its ATT&CK techniques and tactics, and a triage summary written by rules, not a model.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "incident/model.hpp"

namespace incident {

struct Technique {
  std::string id;
  std::string name;    // "" when not in this plugin's ATT&CK table
  std::string tactic;  // "" when unknown
  std::vector<std::string> alerts;
};

struct Triage {
  std::string what_happened;
  std::string scope;
  std::vector<std::string> first_steps;  // most urgent first
};

struct Summary {
  Incident incident;                  // entities completed with the domains of URLs
  std::vector<Event> timeline;        // by time; one entry per distinct (time, description)
  std::vector<Technique> techniques;  // by tactic in kill-chain order, then id
  std::vector<std::string> tactics;   // kill-chain order
  // Over the timeline's activity (not "incident", "context" or "finding" events) and the alerts'
  // last times.
  std::optional<UnixSeconds> first_activity, last_activity;
  Triage triage;
};

// Deterministic: the same incident always gives the same summary.
Summary summarize(Incident incident);

// The JSON result of SummarizeIncident (its schema is in manifests/incident.yaml).
boost::json::object summary_json(const Summary& summary);

// Rules that several writers share.

// True for files in places programs start from on their own (LaunchAgents, Startup, cron, ...).
bool is_persistence_path(std::string_view path);

// Entities that point outside the organisation: non-internal IPs, domains, URLs, file hashes.
bool has_external_indicators(const Entities& entities);

// The alert's title for an id, or the id itself when no alert has it.
std::string alert_title(const Incident& incident, const std::string& alert_id);

}  // namespace incident
