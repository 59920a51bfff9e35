// The timeline of an incident: its events, the incident's creation, each dated alert and each
// process with a start time, sorted by time and with duplicates merged.
#pragma once

#include <vector>

#include "incident/model.hpp"

namespace incident {

std::vector<Event> build_timeline(const Incident& incident);

}  // namespace incident
