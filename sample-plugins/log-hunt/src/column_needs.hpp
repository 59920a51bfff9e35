// Which columns a query stage reads: computed backwards from the end of a pipeline (where every
// column is needed, since the result shows them) through operators that close the set (project,
// summarize, distinct, count) and operators that add to it (where, extend, sort, ...). A scan
// then reads just those columns of each line.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "kql/ast.hpp"

namespace log_hunt {

struct ColumnNeeds {
  bool all = false;
  std::set<std::string> names;

  static ColumnNeeds everything() { return {true, {}}; }
  bool contains(const std::string& name) const { return all || names.count(name) > 0; }
  void add(const std::string& name) {
    if (!all) names.insert(name);
  }
  void merge(const ColumnNeeds& other) {
    if (other.all) all = true;
    if (!all) names.insert(other.names.begin(), other.names.end());
    if (all) names.clear();
  }
};

// The names an expression mentions (columns or lets); `*` means every column.
void add_references(const kql::Expr& expr, ColumnNeeds& needs);

// needs[i] is what operator i's input must provide; needs[pipeline.size()] is `at_end`.
std::vector<ColumnNeeds> needs_before_each(const std::vector<kql::Operator>& pipeline,
                                           const ColumnNeeds& at_end);

}  // namespace log_hunt
