// ValidateKql's logic: parse and check a query, and the JSON the skill returns.
#ifndef KQL_SKILLS_VALIDATE_HPP
#define KQL_SKILLS_VALIDATE_HPP

#include <string_view>

#include <boost/json/object.hpp>

#include "kql/catalogue.hpp"
#include "kql/check.hpp"
#include "kql/parse.hpp"

namespace kql_skills {

struct Validation {
  kql::ParseResult parse;
  kql::CheckResult check;  // empty when the query does not parse
  bool checked = false;
  bool valid() const { return parse.ok() && check.ok(); }
};

// The checker runs only on a query that parses: on a broken tree it would report consequences
// of the syntax errors rather than real problems.
Validation validate(std::string_view query, const kql::Catalogue& catalogue,
                    const kql::CheckOptions& options = {});

// True when a request asks for the most recent rows ("latest", "most recent", "newest",
// "last 10 ...").
bool asks_for_latest(std::string_view request);

// {valid, errors[], warnings[], columns[], tables[], query}; each diagnostic has code, message,
// hint, line, column, offset, length.
boost::json::object validation_json(const Validation& validation, std::string_view query);

}  // namespace kql_skills

#endif  // KQL_SKILLS_VALIDATE_HPP
