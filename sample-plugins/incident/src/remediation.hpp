// Concrete clean-up steps for the persistence techniques an incident shows, with the commands an
// administrator runs on each affected host, for the IT admin's report.
#pragma once

#include <string>
#include <vector>

#include "incident/summary.hpp"

namespace incident {

// One Markdown step per (technique, host) that needs removing; empty when nothing persists.
std::vector<std::string> persistence_removal_steps(const Summary& summary);

}  // namespace incident
