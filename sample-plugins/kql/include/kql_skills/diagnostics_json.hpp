// Diagnostics and schemas as JSON, the same way in every skill's result.
#ifndef KQL_SKILLS_DIAGNOSTICS_JSON_HPP
#define KQL_SKILLS_DIAGNOSTICS_JSON_HPP

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "kql/diagnostic.hpp"
#include "kql/schema.hpp"

namespace kql_skills {

// {code, message, hint, line, column, offset, length}
boost::json::object diagnostic_json(const kql::Diagnostic& diagnostic);
// The diagnostics of one severity, in order.
boost::json::array diagnostics_json(const kql::Diagnostics& diagnostics, kql::Severity severity);
// [{name, type}] (with description when the catalogue has one).
boost::json::array columns_json(const kql::TableSchema& schema);

}  // namespace kql_skills

#endif  // KQL_SKILLS_DIAGNOSTICS_JSON_HPP
