// The generic incident shape (docs/plugins/incident.md), which SummarizeIncident's output also
// follows, so a summary can be read back (by WriteReport) without loss.
#include "incident/attack.hpp"
#include "incident/input_error.hpp"
#include "incident/time_text.hpp"
#include "json_fields.hpp"
#include "readers.hpp"
#include "text_util.hpp"

namespace incident {
namespace {

namespace json = boost::json;

constexpr std::string_view kTimeExample = "an ISO 8601 UTC time such as 2026-11-20T09:14:03Z";

std::optional<UnixSeconds> optional_time(const json::object& object, std::string_view key,
                                         const std::string& where) {
  const std::string value = text(object, key);
  if (value.empty()) return std::nullopt;
  auto time = parse_time(value);
  if (!time)
    throw InputError(where + "." + std::string(key) + " is '" + value + "': write " +
                     std::string(kTimeExample));
  return time;
}

bool is_hex(std::string_view text) {
  return text.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos;
}

// A list of entities of one kind: each item a string (the entity's name) or an object.
template <typename Read>
void read_list(const json::object& entities, std::string_view key, const std::string& where,
               Read read) {
  const auto* value = member(entities, key);
  if (!value || value->is_null()) return;
  const auto* items = value->if_array();
  if (!items)
    throw InputError(where + "." + std::string(key) + " must be an array of strings or objects");
  for (std::size_t i = 0; i < items->size(); ++i) {
    const auto& item = (*items)[i];
    const std::string item_where = where + "." + element(key, i);
    if (!item.is_string() && !item.is_object())
      throw InputError(item_where + " must be a string or an object");
    read(item, item_where);
  }
}

std::string name_of(const json::value& item, std::string_view key) {
  if (const auto* string = item.if_string()) return std::string(trim(*string));
  return text(item.get_object(), key);
}

std::vector<std::string> alerts_of(const json::value& item, const std::vector<std::string>& owner) {
  std::vector<std::string> alerts = owner;
  if (const auto* object = item.if_object())
    for (const auto& alert : text_list(*object, "alerts"))
      add_unique(alerts, alert);
  return alerts;
}

// Reads an `entities` object; every entity also counts as named by `owner` (an alert's entities).
void read_entities(const json::object& entities, const std::string& where,
                   const std::vector<std::string>& owner, Entities& out) {
  read_list(entities, "users", where, [&](const json::value& item, const std::string&) {
    User user{name_of(item, "name"), {}, alerts_of(item, owner)};
    if (const auto* object = item.if_object()) user.display_name = text(*object, "display_name");
    out.add(std::move(user));
  });
  read_list(entities, "hosts", where, [&](const json::value& item, const std::string&) {
    Host host{name_of(item, "name"), {}, {}, alerts_of(item, owner)};
    if (const auto* object = item.if_object()) {
      host.os = text(*object, "os");
      host.users = text_list(*object, "users");
    }
    out.add(std::move(host));
  });
  read_list(entities, "ips", where, [&](const json::value& item, const std::string&) {
    out.add(Ip{name_of(item, "address"), false, alerts_of(item, owner)});
  });
  read_list(entities, "domains", where, [&](const json::value& item, const std::string&) {
    out.add(Domain{name_of(item, "name"), alerts_of(item, owner)});
  });
  read_list(entities, "urls", where, [&](const json::value& item, const std::string&) {
    out.add(Url{name_of(item, "url"), alerts_of(item, owner)});
  });
  read_list(entities, "files", where, [&](const json::value& item, const std::string&) {
    File file;
    file.alerts = alerts_of(item, owner);
    if (const auto* string = item.if_string()) {
      // A bare string is a hash when it looks like one, else a file name.
      const std::string value(trim(*string));
      if (is_hex(value) && value.size() == 64)
        file.sha256 = value;
      else if (is_hex(value) && value.size() == 40)
        file.sha1 = value;
      else if (is_hex(value) && value.size() == 32)
        file.md5 = value;
      else
        file.name = value;
    } else {
      const auto& object = item.get_object();
      file.name = text(object, "name");
      file.path = text(object, "path");
      file.sha256 = text(object, "sha256");
      file.sha1 = text(object, "sha1");
      file.md5 = text(object, "md5");
      file.host = text(object, "host");
    }
    out.add(std::move(file));
  });
  read_list(entities, "processes", where, [&](const json::value& item, const std::string& at) {
    Process process;
    process.alerts = alerts_of(item, owner);
    if (const auto* string = item.if_string()) {
      process.command_line = std::string(trim(*string));
    } else {
      const auto& object = item.get_object();
      process.command_line = text(object, "command_line");
      process.image = text(object, "image");
      process.pid = text(object, "pid");
      process.host = text(object, "host");
      process.user = text(object, "user");
      process.time = optional_time(object, "time", at);
    }
    if (!process.host.empty() && !process.user.empty())
      out.add(Host{process.host, {}, {process.user}, process.alerts});
    out.add(std::move(process));
  });
}

void read_entities_member(const json::object& owner_object, const std::string& where,
                          const std::vector<std::string>& owner, Entities& out) {
  const auto* value = member(owner_object, "entities");
  if (!value || value->is_null()) return;
  const auto* entities = value->if_object();
  if (!entities)
    throw InputError(where +
                     "entities must be an object with any of users, hosts, ips, domains, "
                     "urls, files, processes");
  read_entities(*entities, where + "entities", owner, out);
}

// Techniques as ids or {id, tactic, alerts} objects.
void read_techniques(const json::object& object, const std::string& where,
                     const std::vector<std::string>& owner, std::vector<TechniqueRef>& out) {
  const auto* value = member(object, "techniques");
  if (!value || value->is_null()) return;
  const auto* items = value->if_array();
  if (!items) throw InputError(where + "techniques must be an array of ATT&CK ids or objects");
  for (const auto& item : *items) {
    if (const auto* id = item.if_string()) {
      out.push_back({std::string(*id), {}, owner});
    } else if (const auto* technique = item.if_object()) {
      TechniqueRef ref{text(*technique, "id"), text(*technique, "tactic"), owner};
      for (const auto& alert : text_list(*technique, "alerts"))
        add_unique(ref.alerts, alert);
      out.push_back(std::move(ref));
    }
  }
}

Alert read_alert(const json::object& object, std::size_t index, Incident& incident) {
  const std::string where = element("alerts", index);
  Alert alert;
  alert.id = text(object, "id");
  if (alert.id.empty()) alert.id = "alert-" + std::to_string(index + 1);
  alert.title = text(object, "title");
  if (alert.title.empty())
    throw InputError(where +
                     " has no 'title': give each alert a title, e.g. \"Encoded "
                     "PowerShell command\"");
  alert.severity = parse_severity(text(object, "severity"));
  alert.status = normalize_status(text(object, "status"));
  alert.time = optional_time(object, "time", where);
  alert.last_time = optional_time(object, "last_time", where);
  alert.source = text(object, "source");
  alert.description = text(object, "description");
  std::vector<TechniqueRef> techniques;
  read_techniques(object, where + ".", {alert.id}, techniques);
  for (auto& technique : techniques) {
    alert.techniques.push_back(technique.id);
    if (!technique.tactic.empty()) incident.techniques.push_back(std::move(technique));
  }
  for (const auto& tactic : text_list(object, "tactics"))
    if (auto canonical = canonical_tactic(tactic); !canonical.empty())
      add_unique(alert.tactics, std::string(canonical));
  read_entities_member(object, where + ".", {alert.id}, incident.entities);
  return alert;
}

void read_events(const json::object& object, Incident& incident) {
  for (std::string_view key : {"events", "timeline"}) {
    const auto* value = member(object, key);
    if (!value || value->is_null()) continue;
    const auto* items = value->if_array();
    if (!items) throw InputError("'" + std::string(key) + "' must be an array of events");
    for (std::size_t i = 0; i < items->size(); ++i) {
      const std::string where = element(key, i);
      const auto* event = (*items)[i].if_object();
      if (!event)
        throw InputError(where + " must be an object: {\"time\": ..., \"description\": ...}");
      auto time = optional_time(*event, "time", where);
      if (!time) throw InputError(where + " has no 'time': write " + std::string(kTimeExample));
      std::string description = text(*event, "description");
      if (description.empty()) throw InputError(where + " has no 'description'");
      std::vector<std::string> alerts = text_list(*event, "alerts");
      add_unique(alerts, text(*event, "alert"));
      std::string kind = text(*event, "kind");
      incident.events.push_back(
          {*time, std::move(description), std::move(alerts), kind.empty() ? "activity" : kind});
    }
  }
}

}  // namespace

Incident read_generic(const json::object& object, std::string_view shape) {
  Incident incident;
  incident.shape = std::string(shape);
  incident.title = text(object, "title");
  if (incident.title.empty())
    throw InputError(
        "the generic incident has no 'title': add one, e.g. \"C2 beacons from two "
        "finance endpoints\"");
  incident.id = text(object, "id");
  incident.description = text(object, "description");
  incident.severity = parse_severity(text(object, "severity"));
  incident.status = normalize_status(text(object, "status"));
  incident.created = optional_time(object, "created", "the incident");
  incident.assigned_to = text(object, "assigned_to");
  incident.classification = text(object, "classification");
  incident.url = text(object, "url");

  if (const auto* alerts = member(object, "alerts"); alerts && !alerts->is_null()) {
    if (!alerts->is_array()) throw InputError("'alerts' must be an array of alert objects");
    const auto& items = alerts->get_array();
    for (std::size_t i = 0; i < items.size(); ++i) {
      const auto* alert = items[i].if_object();
      if (!alert) throw InputError(element("alerts", i) + " must be an object with a 'title'");
      incident.alerts.push_back(read_alert(*alert, i, incident));
    }
  }
  read_events(object, incident);
  if (incident.alerts.empty() && incident.events.empty())
    throw InputError(
        "the generic incident has no 'alerts' and no 'events': give at least one alert "
        "({\"title\", \"time\", \"severity\", ...}) or one event ({\"time\", \"description\"})");
  read_entities_member(object, "", {}, incident.entities);
  read_techniques(object, "", {}, incident.techniques);
  for (const auto& tactic : text_list(object, "tactics"))
    if (auto canonical = canonical_tactic(tactic); !canonical.empty())
      add_unique(incident.tactics, std::string(canonical));
  if (shape == "summary") incident.warnings = text_list(object, "warnings");
  return incident;
}

}  // namespace incident
