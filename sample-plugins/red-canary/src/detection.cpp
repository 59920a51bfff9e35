// Red Canary has no single "state" field: a detection is acknowledged when someone marked it so,
// and closed when its remediation state was set (remediated, or one of the not_remediated_*
// reasons). The connector folds these into one state that people and filters can use.
#include "red_canary/detection.hpp"

#include <string>

#include <boost/json/array.hpp>

#include "json_access.hpp"
#include "red_canary/errors.hpp"
#include "text.hpp"

namespace red_canary {
namespace json = boost::json;
using detail::or_null;
using detail::string_at;

namespace {

// A PortalUser as "Name (email)", the way the portal shows it.
json::value portal_user(const json::value* user) {
  if (!user) return nullptr;
  if (auto both = string_at(*user, {"attributes", "name_and_email"})) return json::value(*both);
  if (auto email = string_at(*user, {"attributes", "email"})) return json::value(*email);
  if (auto name = string_at(*user, {"attributes", "name"})) return json::value(*name);
  return nullptr;
}

}  // namespace

std::string_view state_name(DetectionState state) {
  switch (state) {
    case DetectionState::open:
      return "open";
    case DetectionState::acknowledged:
      return "acknowledged";
    case DetectionState::remediated:
      return "remediated";
    case DetectionState::not_remediated:
      return "not_remediated";
  }
  return "open";
}

std::optional<DetectionState> parse_state(std::string_view text) {
  const std::string name = detail::lower(text);
  for (auto state : {DetectionState::open, DetectionState::acknowledged, DetectionState::remediated,
                     DetectionState::not_remediated})
    if (name == state_name(state)) return state;
  return std::nullopt;
}

std::optional<std::string> parse_severity(std::string_view text) {
  const std::string name = detail::lower(text);
  if (name == "low" || name == "medium" || name == "high") return name;
  return std::nullopt;
}

DetectionState detection_state(const json::object& resource) {
  const auto& root = resource;
  if (auto remediation =
          string_at(root, {"attributes", "last_remediated_status", "remediation_state"})) {
    return remediation->rfind("not_remediated", 0) == 0 ? DetectionState::not_remediated
                                                        : DetectionState::remediated;
  }
  if (string_at(root, {"attributes", "last_acknowledged_at"})) return DetectionState::acknowledged;
  return DetectionState::open;
}

long detection_id(const json::object& resource) {
  if (auto id = detail::integer_at(resource, {"id"})) return *id;
  throw Error(ErrorKind::upstream, "Red Canary sent a detection without an id");
}

json::object detection_summary(const json::object& resource, std::string_view portal_url) {
  const auto& root = resource;
  const long id = detection_id(resource);
  auto attribute = [&](std::string_view name) {
    return or_null(string_at(root, {"attributes", name}));
  };

  json::array subclassifications;
  if (const auto* list = detail::find(root, {"attributes", "classification", "subclassification"}))
    if (const auto* array = list->if_array())
      for (const auto& item : *array)
        if (item.is_string()) subclassifications.push_back(item);

  json::value acknowledged = nullptr;
  if (auto at = string_at(root, {"attributes", "last_acknowledged_at"}))
    acknowledged = json::object{
        {"at", *at},
        {"by", portal_user(detail::find(root, {"attributes", "last_acknowledged_by"}))}};

  json::value remediation = nullptr;
  if (const auto* status = detail::find(root, {"attributes", "last_remediated_status"})) {
    if (auto state = string_at(*status, {"remediation_state"}))
      remediation = json::object{{"state", *state},
                                 {"comment", or_null(string_at(*status, {"comment"}))},
                                 {"by", portal_user(detail::find(*status, {"marked_by"}))},
                                 {"at", or_null(string_at(*status, {"marked_at"}))}};
  }

  // hostname and username sit beside attributes in Red Canary's published sample detection.
  auto beside_or_in = [&](std::string_view name) {
    auto value = string_at(root, {name});
    return or_null(value ? value : string_at(root, {"attributes", name}));
  };

  return json::object{
      {"id", id},
      {"headline", attribute("headline")},
      {"severity", attribute("severity")},
      {"state", state_name(detection_state(resource))},
      {"classification",
       or_null(string_at(root, {"attributes", "classification", "superclassification"}))},
      {"subclassifications", std::move(subclassifications)},
      {"summary", attribute("summary")},
      {"time_of_occurrence", attribute("time_of_occurrence")},
      {"confirmed_at", attribute("confirmed_at")},
      {"last_activity_seen_at", attribute("last_activity_seen_at")},
      {"hostname", beside_or_in("hostname")},
      {"username", beside_or_in("username")},
      {"endpoint_id",
       or_null(detail::integer_at(root, {"relationships", "affected_endpoint", "data", "id"}))},
      {"endpoint_user_id",
       or_null(detail::integer_at(root, {"relationships", "related_endpoint_user", "data", "id"}))},
      {"acknowledged", std::move(acknowledged)},
      {"remediation", std::move(remediation)},
      {"portal_url", std::string(portal_url) + "/detections/" + std::to_string(id)},
  };
}

}  // namespace red_canary
