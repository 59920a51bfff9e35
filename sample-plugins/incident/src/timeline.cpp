// The timeline: every dated event of the incident, sorted and de-duplicated.
#include <algorithm>
#include <tuple>

#include "incident/summary.hpp"
#include "text_util.hpp"
#include "timeline.hpp"

namespace incident {
namespace {

int kind_rank(std::string_view kind) {
  if (kind == "incident") return 0;
  if (kind == "alert") return 1;
  if (kind == "process") return 2;
  return 3;
}

std::string process_description(const Process& process) {
  std::string text =
      (process.image.empty() ? std::string("A process") : process.image) + " started";
  if (!process.host.empty()) text += " on " + process.host;
  if (!process.user.empty()) text += " as " + process.user;
  return text + ": " + shorten(process.command_line, 400);
}

}  // namespace

std::vector<Event> build_timeline(const Incident& incident) {
  std::vector<Event> events = incident.events;
  if (incident.created)
    events.push_back(
        {*incident.created,
         incident.shape == "session" ? "Investigation session started" : "Incident created",
         {},
         "incident"});
  for (const auto& alert : incident.alerts)
    if (alert.time)
      events.push_back(
          {*alert.time,
           "Alert: " + alert.title + " (" + std::string(severity_name(alert.severity)) + ")",
           {alert.id},
           "alert"});
  for (const auto& process : incident.entities.processes())
    if (process.time)
      events.push_back({*process.time, process_description(process), process.alerts, "process"});

  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    return std::make_tuple(a.time, kind_rank(a.kind), std::cref(a.description)) <
           std::make_tuple(b.time, kind_rank(b.kind), std::cref(b.description));
  });
  std::vector<Event> timeline;
  for (auto& event : events) {
    // The same thing at the same second is one event however many alerts report it. Events are
    // sorted by time, so only the kept events of this second need looking at.
    Event* same = nullptr;
    for (auto kept = timeline.rbegin(); kept != timeline.rend() && kept->time == event.time; ++kept)
      if (kept->description == event.description) same = &*kept;
    if (same) {
      for (const auto& alert : event.alerts)
        add_unique(same->alerts, alert);
      continue;
    }
    timeline.push_back(std::move(event));
  }
  return timeline;
}

}  // namespace incident
