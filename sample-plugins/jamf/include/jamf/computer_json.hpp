// The skills' JSON for a computer: a one-line summary for lists, and the full record for
// GetComputer. Facts Jamf Pro did not report are null, never guessed. The manifest's Outputs
// schemas describe exactly these shapes.
#pragma once

#include <boost/json/object.hpp>

#include "jamf/computer.hpp"

namespace jamf {

// id, name, serial_number, model, os_version, username, email, last_check_in,
// last_inventory_update, managed, last_ip.
boost::json::object computer_summary_json(const Computer& computer);

// The summary's identity plus hardware, os, security (FileVault, Gatekeeper, SIP, firewall, ...)
// and user sections.
boost::json::object computer_detail_json(const Computer& computer);

}  // namespace jamf
