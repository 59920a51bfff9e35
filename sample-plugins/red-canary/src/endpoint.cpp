// Endpoint shapes follow the published v3 endpoint: attributes hostname, platform,
// operating_system, is_isolated, is_decommissioned and endpoint_network_addresses (each with an
// ip_address and a mac_address primitive), and links.detections listing the endpoint's detections.
#include "red_canary/endpoint.hpp"

#include <string>

#include <boost/json/array.hpp>

#include "json_access.hpp"
#include "red_canary/errors.hpp"

namespace red_canary {
namespace json = boost::json;
using detail::or_null;
using detail::string_at;

namespace {

// The id at the end of ".../detections/4127".
std::optional<long> trailing_id(std::string_view href) {
  const auto slash = href.rfind('/');
  if (slash == std::string_view::npos) return std::nullopt;
  return detail::parse_number(href.substr(slash + 1));
}

}  // namespace

json::object endpoint_summary(const json::object& resource) {
  const auto id = detail::integer_at(resource, {"id"});
  if (!id) throw Error(ErrorKind::upstream, "Red Canary sent an endpoint without an id");

  json::array ips;
  json::array macs;
  if (const auto* addresses = detail::find(resource, {"attributes", "endpoint_network_addresses"}))
    if (const auto* list = addresses->if_array())
      for (const auto& address : *list) {
        if (auto ip = string_at(address, {"attributes", "ip_address", "attributes", "ip_address"}))
          ips.push_back(json::value(*ip));
        if (auto mac = string_at(address, {"attributes", "mac_address", "attributes", "address"}))
          macs.push_back(json::value(*mac));
      }

  json::array detection_ids;
  if (const auto* links = detail::find(resource, {"links", "detections"}))
    if (const auto* list = links->if_array())
      for (const auto& link : *list)
        if (auto href = string_at(link, {"href"}))
          if (auto detection = trailing_id(*href)) detection_ids.push_back(*detection);

  auto boolean = [&](std::string_view name) -> json::value {
    auto value = detail::bool_at(resource, {"attributes", name});
    return value ? json::value(*value) : json::value(nullptr);
  };
  return json::object{
      {"id", *id},
      {"hostname", or_null(string_at(resource, {"attributes", "hostname"}))},
      {"platform", or_null(string_at(resource, {"attributes", "platform"}))},
      {"operating_system", or_null(string_at(resource, {"attributes", "operating_system"}))},
      {"is_isolated", boolean("is_isolated")},
      {"is_decommissioned", boolean("is_decommissioned")},
      {"ip_addresses", std::move(ips)},
      {"mac_addresses", std::move(macs)},
      {"detection_ids", std::move(detection_ids)},
  };
}

json::object identity_summary(const json::object& resource) {
  return json::object{{"id", or_null(detail::integer_at(resource, {"id"}))},
                      {"username", or_null(string_at(resource, {"attributes", "username"}))}};
}

}  // namespace red_canary
