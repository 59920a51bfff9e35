// One reader per accepted shape; read_incident() (shape.cpp) picks the one that fits.
#pragma once

#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "incident/model.hpp"

namespace incident {

// Microsoft Graph security incident with $expand=alerts (alerts carry typed `evidence`).
Incident read_defender_xdr(const boost::json::object& incident);

// Microsoft 365 Defender API incident (alerts carry `devices` and `entities`).
Incident read_defender_xdr_api(const boost::json::object& incident);

// Sentinel's ARM incident plus, when exported with it, the alerts and entities list responses
// (or bare arrays); either may be null.
Incident read_sentinel(const boost::json::object& incident, const boost::json::value* alerts,
                       const boost::json::value* entities);

// The generic shape of docs/plugins/incident.md; also SummarizeIncident's output (shape
// "summary"), whose `timeline` it reads as events.
Incident read_generic(const boost::json::object& incident, std::string_view shape);

// A secpilot session export (GET /v1/sessions/{id}/export?format=json).
Incident read_session(const boost::json::object& session);

// Helpers the readers share.

// A user from the fields products use for accounts (userPrincipalName, accountName + domainName,
// ...), "" name when there is none.
User user_from_account(const boost::json::object& account);

// "Windows 11 22H2" from a platform and a version, skipping empty parts.
std::string os_text(std::string_view platform, std::string_view version);

// A message prefix naming an array element: "alerts[2]".
std::string element(std::string_view array, std::size_t index);

}  // namespace incident
