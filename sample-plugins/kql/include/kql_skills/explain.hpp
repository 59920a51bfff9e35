// ExplainKql's logic: a query explained in plain language, one step per statement and
// operator, and a one-paragraph summary.
#ifndef KQL_SKILLS_EXPLAIN_HPP
#define KQL_SKILLS_EXPLAIN_HPP

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "kql/catalogue.hpp"
#include "kql/diagnostic.hpp"
#include "kql/schema.hpp"

namespace kql_skills {

struct ExplainStep {
  int statement = 0;  // 1-based statement the step belongs to
  std::string kind;   // "let", "source" or "operator"
  std::string name;   // the operator ("where", "summarize", ...), the let's or table's name
  std::string text;   // the step as written (one line, shortened)
  std::string explanation;
  kql::SourceRange range;
};

struct Explanation {
  std::vector<ExplainStep> steps;
  std::string summary;
  kql::Diagnostics diagnostics;  // syntax errors, or the checker's errors and warnings
  kql::TableSchema output;       // the result's columns, when the query checks
  bool valid = false;
};

Explanation explain(std::string_view query, const kql::Catalogue& catalogue);

// {valid, steps[], summary, columns[], errors[], warnings[]}
boost::json::object explanation_json(const Explanation& explanation);

}  // namespace kql_skills

#endif  // KQL_SKILLS_EXPLAIN_HPP
