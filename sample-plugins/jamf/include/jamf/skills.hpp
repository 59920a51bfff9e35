// The plugin's four skills as plain functions of a client and the call's inputs, so that they
// run the same under the host and in tests. Each returns the JSON its manifest Outputs schema
// describes, and throws jamf::Error with a message a person can act on.
#pragma once

#include <boost/json/object.hpp>

#include "jamf/client.hpp"
#include "jamf/settings.hpp"
#include "jamf/timestamp.hpp"

namespace jamf {

// ListComputers: name, serial_number, user, os_version, checked_in_before, checked_in_after,
// sort (name, last_check_in, id), limit.
boost::json::object list_computers(JamfClient& client, const boost::json::object& input);

// GetComputer: exactly one of id, name, serial_number.
boost::json::object get_computer(JamfClient& client, const boost::json::object& input);

// FindUnhealthyComputers: min_os_version, max_days_since_check_in, as_of, name, limit; the
// settings MinimumMacOSVersion and MaxCheckInAgeDays give the defaults. `now` is as_of's default.
boost::json::object find_unhealthy_computers(JamfClient& client, const boost::json::object& input,
                                             const SettingReader& settings, Timestamp now);

// LockComputer: id, pin (six digits), message. Sends the MDM DEVICE_LOCK command.
boost::json::object lock_computer(JamfClient& client, const boost::json::object& input);

}  // namespace jamf
