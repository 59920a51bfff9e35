// The semantic checker: tables and columns against the catalogue, types, functions, and warnings
// about costly patterns, with the schema of the result.
#ifndef KQL_CHECK_HPP
#define KQL_CHECK_HPP

#include <string>
#include <vector>

#include "kql/ast.hpp"
#include "kql/catalogue.hpp"
#include "kql/diagnostic.hpp"
#include "kql/schema.hpp"

namespace kql {

struct CheckOptions {
  // The request asks for the latest / most recent rows: a `take` without an order is then
  // reported, since it returns arbitrary rows.
  bool wants_latest = false;
};

struct CheckResult {
  Diagnostics diagnostics;          // errors and warnings, in text order
  TableSchema output;               // the columns of the last query statement's result
  std::vector<std::string> tables;  // catalogue tables the script reads, in first-use order
  bool ok() const { return !has_errors(diagnostics); }
};

// Checks a parsed script. Run it on a script without syntax errors: on a partial tree it reports
// what it sees, which may follow from the syntax errors. Never throws for bad input.
CheckResult check(const Script& script, const Catalogue& catalogue,
                  const CheckOptions& options = {});

}  // namespace kql

#endif  // KQL_CHECK_HPP
