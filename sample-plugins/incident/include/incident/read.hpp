// Reading an incident, whatever shape it comes in: the shape is detected from its members.
#pragma once

#include <string_view>

#include <boost/json/value.hpp>

#include "incident/model.hpp"

namespace incident {

// The shapes read_incident() accepts, as Incident::shape names them.
inline constexpr std::string_view kShapeDefenderXdr = "defender_xdr";         // Microsoft Graph
inline constexpr std::string_view kShapeDefenderXdrApi = "defender_xdr_api";  // M365 Defender API
inline constexpr std::string_view kShapeSentinel = "sentinel";
inline constexpr std::string_view kShapeGeneric = "generic";
inline constexpr std::string_view kShapeSummary = "summary";  // SummarizeIncident's own output
inline constexpr std::string_view kShapeSession = "session";  // a secpilot session export

// JSON text to a value. InputError (naming `input_name`, the line and the column) when the text
// is empty, too large (over 16 MiB) or not JSON.
boost::json::value parse_json_input(std::string_view text, std::string_view input_name);

struct ReadOptions {
  std::string_view input_name = "incident";  // for messages
  bool allow_session = false;                // WriteReport takes session exports too
};

// Detects the shape and reads it. InputError saying which shapes are accepted and what is missing
// when the document is none of them, or is one of them with a required part missing or mistyped.
Incident read_incident(const boost::json::value& document, const ReadOptions& options = {});

}  // namespace incident
