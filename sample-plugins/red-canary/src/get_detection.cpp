// One detection with everything Red Canary links from it. Sub-resources that are missing (an old
// detection without a timeline, a decommissioned endpoint) cost a warning, not the call.
#include <algorithm>
#include <string>

#include <boost/json/array.hpp>

#include "inputs.hpp"
#include "json_access.hpp"
#include "red_canary/detection.hpp"
#include "red_canary/detectors.hpp"
#include "red_canary/endpoint.hpp"
#include "red_canary/entities.hpp"
#include "red_canary/envelope.hpp"
#include "red_canary/errors.hpp"
#include "red_canary/indicators.hpp"
#include "red_canary/paging.hpp"
#include "red_canary/skills.hpp"
#include "red_canary/timeline.hpp"

namespace red_canary {
namespace json = boost::json;
using detail::string_at;

namespace {

constexpr std::size_t kMaxParts = 1000;  // timeline entries, detectors or indicators kept

class DetectionReader {
 public:
  DetectionReader(ApiClient& client, long id)
      : client_(client),
        name_("detection " + std::to_string(id)),
        path_("detections/" + std::to_string(id)) {}

  json::object resource() { return single_item(client_.get(path_, {}, {name_, false}), name_); }

  // A list linked from the detection; a 404 is a warning and an empty list.
  std::vector<json::object> part(const std::string& part, const std::string& what) {
    PageQuery query;
    query.path = path_ + "/" + part;
    query.subject = {"the " + what + " of " + name_, false};
    query.per_page = 100;
    query.max_pages = 10;
    try {
      return collect(client_, query, kMaxParts).items;
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::not_found) throw;
      warnings_.push_back(json::value(e.what()));
      return {};
    }
  }

  // A resource a relationship points at; a 404 is a warning and nullopt.
  std::optional<json::object> related(const std::string& path, const std::string& what) {
    try {
      return single_item(client_.get(path, {}, {what, false}), what);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::not_found) throw;
      warnings_.push_back(json::value(e.what()));
      return std::nullopt;
    }
  }

  json::array take_warnings() { return std::move(warnings_); }

 private:
  ApiClient& client_;
  std::string name_;
  std::string path_;
  json::array warnings_;
};

// Entities worth chaining: the host and user, what analysts marked as indicators, and the
// network peers, URLs and created files of the timeline. Hashes of the processes that merely ran
// (bash, curl, powershell.exe) are left out: they are the system's own binaries.
json::object entities_of(const json::object& summary, const json::array& hosts,
                         const json::array& identities, const json::array& timeline,
                         const json::array& indicators, const json::array& techniques) {
  EntitySet set;
  auto text = [](const auto& root, std::initializer_list<std::string_view> keys) {
    return string_at(root, keys).value_or("");
  };
  set.add("host", text(summary, {"hostname"}));
  for (const auto& host : hosts)
    set.add("host", text(host, {"hostname"}));
  set.add("user", text(summary, {"username"}));
  for (const auto& identity : identities)
    set.add("user", text(identity, {"username"}));
  for (const auto& indicator : indicators) {
    const std::string type = text(indicator, {"type"});
    if (type == "ip" || type == "domain") set.add(type, text(indicator, {"value"}));
    set.add("sha256", text(indicator, {"sha256"}));
    set.add("md5", text(indicator, {"md5"}));
  }
  for (const auto& entry : timeline) {
    set.add_urls_in(text(entry, {"process", "command_line"}));
    set.add("ip", text(entry, {"network_connection", "ip_address"}));
    set.add("domain", text(entry, {"network_connection", "domain"}));
    set.add("sha256", text(entry, {"file_modification", "sha256"}));
    set.add("md5", text(entry, {"file_modification", "md5"}));
  }
  for (const auto& technique : techniques)
    if (const auto* id = technique.if_string()) set.add("mitre_technique", *id);
  return set.to_json();
}

}  // namespace

json::object get_detection(ApiClient& client, const json::object& input) {
  const long id = detail::detection_id_input(input, "id");
  DetectionReader reader(client, id);
  const json::object resource = reader.resource();
  json::object summary = detection_summary(resource, client.instance().portal_url);

  json::array timeline = timeline_entries(reader.part("timeline", "timeline"));
  json::array detectors = detector_list(reader.part("detectors", "detectors"));
  json::array indicators =
      indicator_list(reader.part("marked_indicators_of_compromise", "marked indicators"));

  json::array techniques;
  for (const auto& detector : detectors)
    for (const auto& technique : detector.at("techniques").as_array())
      if (std::find(techniques.begin(), techniques.end(), technique) == techniques.end())
        techniques.push_back(technique);

  json::array hosts;
  if (auto endpoint_id = detail::integer_at(summary, {"endpoint_id"}))
    if (auto endpoint = reader.related("endpoints/" + std::to_string(*endpoint_id),
                                       "endpoint " + std::to_string(*endpoint_id)))
      hosts.push_back(endpoint_summary(*endpoint));
  json::array identities;
  if (auto user_id = detail::integer_at(summary, {"endpoint_user_id"}))
    if (auto user = reader.related("endpoint_users/" + std::to_string(*user_id),
                                   "endpoint user " + std::to_string(*user_id)))
      identities.push_back(identity_summary(*user));

  json::object entities = entities_of(summary, hosts, identities, timeline, indicators, techniques);
  return json::object{
      {"detection", std::move(summary)},     {"hosts", std::move(hosts)},
      {"identities", std::move(identities)}, {"timeline", std::move(timeline)},
      {"detectors", std::move(detectors)},   {"techniques", std::move(techniques)},
      {"indicators", std::move(indicators)}, {"entities", std::move(entities)},
      {"warnings", reader.take_warnings()},
  };
}

}  // namespace red_canary
