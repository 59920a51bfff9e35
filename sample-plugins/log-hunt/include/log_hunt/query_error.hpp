// Why a query did not run, as a value the plugin maps to a status (parse and name errors carry
// the place in the query text).
#pragma once

#include <stdexcept>
#include <string>

#include "kql/source_range.hpp"

namespace log_hunt {

enum class ErrorKind {
  InvalidQuery,  // syntax, unknown column or function, wrong arguments: fix the query
  NotFound,      // the table has no file in the data directory
  Unsupported,   // valid KQL this engine does not run (yet)
  TooLarge,      // a memory bound (groups, join build, sort buffer) was exceeded
  Cancelled,
  Timeout,
  Storage,  // the data directory or a file could not be read
};

class QueryError : public std::runtime_error {
 public:
  QueryError(ErrorKind kind, const std::string& message, kql::SourceRange range = {})
      : std::runtime_error(message), kind_(kind), range_(range) {}
  ErrorKind kind() const noexcept { return kind_; }
  const kql::SourceRange& range() const noexcept { return range_; }

 private:
  ErrorKind kind_;
  kql::SourceRange range_;
};

// "line 2, column 7: " when the range is known, else "".
std::string position_prefix(const kql::SourceRange& range);

}  // namespace log_hunt
