// Microsoft Defender advanced hunting (KQL) queries that look for an incident's indicators
// across every device, for the analyst's report.
#pragma once

#include <string>
#include <vector>

#include "incident/entities.hpp"

namespace incident {

struct HuntingQuery {
  std::string purpose;
  std::string kql;
};

// One query per kind of indicator the entities have (network, file hashes, command lines);
// none when there are none.
std::vector<HuntingQuery> hunting_queries(const Entities& entities);

}  // namespace incident
