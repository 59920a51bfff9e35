// The triage summary: what happened, the scope, and what to do first, written by fixed rules from
// the summary's facts so that the same incident always reads the same.
#pragma once

#include "incident/summary.hpp"

namespace incident {

Triage make_triage(const Summary& summary);

// Names of the hosts an alert was seen on.
std::vector<std::string> hosts_of_alert(const Entities& entities, const std::string& alert_id);

// The hosts a technique was seen on (through its alerts), else every host of the incident.
std::vector<const Host*> hosts_of_technique(const Summary& summary, const Technique& technique);

// True for a parent technique (T1543) when one of its sub-techniques (T1543.001) is also listed:
// the sub-technique says more, so rules act on it alone.
bool refined_by_subtechnique(const Summary& summary, const Technique& technique);

// The persistence techniques rules act on (tactic Persistence, not refined by a sub-technique).
std::vector<const Technique*> persistence_techniques(const Summary& summary);

// External IPs, and the names of domains: what to block at the edge.
std::vector<std::string> network_indicators(const Entities& entities);

// Files with at least one hash.
std::vector<File> hashed_files(const Entities& entities);

// The file's folder and name joined with the folder's own separator.
std::string full_path(const File& file);

// "Launch Agent" from "Create or Modify System Process: Launch Agent"; the id when unnamed.
std::string short_technique_name(const Technique& technique);

}  // namespace incident
