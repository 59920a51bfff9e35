// Microsoft Defender XDR incidents as Microsoft Graph returns them
// (GET /security/incidents/{id}?$expand=alerts): alerts with typed evidence.
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

// Graph's serviceSource values as the Defender portal names them.
std::string product_name(std::string_view source) {
  static const std::map<std::string, std::string, std::less<>> kNames = {
      {"microsoftdefenderforendpoint", "Microsoft Defender for Endpoint"},
      {"microsoftdefenderforidentity", "Microsoft Defender for Identity"},
      {"microsoftdefenderforcloudapps", "Microsoft Defender for Cloud Apps"},
      {"microsoftdefenderforoffice365", "Microsoft Defender for Office 365"},
      {"microsoft365defender", "Microsoft Defender XDR"},
      {"microsoftdefenderxdr", "Microsoft Defender XDR"},
      {"azureadidentityprotection", "Microsoft Entra ID Protection"},
      {"microsoftentraidprotection", "Microsoft Entra ID Protection"},
      {"microsoftdefenderforcloud", "Microsoft Defender for Cloud"},
      {"microsoftsentinel", "Microsoft Sentinel"},
      {"datalossprevention", "Microsoft Purview Data Loss Prevention"},
      {"microsoftappgovernance", "App governance"},
  };
  auto found = kNames.find(compact_key(source));
  return found == kNames.end() ? std::string(source) : found->second;
}

// "deviceEvidence" from "#microsoft.graph.security.deviceEvidence".
std::string evidence_type(const json::object& evidence) {
  std::string type = text(evidence, "@odata.type");
  if (auto dot = type.rfind('.'); dot != std::string::npos) type = type.substr(dot + 1);
  if (!type.empty() && type.front() == '#') type.erase(0, 1);
  return type;
}

std::string device_name(const json::object& device) {
  return first_text(device, {"deviceDnsName", "hostName"});
}

File file_from_details(const json::object& details) {
  File file;
  file.name = text(details, "fileName");
  file.path = text(details, "filePath");
  file.sha256 = text(details, "sha256");
  file.sha1 = text(details, "sha1");
  file.md5 = text(details, "md5");
  return file;
}

// Reads alerts' evidence into the incident's entities, counting the types it does not read.
class EvidenceReader {
 public:
  EvidenceReader(Incident& incident, const std::map<std::string, std::string>& devices)
      : incident_(incident), devices_(devices) {}

  void read(const json::object& evidence, const std::string& alert) {
    const std::string type = evidence_type(evidence);
    const std::vector<std::string> alerts = {alert};
    const std::string host = device_host(evidence);
    if (type == "deviceEvidence") {
      Host device{
          device_name(evidence),
          os_text(text(evidence, "osPlatform"), first_text(evidence, {"version", "osBuild"})),
          {},
          alerts};
      if (const auto* users = array_member(evidence, "loggedOnUsers"))
        for (const auto& item : *users)
          if (const auto* account = item.if_object()) {
            User user = user_from_account(*account);
            user.alerts = alerts;
            add_unique(device.users, user.name);
            incident_.entities.add(std::move(user));
          }
      incident_.entities.add(std::move(device));
    } else if (type == "userEvidence") {
      if (const auto* account = object_member(evidence, "userAccount")) add_user(*account, alerts);
    } else if (type == "mailboxEvidence") {
      User user;
      if (const auto* account = object_member(evidence, "userAccount"))
        user = user_from_account(*account);
      if (user.name.empty()) user.name = text(evidence, "primaryAddress");
      if (user.display_name.empty()) user.display_name = text(evidence, "displayName");
      user.alerts = alerts;
      incident_.entities.add(std::move(user));
    } else if (type == "ipEvidence") {
      incident_.entities.add(Ip{text(evidence, "ipAddress"), false, alerts});
    } else if (type == "urlEvidence") {
      incident_.entities.add(Url{text(evidence, "url"), alerts});
    } else if (type == "dnsEvidence") {
      incident_.entities.add(Domain{text(evidence, "domainName"), alerts});
      if (const auto* address = object_member(evidence, "hostIpAddress"))
        incident_.entities.add(Ip{text(*address, "ipAddress"), false, alerts});
    } else if (type == "fileEvidence") {
      if (const auto* details = object_member(evidence, "fileDetails")) {
        File file = file_from_details(*details);
        file.host = host;
        file.alerts = alerts;
        incident_.entities.add(std::move(file));
      }
    } else if (type == "processEvidence") {
      read_process(evidence, host, alerts);
    } else if (type == "analyzedMessageEvidence") {
      incident_.entities.add(Ip{text(evidence, "senderIp"), false, alerts});
      incident_.entities.add(User{text(evidence, "recipientEmailAddress"), {}, alerts});
      for (const auto& url : text_list(evidence, "urls"))
        incident_.entities.add(Url{url, alerts});
    } else {
      ++skipped_[type.empty() ? "evidence without @odata.type" : type];
    }
  }

  const std::map<std::string, int>& skipped() const noexcept { return skipped_; }

 private:
  std::string device_host(const json::object& evidence) const {
    auto found = devices_.find(text(evidence, "mdeDeviceId"));
    return found == devices_.end() ? std::string() : found->second;
  }

  std::string add_user(const json::object& account, const std::vector<std::string>& alerts) {
    User user = user_from_account(account);
    user.alerts = alerts;
    std::string name = user.name;
    incident_.entities.add(std::move(user));
    return name;
  }

  void read_process(const json::object& evidence, const std::string& host,
                    const std::vector<std::string>& alerts) {
    Process process;
    process.command_line = text(evidence, "processCommandLine");
    if (const auto* image = object_member(evidence, "imageFile"))
      process.image = text(*image, "fileName");
    process.pid = text(evidence, "processId");
    process.host = host;
    if (const auto* account = object_member(evidence, "userAccount"))
      process.user = add_user(*account, alerts);
    process.time = parse_time(text(evidence, "processCreationDateTime"));
    process.alerts = alerts;
    if (!host.empty() && !process.user.empty())
      incident_.entities.add(Host{host, {}, {process.user}, alerts});
    incident_.entities.add(std::move(process));
  }

  Incident& incident_;
  const std::map<std::string, std::string>& devices_;
  std::map<std::string, int> skipped_;
};

const json::array& alerts_of(const json::object& incident) {
  const auto* alerts = member(incident, "alerts");
  if (!alerts)
    throw InputError(
        "the Defender XDR incident has no 'alerts': export it with its alerts expanded "
        "(GET https://graph.microsoft.com/v1.0/security/incidents/{id}?$expand=alerts)");
  if (!alerts->is_array())
    throw InputError("the Defender XDR incident's 'alerts' must be an array of alerts");
  return alerts->get_array();
}

// Every device named in any alert, by Defender for Endpoint id, so that process and file evidence
// (which name only the id) can say which host they were on.
std::map<std::string, std::string> devices_by_id(const json::array& alerts) {
  std::map<std::string, std::string> devices;
  for (const auto& alert : alerts) {
    const auto* object = alert.if_object();
    const auto* evidence = object ? array_member(*object, "evidence") : nullptr;
    if (!evidence) continue;
    for (const auto& item : *evidence) {
      const auto* e = item.if_object();
      if (!e || evidence_type(*e) != "deviceEvidence") continue;
      if (auto id = text(*e, "mdeDeviceId"); !id.empty() && !device_name(*e).empty())
        devices.emplace(id, device_name(*e));
    }
  }
  return devices;
}

}  // namespace

Incident read_defender_xdr(const json::object& object) {
  Incident incident;
  incident.shape = "defender_xdr";
  incident.id = text(object, "id");
  incident.title = text(object, "displayName");
  if (incident.title.empty()) {
    if (incident.id.empty())
      throw InputError(
          "the Defender XDR incident has neither 'displayName' nor 'id': pass the incident "
          "object as Microsoft Graph returns it");
    incident.title = "Defender XDR incident " + incident.id;
  }
  incident.description = first_text(object, {"description", "summary"});
  incident.severity = parse_severity(text(object, "severity"));
  incident.status = normalize_status(text(object, "status"));
  incident.created = parse_time(text(object, "createdDateTime"));
  incident.assigned_to = text(object, "assignedTo");
  incident.classification = text(object, "classification");
  if (auto determination = text(object, "determination");
      !determination.empty() && !iequals(determination, "unknown"))
    incident.classification += (incident.classification.empty() ? "" : " / ") + determination;
  if (iequals(incident.classification, "unknown")) incident.classification.clear();
  incident.url = text(object, "incidentWebUrl");

  const auto& alerts = alerts_of(object);
  if (alerts.empty()) incident.warnings.push_back("the incident has no alerts");
  const auto devices = devices_by_id(alerts);
  EvidenceReader evidence_reader(incident, devices);
  for (std::size_t i = 0; i < alerts.size(); ++i) {
    const auto* item = alerts[i].if_object();
    if (!item) throw InputError(element("alerts", i) + " is not an object: each alert must be one");
    Alert alert;
    alert.id = text(*item, "id");
    if (alert.id.empty()) alert.id = "alert-" + std::to_string(i + 1);
    alert.title = text(*item, "title");
    if (alert.title.empty()) alert.title = "Alert " + alert.id;
    alert.severity = parse_severity(text(*item, "severity"));
    alert.status = normalize_status(text(*item, "status"));
    alert.time = parse_time(first_text(*item, {"firstActivityDateTime", "createdDateTime"}));
    alert.last_time = parse_time(text(*item, "lastActivityDateTime"));
    alert.source =
        product_name(first_text(*item, {"serviceSource", "detectionSource", "productName"}));
    alert.description = text(*item, "description");
    alert.techniques = text_list(*item, "mitreTechniques");
    if (auto tactic = canonical_tactic(text(*item, "category")); !tactic.empty())
      alert.tactics.emplace_back(tactic);
    if (const auto* evidence = array_member(*item, "evidence"))
      for (const auto& e : *evidence)
        if (const auto* e_object = e.if_object()) evidence_reader.read(*e_object, alert.id);
    incident.alerts.push_back(std::move(alert));
  }
  for (const auto& [type, count] : evidence_reader.skipped())
    incident.warnings.push_back("skipped " + std::to_string(count) + " " + type +
                                " item(s): this skill does not read that evidence type");
  return incident;
}

}  // namespace incident
