// A Red Canary detection, as the connector reports it: its workflow state (which the API spreads
// over last_acknowledged_* and last_remediated_status) and a flat summary of the resource.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

namespace red_canary {

enum class DetectionState { open, acknowledged, remediated, not_remediated };

inline constexpr std::string_view kStateNames = "open, acknowledged, remediated, not_remediated";
inline constexpr std::string_view kSeverityNames = "low, medium, high";

std::string_view state_name(DetectionState state);
std::optional<DetectionState> parse_state(std::string_view text);  // case-insensitive
std::optional<std::string> parse_severity(std::string_view text);  // "High" → "high"

// remediated / not_remediated when last_remediated_status says so, else acknowledged when
// last_acknowledged_at is set, else open.
DetectionState detection_state(const boost::json::object& resource);

// The resource's id; Error(upstream) when it has none.
long detection_id(const boost::json::object& resource);

// id, headline, severity, state, classification, times, host and user, acknowledgement,
// remediation and the portal link (portal_url/detections/<id>), null where the API left a gap.
boost::json::object detection_summary(const boost::json::object& resource,
                                      std::string_view portal_url);

}  // namespace red_canary
