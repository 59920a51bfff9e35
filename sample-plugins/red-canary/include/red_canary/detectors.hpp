// The detectors (Red Canary's analytics) that contributed to a detection, with the ATT&CK
// techniques each maps to (GET /detections/{id}/detectors).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace red_canary {

// [{id, name, description, techniques: ["T1059.004", ...]}]
boost::json::array detector_list(const std::vector<boost::json::object>& items);

// The ATT&CK technique ids in `text` ("ATT&CK Technique T1059.004 - Unix Shell" → T1059.004).
std::vector<std::string> technique_ids_in(std::string_view text);

}  // namespace red_canary
