// KQL's datetime and timespan as integer ticks (100 ns), with ISO 8601 and KQL text forms.
//
// The implementation is kql_core's (kql/literals.hpp), shared with the KQL front end; LogHunt
// uses it under its own namespace.
#pragma once

#include "kql/literals.hpp"

namespace log_hunt {

using kql::kTicksPerDay;
using kql::kTicksPerHour;
using kql::kTicksPerMicrosecond;
using kql::kTicksPerMillisecond;
using kql::kTicksPerMinute;
using kql::kTicksPerSecond;

using kql::civil_from_ticks;
using kql::CivilTime;
using kql::days_from_civil;
using kql::floor_div;
using kql::ticks_from_civil;

// ISO 8601 and the forms KQL's datetime() accepts: "2026-11-20", "2026-11-20T08:15:00Z",
// "2026-11-20 08:15:00.1234567", "2026-11-20T08:15:00+02:00". Nullopt when it is none of them.
using kql::parse_datetime;
// "2026-11-20T08:15:00Z", with a fraction of a second only when there is one.
using kql::format_datetime;
// KQL timespan text: "1.02:03:04.5", "02:03:04", "-00:00:01" and literals such as "30m".
using kql::parse_timespan;
// KQL's own rendering: "[-][d.]hh:mm:ss[.fffffff]".
using kql::format_timespan;

}  // namespace log_hunt
