// Microsoft Sentinel incidents: the ARM resource (Microsoft.SecurityInsights/incidents) and,
// when exported with it, the responses of its alerts and entities actions.
#include <map>

#include "incident/attack.hpp"
#include "incident/input_error.hpp"
#include "incident/time_text.hpp"
#include "json_fields.hpp"
#include "readers.hpp"
#include "text_util.hpp"

namespace incident {
namespace {

namespace json = boost::json;

// The list inside a list response ({"value": [...]}, {"entities": [...]}) or a bare array.
const json::array* list_of(const json::value* value, std::string_view inner) {
  if (!value) return nullptr;
  if (const auto* array = value->if_array()) return array;
  if (const auto* object = value->if_object()) {
    if (const auto* list = array_member(*object, inner)) return list;
    return array_member(*object, "value");
  }
  return nullptr;
}

const json::object& properties_of(const json::object& resource) {
  static const json::object kEmpty;
  const auto* properties = object_member(resource, "properties");
  return properties ? *properties : kEmpty;
}

// Entities refer to each other by id (a process to its host, account and image file).
class EntityIndex {
 public:
  explicit EntityIndex(const json::array& entities) {
    for (const auto& item : entities) {
      const auto* entity = item.if_object();
      if (!entity) continue;
      for (const auto* key : {"id", "name"})
        if (auto id = text(*entity, key); !id.empty()) by_id_.emplace(id, entity);
    }
  }

  const json::object* find(const std::string& id) const {
    if (id.empty()) return nullptr;
    if (auto found = by_id_.find(id); found != by_id_.end()) return found->second;
    // A reference may be the short name of an entity listed by its full resource id.
    for (const auto& [key, entity] : by_id_)
      if (key.size() > id.size() && key.ends_with("/" + id)) return entity;
    return nullptr;
  }

 private:
  std::map<std::string, const json::object*> by_id_;
};

std::string host_name(const json::object& properties) {
  std::string name = first_text(properties, {"hostName", "netBiosName", "friendlyName"});
  if (auto domain = text(properties, "dnsDomain");
      !name.empty() && !domain.empty() && name.find('.') == std::string::npos)
    name += "." + domain;
  return name;
}

std::string account_name(const json::object& properties) {
  const std::string name = first_text(properties, {"accountName", "name"});
  if (auto suffix = text(properties, "upnSuffix"); !name.empty() && !suffix.empty())
    return name + "@" + suffix;
  User user = user_from_account(properties);
  return user.name.empty() ? text(properties, "friendlyName") : user.name;
}

void add_hash(File& file, const json::object& properties) {
  const std::string algorithm = compact_key(text(properties, "algorithm"));
  const std::string value = text(properties, "hashValue");
  if (algorithm == "sha256")
    file.sha256 = value;
  else if (algorithm == "sha1")
    file.sha1 = value;
  else if (algorithm == "md5")
    file.md5 = value;
}

class EntityReader {
 public:
  EntityReader(Incident& incident, const json::array& entities)
      : incident_(incident), index_(entities) {
    for (const auto& item : entities)
      if (const auto* entity = item.if_object()) read(*entity);
  }

  const std::map<std::string, int>& skipped() const noexcept { return skipped_; }

 private:
  const json::object* referenced(const json::object& properties, std::string_view key) const {
    const auto* entity = index_.find(text(properties, key));
    return entity ? &properties_of(*entity) : nullptr;
  }

  void read(const json::object& entity) {
    const std::string kind = compact_key(text(entity, "kind"));
    const auto& p = properties_of(entity);
    if (kind == "account") {
      incident_.entities.add(User{account_name(p), text(p, "displayName"), {}});
    } else if (kind == "host") {
      incident_.entities.add(
          Host{host_name(p), os_text(text(p, "osFamily"), text(p, "osVersion")), {}, {}});
    } else if (kind == "ip") {
      incident_.entities.add(Ip{text(p, "address"), false, {}});
    } else if (kind == "url") {
      incident_.entities.add(Url{text(p, "url"), {}});
    } else if (kind == "dnsresolution") {
      incident_.entities.add(Domain{text(p, "domainName"), {}});
    } else if (kind == "file") {
      File file;
      file.name = first_text(p, {"fileName", "name", "friendlyName"});
      file.path = text(p, "directory");
      for (const auto& id : text_list(p, "fileHashEntityIds"))
        if (const auto* hash = index_.find(id)) add_hash(file, properties_of(*hash));
      incident_.entities.add(std::move(file));
    } else if (kind == "filehash") {
      // Added on its own only when no file entity refers to it (a file with it merges).
      File file;
      add_hash(file, p);
      incident_.entities.add(std::move(file));
    } else if (kind == "process") {
      read_process(p);
    } else if (kind == "mailbox") {
      incident_.entities.add(
          User{first_text(p, {"upn", "mailboxPrimaryAddress"}), text(p, "displayName"), {}});
    } else {
      ++skipped_[kind.empty() ? "entities without kind" : text(entity, "kind")];
    }
  }

  void read_process(const json::object& p) {
    Process process;
    process.command_line = text(p, "commandLine");
    process.pid = text(p, "processId");
    process.time = parse_time(text(p, "creationTimeUtc"));
    if (const auto* host = referenced(p, "hostEntityId")) process.host = host_name(*host);
    if (const auto* account = referenced(p, "accountEntityId"))
      process.user = account_name(*account);
    if (const auto* image = referenced(p, "imageFileEntityId"))
      process.image = first_text(*image, {"fileName", "name"});
    if (process.image.empty()) process.image = text(p, "friendlyName");
    if (!process.host.empty() && !process.user.empty())
      incident_.entities.add(Host{process.host, {}, {process.user}, {}});
    incident_.entities.add(std::move(process));
  }

  Incident& incident_;
  EntityIndex index_;
  std::map<std::string, int> skipped_;
};

Alert read_alert(const json::object& resource, std::size_t index) {
  const auto& p = properties_of(resource);
  Alert alert;
  alert.id = first_text(p, {"systemAlertId"});
  if (alert.id.empty()) alert.id = text(resource, "name");
  if (alert.id.empty()) alert.id = "alert-" + std::to_string(index + 1);
  alert.title = first_text(p, {"alertDisplayName", "friendlyName"});
  if (alert.title.empty()) alert.title = "Alert " + alert.id;
  alert.severity = parse_severity(text(p, "severity"));
  alert.status = normalize_status(text(p, "status"));
  alert.time = parse_time(first_text(p, {"startTimeUtc", "timeGenerated"}));
  alert.last_time = parse_time(text(p, "endTimeUtc"));
  alert.source = first_text(p, {"productName", "vendorName"});
  alert.description = text(p, "description");
  alert.techniques = text_list(p, "techniques");
  for (const auto& tactic : text_list(p, "tactics"))
    if (auto canonical = canonical_tactic(tactic); !canonical.empty())
      add_unique(alert.tactics, std::string(canonical));
  return alert;
}

// Sentinel's entities name no alert, but an alert's compromisedEntity names its host: that host
// is then known to be in the alert.
void link_alerts_to_hosts(const json::array& alerts, Incident& incident) {
  for (std::size_t i = 0; i < alerts.size() && i < incident.alerts.size(); ++i) {
    const auto* alert = alerts[i].if_object();
    if (!alert) continue;
    const std::string entity = text(properties_of(*alert), "compromisedEntity");
    if (entity.empty()) continue;
    const std::string short_name = to_lower(entity.substr(0, entity.find('.')));
    std::string host_name;
    for (const auto& host : incident.entities.hosts())
      if (to_lower(host.name.substr(0, host.name.find('.'))) == short_name) host_name = host.name;
    if (!host_name.empty()) incident.entities.add(Host{host_name, {}, {}, {incident.alerts[i].id}});
  }
}

}  // namespace

Incident read_sentinel(const json::object& resource, const json::value* alerts,
                       const json::value* entities) {
  const auto* properties = object_member(resource, "properties");
  if (!properties)
    throw InputError(
        "the Sentinel incident has no 'properties': pass the incident resource as the "
        "Microsoft.SecurityInsights/incidents API returns it ({\"id\", \"name\", \"type\", "
        "\"properties\": {\"title\", \"severity\", \"status\", ...}})");
  Incident incident;
  incident.shape = "sentinel";
  incident.id = first_text(*properties, {"incidentNumber", "providerIncidentId"});
  if (incident.id.empty()) incident.id = text(resource, "name");
  incident.title = text(*properties, "title");
  if (incident.title.empty())
    throw InputError("the Sentinel incident has no properties.title: export the whole resource");
  incident.description = text(*properties, "description");
  incident.severity = parse_severity(text(*properties, "severity"));
  incident.status = normalize_status(text(*properties, "status"));
  incident.created = parse_time(text(*properties, "createdTimeUtc"));
  if (const auto* owner = object_member(*properties, "owner"))
    incident.assigned_to = first_text(*owner, {"userPrincipalName", "email", "assignedTo"});
  incident.classification = text(*properties, "classification");
  if (auto reason = text(*properties, "classificationReason"); !reason.empty())
    incident.classification += " / " + reason;
  incident.url = text(*properties, "incidentUrl");
  if (const auto* additional = object_member(*properties, "additionalData")) {
    for (const auto& tactic : text_list(*additional, "tactics"))
      if (auto canonical = canonical_tactic(tactic); !canonical.empty())
        add_unique(incident.tactics, std::string(canonical));
    for (const auto& technique : text_list(*additional, "techniques"))
      incident.techniques.push_back({technique, {}, {}});
  }
  if (incident.status == "resolved")
    if (auto closed = parse_time(text(*properties, "lastModifiedTimeUtc")))
      incident.events.push_back(
          {*closed,
           "Incident closed" +
               (incident.classification.empty() ? std::string() : " as " + incident.classification),
           {},
           "incident"});

  if (const auto* list = list_of(alerts, "value")) {
    for (std::size_t i = 0; i < list->size(); ++i) {
      const auto* alert = (*list)[i].if_object();
      if (!alert)
        throw InputError(element("alerts", i) +
                         " is not an object: pass the alerts list "
                         "response ({\"value\": [...]}) as exported");
      incident.alerts.push_back(read_alert(*alert, i));
    }
  } else {
    incident.warnings.push_back(
        "no alerts were exported with the incident: add the response of POST "
        ".../incidents/{id}/alerts as \"alerts\" for a timeline of alerts");
  }
  if (const auto* list = list_of(entities, "entities")) {
    EntityReader reader(incident, *list);
    for (const auto& [kind, count] : reader.skipped())
      incident.warnings.push_back("skipped " + std::to_string(count) + " " + kind +
                                  " entit(ies): this skill does not read that entity kind");
    if (const auto* alert_list = list_of(alerts, "value"))
      link_alerts_to_hosts(*alert_list, incident);
  } else {
    incident.warnings.push_back(
        "no entities were exported with the incident: add the response of POST "
        ".../incidents/{id}/entities as \"entities\" for hosts, accounts and indicators");
  }
  return incident;
}

}  // namespace incident
