// A secpilot session export (GET /v1/sessions/{id}/export?format=json) read as an incident: each
// skill step becomes a finding, indicators judged bad become entities, and incidents summarized
// in the session are merged in.
#include <algorithm>

#include "incident/input_error.hpp"
#include "incident/read.hpp"
#include "incident/time_text.hpp"
#include "json_fields.hpp"
#include "readers.hpp"
#include "shape.hpp"
#include "text_util.hpp"

namespace incident {
namespace {

namespace json = boost::json;

Severity verdict_severity(std::string_view verdict) {
  const std::string key = compact_key(verdict);
  if (key == "malicious") return Severity::high;
  if (key == "suspicious") return Severity::medium;
  if (key == "clean" || key == "benignlooking" || key == "benign") return Severity::informational;
  return Severity::unknown;
}

bool judged_bad(Severity severity) {
  return severity == Severity::high || severity == Severity::medium;
}

// An indicator of a typed kind (ipv4, domain, url, sha256, ...) as an entity.
void add_indicator(Entities& entities, std::string_view type, const std::string& value) {
  const std::string key = compact_key(type);
  if (key == "ipv4" || key == "ipv6" || key == "ip")
    entities.add(Ip{value, false, {}});
  else if (key == "domain")
    entities.add(Domain{value, {}});
  else if (key == "url")
    entities.add(Url{value, {}});
  else if (key == "sha256")
    entities.add(File{{}, {}, value, {}, {}, {}, {}});
  else if (key == "sha1")
    entities.add(File{{}, {}, {}, value, {}, {}, {}});
  else if (key == "md5")
    entities.add(File{{}, {}, {}, {}, value, {}, {}});
}

// The `entities` map a chaining skill returns ({"host": [...], "user": [...], "ip": [...], ...},
// named by the manifest's Outputs.Entities types): the subjects of what it found.
void add_named_entities(const json::object& named, Incident& incident) {
  for (const auto& [type, values] : named) {
    const auto* list = values.if_array();
    if (!list) continue;
    for (const auto& value : *list) {
      const auto* text_value = value.if_string();
      if (!text_value || text_value->empty()) continue;
      const std::string item(*text_value);
      const std::string key = compact_key(type);
      if (key == "host")
        incident.entities.add(Host{item, {}, {}, {}});
      else if (key == "user")
        incident.entities.add(User{item, {}, {}});
      else if (key == "mitretechnique")
        incident.techniques.push_back({item, {}, {}});
      else
        add_indicator(incident.entities, type, item);
    }
  }
}

// A detection or alert a skill returns ({"detection": {"headline", "severity", ...}, ...}, or
// those fields at the top level): its headline and severity make the finding.
bool read_detection(const json::object& output, Finding& finding) {
  const json::object* detection = &output;
  for (const char* key : {"detection", "alert"})
    if (const auto* nested = object_member(output, key)) detection = nested;
  std::string headline = text(*detection, "headline");
  if (headline.empty()) headline = text(*detection, "title");
  const Severity severity = parse_severity(text(*detection, "severity"));
  if (headline.empty() || severity == Severity::unknown) return false;
  finding.text = headline + " (" + std::string(severity_name(severity)) + ")";
  finding.severity = severity;
  return true;
}

void merge_incident(Incident& into, Incident from) {
  into.severity = std::max(into.severity, from.severity);
  if (into.status == "unknown") into.status = from.status;
  for (auto& alert : from.alerts)
    into.alerts.push_back(std::move(alert));
  // The merged incident's creation is named, since the session may hold several incidents.
  for (auto& event : from.events)
    if (!(event.kind == "incident" && event.description == "Incident created"))
      into.events.push_back(std::move(event));
  if (from.created)
    into.events.push_back({*from.created, "Incident created: " + from.title, {}, "incident"});
  into.entities.add_all(from.entities);
  for (auto& technique : from.techniques)
    into.techniques.push_back(std::move(technique));
  for (const auto& tactic : from.tactics)
    add_unique(into.tactics, tactic);
  for (auto& warning : from.warnings)
    into.warnings.push_back(from.title + ": " + warning);
}

// What a completed step found, from the output shapes of the sample plugins and of any skill
// that reports a verdict, indicators or ATT&CK techniques.
Finding read_output(const std::string& skill, const json::object& inputs, const json::value& output,
                    Incident& incident) {
  Finding finding{skill, "completed", Severity::unknown, false};
  const auto* object = output.if_object();
  if (!object) return finding;
  if (auto shape = detect_shape(*object); shape && *shape != kShapeSession) {
    try {
      Incident found = read_incident(output, {.input_name = "output", .allow_session = false});
      finding.text = "incident \"" + found.title + "\" (" +
                     std::string(severity_name(found.severity)) + ", " + found.status + ", " +
                     count_of(found.alerts.size(), "alert", "alerts") + ")";
      finding.severity = found.severity;
      merge_incident(incident, std::move(found));
      return finding;
    } catch (const InputError&) {
      // Not an incident after all: read it as any other output below.
    }
  }
  if (const auto* named = object_member(*object, "entities")) add_named_entities(*named, incident);
  if (read_detection(*object, finding)) return finding;
  const std::string verdict = text(*object, "verdict");
  finding.severity = verdict_severity(verdict);
  const bool bad = judged_bad(finding.severity);
  if (auto indicator = text(*object, "indicator"); !indicator.empty() && !verdict.empty()) {
    const std::string type = text(*object, "type");
    finding.text = indicator + (type.empty() ? "" : " (" + type + ")") + ": " + verdict;
    if (auto confidence = text(*object, "confidence"); !confidence.empty())
      finding.text += ", confidence " + confidence;
    if (bad) add_indicator(incident.entities, type, indicator);
  } else if (!verdict.empty()) {
    finding.text = "verdict " + verdict;
    if (auto score = text(*object, "score"); !score.empty())
      finding.text += " (score " + score + ")";
    // What made the verdict: the named behaviours (ScriptAnalysis lists the most severe first).
    std::vector<std::string> behaviours;
    if (const auto* items = array_member(*object, "behaviours"))
      for (const auto& item : *items)
        if (const auto* behaviour = item.if_object(); behaviour && behaviours.size() < 3)
          add_unique(behaviours, text(*behaviour, "name"));
    if (!behaviours.empty()) finding.text += ": " + join(behaviours, "; ");
  } else if (auto rows = text(*object, "row_count"); !rows.empty()) {
    finding.text = "the query returned " + rows + " row(s)";
    if (auto query = text(inputs, "query"); !query.empty())
      finding.text += ": " + shorten(query, 160);
  }
  if (const auto* indicators = array_member(*object, "indicators")) {
    if (bad) {
      for (const auto& item : *indicators)
        if (const auto* indicator = item.if_object())
          add_indicator(incident.entities, text(*indicator, "type"), text(*indicator, "value"));
    }
    if (finding.text == "completed")
      finding.text = "found " + count_of(indicators->size(), "indicator", "indicators");
  }
  if (const auto* techniques = array_member(*object, "techniques"); techniques && bad)
    for (const auto& item : *techniques) {
      if (const auto* technique = item.if_object())
        incident.techniques.push_back({text(*technique, "id"), {}, {}});
      else if (const auto* id = item.if_string())
        incident.techniques.push_back({std::string(*id), {}, {}});
    }
  return finding;
}

void read_step(const json::object& step, Incident& incident) {
  const std::string skill = text(step, "skill");
  const auto time = parse_time(text(step, "startedDateTime"));
  static const json::object kNoInputs;
  const auto* inputs = object_member(step, "inputs");
  Finding finding{skill, {}, Severity::unknown, false};
  if (const auto* error = object_member(step, "error")) {
    finding.failed = true;
    finding.text =
        "failed (" + text(*error, "status") + "): " + shorten(text(*error, "message"), 300);
  } else if (const auto* output = member(step, "output")) {
    finding = read_output(skill, inputs ? *inputs : kNoInputs, *output, incident);
  } else {
    finding.text = text(step, "state");
    finding.failed = finding.text != "completed";
  }
  if (time) incident.events.push_back({*time, skill + ": " + finding.text, {}, "finding"});
  incident.findings.push_back(std::move(finding));
}

}  // namespace

Incident read_session(const json::object& session) {
  Incident incident;
  incident.shape = "session";
  incident.id = text(session, "id");
  incident.title = text(session, "displayName");
  if (incident.title.empty()) incident.title = "secpilot session " + incident.id;
  incident.created = parse_time(text(session, "createdDateTime"));
  const auto* prompts = array_member(session, "prompts");
  for (const auto& item : *prompts) {
    const auto* prompt = item.if_object();
    const auto* evaluations = prompt ? array_member(*prompt, "evaluations") : nullptr;
    if (!evaluations || evaluations->empty()) continue;
    // The last evaluation is the prompt's current answer; earlier ones were re-runs.
    const auto* evaluation = evaluations->back().if_object();
    if (!evaluation) continue;
    const auto* steps = array_member(*evaluation, "steps");
    if (steps)
      for (const auto& step : *steps)
        if (const auto* step_object = step.if_object()) read_step(*step_object, incident);
    if ((!steps || steps->empty()) && !text(*evaluation, "error").empty())
      incident.findings.push_back({"prompt \"" + shorten(text(*prompt, "content"), 80) + "\"",
                                   "failed: " + shorten(text(*evaluation, "error"), 300),
                                   Severity::unknown, true});
  }
  for (const auto& finding : incident.findings)
    incident.severity = std::max(incident.severity, finding.severity);
  if (incident.findings.empty())
    incident.warnings.push_back("the session has no skill steps to report on");
  return incident;
}

}  // namespace incident
