// Plain-language renderings of expressions, operators and sources. Internal to kql_skills.
#ifndef KQL_SKILLS_SRC_EXPLAIN_DESCRIBE_HPP
#define KQL_SKILLS_SRC_EXPLAIN_DESCRIBE_HPP

#include <string>
#include <string_view>
#include <vector>

#include "kql/ast.hpp"
#include "kql/catalogue.hpp"

namespace kql_skills {

class Describer {
 public:
  Describer(std::string_view text, const kql::Catalogue& catalogue)
      : text_(text), catalogue_(catalogue) {}

  // A value: 'powershell.exe', 10, 24 hours ago, DeviceName, the number of rows, ...
  std::string value(const kql::Expr& expr) const;
  // A condition as a clause: "FileName is 'powershell.exe' (case-insensitive)".
  std::string condition(const kql::Expr& expr) const;
  // A where predicate: "from the last 24 hours where FileName is ..." (the time window first).
  std::string filter(const kql::Expr& predicate) const;
  // An aggregation: "the number of rows", "the number of distinct RemoteIP values".
  std::string aggregate(const kql::Expr& expr) const;
  // A group-by key: "DeviceName", "1-hour bins of Timestamp".
  std::string group_key(const kql::Expr& expr) const;
  // A timespan literal in words, using its spelling: 24h -> "24 hours".
  std::string duration(const kql::Expr& expr) const;

  std::string source(const kql::Query& query) const;     // "Reads DeviceProcessEvents (...)."
  std::string operation(const kql::Operator& op) const;  // "Keeps rows where ..."

  std::string_view slice(const kql::SourceRange& range) const;
  const kql::Catalogue& catalogue() const { return catalogue_; }

 private:
  std::string list(const std::vector<kql::ExprPtr>& items) const;
  std::string query_brief(const kql::Query& query) const;  // "DeviceInfo filtered by ..."

  std::string_view text_;
  const kql::Catalogue& catalogue_;
};

// "a", "a and b", "a, b and c" (long lists end "... and N more").
std::string word_list(const std::vector<std::string>& words, size_t limit = 8);

}  // namespace kql_skills

#endif  // KQL_SKILLS_SRC_EXPLAIN_DESCRIBE_HPP
