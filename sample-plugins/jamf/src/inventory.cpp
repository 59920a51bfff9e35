#include "jamf/inventory.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "jamf/error.hpp"

namespace jamf {
namespace {

namespace json = boost::json;

Parameters page_parameters(const InventoryQuery& query, int page, std::size_t page_size) {
  Parameters parameters;
  for (const auto& section : query.sections)
    parameters.emplace_back("section", section);
  parameters.emplace_back("page", std::to_string(page));
  parameters.emplace_back("page-size", std::to_string(page_size));
  parameters.emplace_back("sort", query.sort);
  if (!query.filter.empty()) parameters.emplace_back("filter", query.filter);
  return parameters;
}

}  // namespace

InventoryResult fetch_inventory(JamfClient& client, const InventoryQuery& query,
                                std::size_t limit) {
  InventoryResult result;
  if (limit == 0) return result;
  const std::size_t page_size =
      std::min(limit, static_cast<std::size_t>(client.connection().page_size));
  const Endpoint endpoint{"the computer inventory", kReadComputers, ""};
  for (int page = 0; result.records.size() < limit; ++page) {
    const json::value answer =
        client.get_json(client.inventory_path(), page_parameters(query, page, page_size), endpoint);
    ++result.pages;
    auto malformed = [&](const std::string& why) {
      return Error(ErrorKind::upstream, "Jamf Pro's computer inventory page " +
                                            std::to_string(page) + " " + why +
                                            ": is BaseURL the Jamf Pro address?");
    };
    const json::object* object = answer.if_object();
    if (!object) throw malformed("is not a JSON object");
    const json::value* total = object->if_contains("totalCount");
    if (!total || !total->is_int64() || total->get_int64() < 0)
      throw malformed("has no totalCount");
    const json::value* results = object->if_contains("results");
    if (!results || !results->is_array()) throw malformed("has no 'results' array");
    result.total_count = total->get_int64();
    for (const auto& record : results->get_array()) {
      if (result.records.size() == limit) break;
      result.records.push_back(record);
    }
    if (results->get_array().empty() ||
        static_cast<std::int64_t>(result.records.size()) >= result.total_count)
      break;
  }
  return result;
}

}  // namespace jamf
