#include <boost/json.hpp>

#include "jamf/computer.hpp"
#include "jamf/computer_filter.hpp"
#include "jamf/computer_json.hpp"
#include "jamf/error.hpp"
#include "jamf/inputs.hpp"
#include "jamf/inventory.hpp"
#include "jamf/skills.hpp"

namespace jamf {
namespace {

std::string sort_order(const std::optional<std::string>& sort) {
  if (!sort || *sort == "name") return "general.name:asc";
  if (*sort == "last_check_in") return "general.lastContactTime:asc";
  if (*sort == "id") return "id:asc";
  throw Error(ErrorKind::invalid_input,
              "the input 'sort' is '" + *sort +
                  "': use name, last_check_in (the longest silent first) or id");
}

}  // namespace

boost::json::object list_computers(JamfClient& client, const boost::json::object& input) {
  const Inputs in(input);
  ComputerFilter filter;
  filter.name = in.text("name");
  filter.serial = in.text("serial_number");
  filter.user = in.text("user");
  filter.os_version = in.text("os_version");
  filter.checked_in_before = in.time("checked_in_before");
  filter.checked_in_after = in.time("checked_in_after");
  const auto limit = static_cast<std::size_t>(in.integer("limit", 1, 1000).value_or(50));

  InventoryQuery query;
  query.filter = to_rsql(filter);
  query.sections = {"GENERAL", "HARDWARE", "OPERATING_SYSTEM", "USER_AND_LOCATION"};
  query.sort = sort_order(in.text("sort"));
  const InventoryResult found = fetch_inventory(client, query, limit);

  boost::json::array computers;
  for (const auto& record : found.records)
    computers.push_back(computer_summary_json(parse_computer(record)));
  return {
      {"filter", query.filter},
      {"total_count", found.total_count},
      {"returned", computers.size()},
      {"truncated", found.truncated()},
      {"computers", std::move(computers)},
  };
}

}  // namespace jamf
