// Endpoints (GET /endpoints, /endpoints/{id}) and endpoint users (GET /endpoint_users/{id}) as the
// connector reports them.
#pragma once

#include <string_view>

#include <boost/json/object.hpp>

namespace red_canary {

// {id, hostname, platform, operating_system, is_isolated, is_decommissioned, ip_addresses,
//  mac_addresses, detection_ids}
boost::json::object endpoint_summary(const boost::json::object& resource);

// {id, username}
boost::json::object identity_summary(const boost::json::object& resource);

}  // namespace red_canary
