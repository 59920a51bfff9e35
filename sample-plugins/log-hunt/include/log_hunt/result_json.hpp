// A query result as the RunKql skill returns it:
//   {"columns": [{"name", "type"}], "rows": [[...]], "row_count", "truncated",
//    "stats": {"rows_scanned", "bytes_scanned", "malformed_rows", "elapsed_ms"},
//    "tables": [...], "warnings": [...]}
// datetimes as ISO 8601 text, timespans as [d.]hh:mm:ss[.fffffff], dynamic values as JSON.
#pragma once

#include <boost/json/object.hpp>

#include "log_hunt/query_engine.hpp"

namespace log_hunt {

boost::json::object result_to_json(const QueryResult& result);

}  // namespace log_hunt
