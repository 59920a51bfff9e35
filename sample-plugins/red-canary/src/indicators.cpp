#include "red_canary/indicators.hpp"

#include <string>

#include <boost/json/value.hpp>

#include "json_access.hpp"

namespace red_canary {
namespace json = boost::json;
using detail::or_null;
using detail::string_at;

json::array indicator_list(const std::vector<json::object>& items) {
  json::array indicators;
  for (const auto& item : items) {
    const std::string source_type = string_at(item, {"type"}).value_or("unknown");
    json::object indicator;
    if (source_type == "primitives.File") {
      const auto path = string_at(item, {"attributes", "path"});
      const auto md5 = string_at(item, {"attributes", "md5"});
      const auto sha256 = string_at(item, {"attributes", "sha256"});
      indicator = {{"type", "file"},
                   {"value", path     ? *path
                             : sha256 ? *sha256
                                      : md5.value_or("")},
                   {"path", or_null(path)},
                   {"md5", or_null(md5)},
                   {"sha256", or_null(sha256)}};
    } else if (source_type == "primitives.Domain") {
      indicator = {{"type", "domain"},
                   {"value", string_at(item, {"attributes", "name"}).value_or("")}};
    } else if (source_type == "primitives.IpAddress") {
      indicator = {{"type", "ip"},
                   {"value", string_at(item, {"attributes", "ip_address"}).value_or("")}};
    } else {
      // A kind this connector does not know yet: keep it visible rather than drop it.
      indicator = {{"type", "other"}, {"value", ""}};
    }
    indicator["source_type"] = source_type;
    indicators.push_back(std::move(indicator));
  }
  return indicators;
}

}  // namespace red_canary
