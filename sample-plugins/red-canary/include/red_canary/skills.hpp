// The connector's skills over an ApiClient, each from the skill's input object to its result
// object (the shapes the manifest's Outputs schemas describe). The plugin's only job is to wire
// them to the host; tests call them directly.
#pragma once

#include <chrono>

#include <boost/json/object.hpp>

#include "red_canary/client.hpp"

namespace red_canary {

// since (optional), severity (optional), state (optional), limit. `since` goes to the server;
// severity and state are filtered here, as the API has no parameter for them.
boost::json::object list_detections(ApiClient& client, const boost::json::object& input,
                                    std::chrono::system_clock::time_point now);

// id: the detection with its timeline, detectors and techniques, indicators, host, identity and
// the entities all of these yield.
boost::json::object get_detection(ApiClient& client, const boost::json::object& input);

// platform (optional, server-side filter_query), hostname (optional, contains), limit.
boost::json::object list_endpoints(ApiClient& client, const boost::json::object& input);

// endpoint: an endpoint id, or a host name (looked up through the endpoints list).
boost::json::object get_endpoint(ApiClient& client, const boost::json::object& input);

// id, state (acknowledged, remediated, or a not_remediated_* reason), comment (optional).
boost::json::object update_detection_state(ApiClient& client, const boost::json::object& input);

}  // namespace red_canary
