// Reads the computer inventory (GET /api/vN/computers-inventory) page by page: `section`,
// `page`, `page-size`, `sort` and an RSQL `filter`, answered with {totalCount, results}.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "jamf/client.hpp"

namespace jamf {

struct InventoryQuery {
  std::string filter;                 // RSQL; empty for every computer
  std::vector<std::string> sections;  // GENERAL, HARDWARE, ...
  std::string sort = "general.name:asc";
};

struct InventoryResult {
  std::int64_t total_count = 0;             // how many computers match, per Jamf Pro
  std::vector<boost::json::value> records;  // at most the limit asked for
  int pages = 0;                            // requests made
  bool truncated() const { return total_count > static_cast<std::int64_t>(records.size()); }
};

// The first `limit` matching computers, `Connection::page_size` per request.
InventoryResult fetch_inventory(JamfClient& client, const InventoryQuery& query, std::size_t limit);

// The privilege every inventory read needs.
inline constexpr const char* kReadComputers = "Read Computers";

}  // namespace jamf
