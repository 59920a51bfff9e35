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

// The id of the one computer with this name or serial number.
std::string find_one(JamfClient& client, const ComputerFilter& filter, const std::string& what) {
  InventoryQuery query;
  query.filter = to_rsql(filter);
  query.sections = {"GENERAL"};
  const InventoryResult found = fetch_inventory(client, query, 10);
  if (found.records.empty())
    throw Error(ErrorKind::not_found,
                "Jamf Pro has no computer with " + what +
                    " (matched exactly, ignoring case; '*' is a wildcard): ListComputers searches "
                    "by name, serial number, user and more");
  if (found.records.size() > 1) {
    std::string candidates;
    for (const auto& record : found.records) {
      const Computer computer = parse_computer(record);
      candidates += (candidates.empty() ? "" : ", ") + computer.id + " (" +
                    computer.general.name.value_or("no name") + ")";
    }
    throw Error(ErrorKind::invalid_input,
                std::to_string(found.total_count) + " computers match " + what + ": " + candidates +
                    (found.truncated() ? ", ..." : "") + " — pass one of their ids");
  }
  return parse_computer(found.records.front()).id;
}

}  // namespace

boost::json::object get_computer(JamfClient& client, const boost::json::object& input) {
  const Inputs in(input);
  auto id = in.computer_id("id");
  const auto name = in.text("name");
  const auto serial = in.text("serial_number");
  const int given = (id ? 1 : 0) + (name ? 1 : 0) + (serial ? 1 : 0);
  if (given != 1)
    throw Error(ErrorKind::invalid_input,
                given == 0 ? "pass one of the inputs id, name or serial_number"
                           : "pass only one of the inputs id, name or serial_number");
  ComputerFilter filter;
  filter.name = name;
  filter.serial = serial;
  if (name) id = find_one(client, filter, "the name '" + *name + "'");
  if (serial) id = find_one(client, filter, "the serial number '" + *serial + "'");

  const Endpoint endpoint{"computer " + *id, kReadComputers,
                          "Jamf Pro has no computer with id " + *id +
                              ": ListComputers shows the computers and their ids"};
  const boost::json::value record =
      client.get_json(client.inventory_detail_path(*id), {}, endpoint);
  return computer_detail_json(parse_computer(record));
}

}  // namespace jamf
