// Microsoft Defender XDR incidents as the Microsoft 365 Defender API returns them
// (GET https://api.security.microsoft.com/api/incidents/{id}): alerts with devices and entities.
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

class AlertReader {
 public:
  AlertReader(Incident& incident, const json::object& alert, const std::string& alert_id)
      : incident_(incident), alerts_{alert_id} {
    if (const auto* devices = array_member(alert, "devices"))
      for (const auto& item : *devices)
        if (const auto* device = item.if_object()) read_device(*device);
    if (const auto* entities = array_member(alert, "entities"))
      for (const auto& item : *entities)
        if (const auto* entity = item.if_object()) read_entity(*entity);
  }

  const std::map<std::string, int>& skipped() const noexcept { return skipped_; }

 private:
  void read_device(const json::object& device) {
    Host host{text(device, "deviceDnsName"),
              os_text(text(device, "osPlatform"), first_text(device, {"version", "osBuild"})),
              {},
              alerts_};
    if (host.name.empty()) return;
    if (const auto* users = array_member(device, "loggedOnUsers"))
      for (const auto& item : *users)
        if (const auto* account = item.if_object()) add_unique(host.users, add_user(*account));
    devices_[text(device, "mdatpDeviceId")] = host.name;
    last_device_ = host.name;
    incident_.entities.add(std::move(host));
  }

  // The device an entity was seen on: its deviceId, else the alert's only device.
  std::string device_of(const json::object& entity) const {
    auto found = devices_.find(text(entity, "deviceId"));
    if (found != devices_.end()) return found->second;
    return devices_.size() == 1 ? last_device_ : std::string();
  }

  std::string add_user(const json::object& account) {
    User user = user_from_account(account);
    user.alerts = alerts_;
    std::string name = user.name;
    incident_.entities.add(std::move(user));
    return name;
  }

  void read_entity(const json::object& entity) {
    const std::string type = compact_key(text(entity, "entityType"));
    if (type == "user") {
      add_user(entity);
    } else if (type == "ip") {
      incident_.entities.add(Ip{text(entity, "ipAddress"), false, alerts_});
    } else if (type == "url") {
      incident_.entities.add(Url{text(entity, "url"), alerts_});
    } else if (type == "file") {
      File file{text(entity, "fileName"),
                text(entity, "filePath"),
                text(entity, "sha256"),
                text(entity, "sha1"),
                text(entity, "md5"),
                device_of(entity),
                alerts_};
      incident_.entities.add(std::move(file));
    } else if (type == "process") {
      Process process;
      process.command_line = text(entity, "processCommandLine");
      process.image = text(entity, "fileName");
      process.pid = text(entity, "processId");
      process.host = device_of(entity);
      if (!first_text(entity, {"userPrincipalName", "accountName"}).empty())
        process.user = add_user(entity);
      process.time = parse_time(text(entity, "processCreationTime"));
      process.alerts = alerts_;
      if (!process.host.empty() && !process.user.empty())
        incident_.entities.add(Host{process.host, {}, {process.user}, alerts_});
      incident_.entities.add(std::move(process));
    } else if (type == "mailbox") {
      User user{first_text(entity, {"mailboxAddress", "userPrincipalName"}),
                text(entity, "mailboxDisplayName"), alerts_};
      incident_.entities.add(std::move(user));
    } else if (type == "mailmessage") {
      incident_.entities.add(Ip{text(entity, "senderIp"), false, alerts_});
      incident_.entities.add(User{text(entity, "recipient"), {}, alerts_});
    } else {
      ++skipped_[type.empty() ? "entities without entityType" : text(entity, "entityType")];
    }
  }

  Incident& incident_;
  std::vector<std::string> alerts_;
  std::map<std::string, std::string> devices_;
  std::string last_device_;
  std::map<std::string, int> skipped_;
};

}  // namespace

Incident read_defender_xdr_api(const json::object& object) {
  Incident incident;
  incident.shape = "defender_xdr_api";
  incident.id = text(object, "incidentId");
  incident.title = text(object, "incidentName");
  if (incident.title.empty()) incident.title = "Defender XDR incident " + incident.id;
  incident.severity = parse_severity(text(object, "severity"));
  incident.status = normalize_status(text(object, "status"));
  incident.created = parse_time(text(object, "createdTime"));
  incident.assigned_to = text(object, "assignedTo");
  incident.classification = text(object, "classification");
  if (auto determination = text(object, "determination");
      !determination.empty() && !iequals(determination, "notavailable"))
    incident.classification += (incident.classification.empty() ? "" : " / ") + determination;
  if (iequals(incident.classification, "unknown")) incident.classification.clear();
  incident.url = text(object, "incidentUri");

  const auto* alerts = member(object, "alerts");
  if (!alerts)
    throw InputError(
        "the Microsoft 365 Defender API incident has no 'alerts': export it with GET "
        "https://api.security.microsoft.com/api/incidents/{id}, which includes them");
  if (!alerts->is_array())
    throw InputError("the Microsoft 365 Defender API incident's 'alerts' must be an array");
  if (alerts->get_array().empty()) incident.warnings.push_back("the incident has no alerts");
  std::map<std::string, int> skipped;
  std::size_t index = 0;
  for (const auto& value : alerts->get_array()) {
    const auto* item = value.if_object();
    if (!item)
      throw InputError(element("alerts", index) + " is not an object: each alert must be one");
    Alert alert;
    alert.id = text(*item, "alertId");
    if (alert.id.empty()) alert.id = "alert-" + std::to_string(index + 1);
    alert.title = text(*item, "title");
    if (alert.title.empty()) alert.title = "Alert " + alert.id;
    alert.severity = parse_severity(text(*item, "severity"));
    alert.status = normalize_status(text(*item, "status"));
    alert.time = parse_time(first_text(*item, {"firstActivity", "creationTime"}));
    alert.last_time = parse_time(text(*item, "lastActivity"));
    alert.source = first_text(*item, {"serviceSource", "detectionSource"});
    alert.description = text(*item, "description");
    alert.techniques = text_list(*item, "mitreTechniques");
    if (auto tactic = canonical_tactic(text(*item, "category")); !tactic.empty())
      alert.tactics.emplace_back(tactic);
    AlertReader reader(incident, *item, alert.id);
    for (const auto& [type, count] : reader.skipped())
      skipped[type] += count;
    incident.alerts.push_back(std::move(alert));
    ++index;
  }
  for (const auto& [type, count] : skipped)
    incident.warnings.push_back("skipped " + std::to_string(count) + " " + type +
                                " entit(ies): this skill does not read that entity type");
  return incident;
}

}  // namespace incident
