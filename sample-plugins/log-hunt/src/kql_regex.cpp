#include "kql_regex.hpp"

#include "log_hunt/query_error.hpp"

namespace log_hunt {

std::regex compile_kql_regex(const std::string& pattern) {
  auto flags = std::regex::ECMAScript | std::regex::optimize;
  std::string body = pattern;
  if (body.rfind("(?i)", 0) == 0) {
    body.erase(0, 4);
    flags |= std::regex::icase;
  }
  try {
    return std::regex(body, flags);
  } catch (const std::regex_error& e) {
    throw QueryError(ErrorKind::InvalidQuery,
                     "invalid regular expression \"" + pattern + "\": " + e.what() +
                         " (the ECMAScript dialect is supported; inline flags other than a "
                         "leading (?i) are not)");
  }
}

}  // namespace log_hunt
