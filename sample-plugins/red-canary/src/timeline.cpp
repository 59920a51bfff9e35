// The shapes follow the published v3 timeline: ActivityOccurred entries whose attributes carry
// `type` (process_activity_occurred, network_connection_activity_occurred,
// file_modification_activity_occurred, ...) and the matching primitive under process_execution,
// network_connection or file_modification, each as {type, attributes}.
#include "red_canary/timeline.hpp"

#include <boost/json/value.hpp>

#include "json_access.hpp"

namespace red_canary {
namespace json = boost::json;
using detail::find;
using detail::integer_at;
using detail::or_null;
using detail::string_at;

namespace {

json::object process_of(const json::value& execution) {
  const auto* process = find(execution, {"attributes", "operating_system_process", "attributes"});
  if (!process) return {};
  const auto* image = find(*process, {"image", "attributes"});
  const json::value none;
  const json::value& file = image ? *image : none;
  return json::object{
      {"path", or_null(string_at(file, {"path"}))},
      {"command_line",
       or_null(string_at(*process, {"command_line", "attributes", "command_line"}))},
      {"pid", or_null(integer_at(*process, {"operating_system_pid"}))},
      {"started_at", or_null(string_at(*process, {"started_at"}))},
      {"md5", or_null(string_at(file, {"md5"}))},
      {"sha256", or_null(string_at(file, {"sha256"}))},
  };
}

json::object connection_of(const json::value& connection) {
  return json::object{
      {"ip_address",
       or_null(string_at(connection, {"attributes", "ip_address", "attributes", "ip_address"}))},
      {"port", or_null(integer_at(connection, {"attributes", "port"}))},
      {"domain", or_null(string_at(connection, {"attributes", "domain", "attributes", "name"}))},
  };
}

json::object modification_of(const json::value& modification) {
  return json::object{
      {"modification_type", or_null(string_at(modification, {"attributes", "modification_type"}))},
      {"path", or_null(string_at(modification, {"attributes", "file", "attributes", "path"}))},
      {"md5", or_null(string_at(modification, {"attributes", "file", "attributes", "md5"}))},
      {"sha256", or_null(string_at(modification, {"attributes", "file", "attributes", "sha256"}))},
  };
}

}  // namespace

json::array timeline_entries(const std::vector<json::object>& items) {
  json::array entries;
  for (const auto& item : items) {
    const auto activity = string_at(item, {"attributes", "type"});
    json::object entry{
        {"occurred_at", or_null(string_at(item, {"attributes", "occurred_at"}))},
        {"activity", activity ? *activity : string_at(item, {"type"}).value_or("unknown")},
        {"analyst_notes", or_null(string_at(item, {"attributes", "analyst_notes"}))},
    };
    if (const auto* execution = find(item, {"attributes", "process_execution"})) {
      if (auto process = process_of(*execution); !process.empty())
        entry["process"] = std::move(process);
    }
    if (const auto* connection = find(item, {"attributes", "network_connection"}))
      entry["network_connection"] = connection_of(*connection);
    if (const auto* modification = find(item, {"attributes", "file_modification"}))
      entry["file_modification"] = modification_of(*modification);
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace red_canary
